package pane

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 8 item 4: a cap an agent hit is resumed only from a screen that
// shows it. The captures in testdata/panes/hand/agent-cap-* are
// constructed (no real agent cap was recorded) on the layout of the real
// 2.1.330 captures: an Agent tool call whose result is the error, then
// Claude's idle prompt.
func TestClassifyStallAgent(t *testing.T) {
	const (
		agentCap = "You've hit your session limit · resets 3:20am (Europe/Brussels)"
		other    = "You've hit your weekly limit · resets Mon 12:00am (UTC)"
	)
	tests := []struct {
		name, file string
		stall      Stall
		want       Screen
		shown      bool
	}{
		{"agent error under the tool call, idle prompt", "hand/agent-cap-2.1.330.txt", Stall{agentCap, true}, ScreenReady, true},
		{"agent died on another wording: the tool result still says so", "hand/agent-cap-2.1.330.txt", Stall{other, true}, ScreenReady, true},
		{"background agent shows the cap wording itself", "hand/agent-cap-background-2.1.330.txt", Stall{agentCap, true}, ScreenReady, true},
		{"background agent with another cap: not shown", "hand/agent-cap-background-2.1.330.txt", Stall{other, true}, ScreenNoStall, false},
		{"a draft in the input line", "hand/agent-cap-draft-2.1.330.txt", Stall{agentCap, true}, ScreenDraft, true},
		{"another agent still running", "hand/agent-cap-busy-2.1.330.txt", Stall{agentCap, true}, ScreenBusy, false},
		{"main thread replied after the agent died: not evidence", "hand/agent-cap-replied-2.1.330.txt", Stall{agentCap, true}, ScreenNoStall, false},
		{"same screen read as a main-thread stall: not last", "hand/agent-cap-2.1.330.txt", Stall{agentCap, false}, ScreenNoStall, false},
		// screens of main-thread stalls and idle sessions never pass for an agent's cap
		{"throttle on screen", "fixtures/i-v2.1.330-oauth-throttle-x2-stall1.txt", Stall{agentCap, true}, ScreenNoStall, false},
		{"a normal reply", "fixtures/i-v2.1.330-oauth-throttle-x2-end.txt", Stall{agentCap, true}, ScreenNoStall, false},
		{"nothing answered yet", "fixtures/i-v2.1.145-oauth-throttle-start.txt", Stall{agentCap, true}, ScreenNoStall, false},
		{"a dialog", "hand/dialog-permission.txt", Stall{agentCap, true}, ScreenDialog, false},
		{"a shell", "hand/bash.txt", Stall{agentCap, true}, ScreenUnknown, false},
		{"2.1.330 waits out the cap itself", "real/usagecap-autowait-2.1.330.txt", Stall{fiveHour330, true}, ScreenAutoWait, false},
		{"no cap text known, agent error shown", "hand/agent-cap-2.1.330.txt", Stall{"", true}, ScreenReady, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("..", "..", "testdata", "panes", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := ClassifyStall(string(text), tt.stall)
			if got.Screen != tt.want || got.StallShown != tt.shown {
				t.Fatalf("screen %s shown %v, want %s %v (last %q)", got.Screen, got.StallShown, tt.want, tt.shown, got.Last)
			}
		})
	}
}

func TestAgentShown(t *testing.T) {
	const capText = "You've hit your session limit · resets 3:20am (Europe/Brussels)"
	tests := []struct {
		name, last string
		want       bool
	}{
		{"tool result", "⎿ Error: Agent terminated early due to an API error: You've hit your session limit · resets 3:20am (Europe/Brussels)", true},
		{"subagent wording", "⎿ Error: Subagent failed because of an API error: rate limited", true},
		{"cap wording alone, wrapped", "● Background agent failed You've hit your session limit · resets 3: 20am (Europe/ Brussels)", true},
		{"a user prompt quoting it", "❯ Agent terminated early due to an API error: You've hit your session limit", false},
		{"unrelated tool error", "⎿ Error: file not found", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := agentShown(tt.last, capText); got != tt.want {
				t.Fatalf("agentShown(%q) = %v, want %v", tt.last, got, tt.want)
			}
		})
	}
}

// TestCheckAgentCap: the actor's Check reads an agent's cap with the agent
// rule and says which evidence it had or missed.
func TestCheckAgentCap(t *testing.T) {
	const capText = "You've hit your session limit · resets 3:20am (Europe/Brussels)"
	died := "● Agent(Research the codebase)\n  ⎿  Error: Agent terminated early due to an API error: " + capText
	tests := []struct {
		name, screen string
		want         Screen
		ok           bool
		reason       string
	}{
		{"agent error is the last message", screen21(died, ""), ScreenReady, true, "the agent's cap is in the last message"},
		{"main thread replied since", screen21(died+"\n\n● Done for now.", ""), ScreenNoStall, false, "an agent hit the cap, but the last message on screen does not show it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newActorWorld(t)
			w.claudeIn(100, 500, "77", "/w")
			w.sess.Agent, w.sess.Message = true, capText
			w.expectInfo(pane3)
			w.expectCapture("%3", tt.screen)
			got := w.actor.Check(context.Background(), Target{Pane: "%3", PID: 500}, w.sess)
			if got.OK != tt.ok || got.Screen != tt.want || !strings.Contains(got.Reason, tt.reason) {
				t.Fatalf("Check = %+v; want OK=%v Screen=%q reason containing %q", got, tt.ok, tt.want, tt.reason)
			}
		})
	}
}
