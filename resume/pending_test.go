package resume

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/statefile"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Text ccwake sent without its Enter before a restart (the pending record
// in the state file) is finished only for the current stall, only when the
// input line holds exactly it and every other guard passes; otherwise it is
// reported and left alone.

// writePending puts what a stop between the text and its Enter leaves in
// the state file: the error marked typed for, the text pending.
func writePending(t *testing.T, path string, s watch.Session, text string) {
	t.Helper()
	st, err := statefile.Open(path, statefile.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(func(d *statefile.Data) error {
		d.MarkTyped(statefile.Typed{File: s.Transcript, UUID: s.LastUUID, ErrorAt: s.ErrorAt, At: t0.Add(-time.Minute), Pane: "%1"})
		d.SetPending(statefile.Pending{File: s.Transcript, UUID: s.LastUUID, Text: text, Pane: "%1", ErrorAt: s.ErrorAt, At: t0.Add(-time.Minute)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func pendingLeft(t *testing.T, path, file string) bool {
	t.Helper()
	st, err := statefile.Open(path, statefile.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	_, ok := st.Data().PendingFor(file)
	return ok
}

func TestPendingTextAfterRestart(t *testing.T) {
	draftHere := pane.Verdict{Screen: pane.ScreenDraft, StallShown: true, Reason: "user typing"}
	tests := []struct {
		name      string
		verdict   pane.Verdict
		holds     bool
		later     *pane.Verdict // the screen after the first look, if it changes
		over      bool          // the stall ended before the restart
		notLocked bool
		enters    int
		holdsCall bool
		phase     Phase
		what      string // an action in the history
		keep      bool   // the pending record stays
	}{
		{name: "our text, stall current: one Enter", verdict: draftHere, holds: true, enters: 1, holdsCall: true, phase: Resuming, what: "finished"},
		{name: "other text (a human's): left alone", verdict: draftHere, holds: false, holdsCall: true, phase: Unconfirmed, what: "skipped"},
		{name: "empty input line: not typed again", verdict: pane.Verdict{OK: true, Screen: pane.ScreenReady, StallShown: true}, phase: Unconfirmed, what: "skipped"},
		{name: "draft but the stall is not on screen", verdict: pane.Verdict{Screen: pane.ScreenDraft, Reason: "user typing"}, phase: Blocked, keep: true},
		{name: "dialog first, then our text", verdict: pane.Verdict{Screen: pane.ScreenDialog, Reason: "dialog"}, holds: true, later: &draftHere, enters: 1, holdsCall: true, phase: Unconfirmed, what: "finished"}, // a minute later, no transcript entry
		{name: "busy: waits", verdict: pane.Verdict{Screen: pane.ScreenBusy, Reason: "busy"}, holds: true, phase: Blocked, keep: true},
		{name: "stall over: reported, never sent", verdict: draftHere, holds: true, over: true, holdsCall: true, phase: Idle, what: "pending_leftover"},
		{name: "not our root's lock: untouched", verdict: draftHere, holds: true, notLocked: true, phase: Unconfirmed, what: "restored", keep: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "state.json")
			s := stall("s1", uuidN(1), classify.Throttle, 1, t0.Add(-2*time.Minute))
			writePending(t, state, s, "continue")
			h := newHarness(t, func(c *Config) {
				c.StateFile = state
				if tc.notLocked {
					c.LockedRoots = nil
				}
			})
			h.actor.addPane("s1", "%1")
			h.actor.mu.Lock()
			h.actor.verdict["%1"] = tc.verdict
			h.actor.holds = tc.holds
			h.actor.mu.Unlock()
			if tc.over {
				s = working(s, "reply-1", t0.Add(-time.Minute))
			}
			h.send(s)
			h.advance(time.Second)
			if tc.later != nil {
				h.actor.mu.Lock()
				h.actor.verdict["%1"] = *tc.later
				h.actor.mu.Unlock()
				h.advance(time.Minute)
			}
			h.wantCalls("type", 0)
			h.wantCalls("enter", tc.enters)
			h.wantCalls("escape", 0)
			if got := h.actor.count("holds") > 0; got != tc.holdsCall {
				t.Fatalf("InputHolds called: %v, want %v; calls %q", got, tc.holdsCall, h.actor.Calls())
			}
			st := h.wantPhase("s1", tc.phase)
			if tc.what != "" && !hasAction(st.History, tc.what) {
				t.Fatalf("history %v, want %s", whats(st.History), tc.what)
			}
			if got := pendingLeft(t, state, s.Transcript); got != tc.keep {
				t.Fatalf("pending record left: %v, want %v", got, tc.keep)
			}
			if tc.what == "pending_leftover" {
				a := st.History[len(st.History)-1]
				if !strings.Contains(a.Reason, "typed by ccwake") || !strings.Contains(a.Reason, "%1") {
					t.Fatalf("leftover report %q", a.Reason)
				}
			}
			// Whatever happened, it never happens twice.
			h.advance(10 * time.Minute)
			h.wantCalls("type", 0)
			h.wantCalls("enter", tc.enters)
		})
	}
}

// After the Enter, the transcript shows the continue: confirmed as usual,
// no extra Enter.
func TestPendingFinishedIsConfirmed(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	s := stall("s1", uuidN(1), classify.Throttle, 1, t0.Add(-2*time.Minute))
	writePending(t, state, s, "continue")
	h := newHarness(t, func(c *Config) { c.StateFile = state })
	h.actor.addPane("s1", "%1")
	h.actor.mu.Lock()
	h.actor.verdict["%1"] = pane.Verdict{Screen: pane.ScreenDraft, StallShown: true}
	h.actor.holds = true
	h.actor.mu.Unlock()
	h.send(s)
	h.wantCalls("enter", 1)
	h.send(working(s, "user-continue", t0.Add(time.Second)))
	h.advance(time.Minute)
	h.wantPhase("s1", Resumed)
	h.wantCalls("enter", 1)
	h.wantCalls("type", 0)
}
