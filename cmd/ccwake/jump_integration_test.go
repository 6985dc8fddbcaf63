package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Issue 10 item 16 end to end: the real dashboard, running in a tmux pane,
// jumps to the stalled session's pane on o. The private server has no
// client attached, so the jump shows as the pane's window becoming the
// active window and the pane the active pane (what a client attaching sees),
// and the dashboard says no client is attached.
func TestDashboardJumpToPane(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 40)
	s := e.startClaude(filepath.Join(e.home, "src", "jumpy"), "429,ok", "say hi")
	dump := e.dump([]string{s.Pane}, s)
	e.waitScreen(s.Pane, "the fake Claude to stall on a throttle", func(text string) bool {
		return strings.Contains(text, "Server is temporarily limiting requests")
	}, dump)
	cw := e.startCCWake("--throttle-base", "10m", "--throttle-cap", "10m", "--seed", "7")
	dump = e.dump([]string{cw.Pane, s.Pane}, s)
	e.waitScreen(cw.Pane, "the row with its pane", func(text string) bool {
		return strings.Contains(rowOf(text, s.ID), " tmux:"+s.Pane+" ")
	}, dump)
	active := func() string {
		return e.must("display-message", "-p", "-t", s.Pane, "#{window_active}#{pane_active}")
	}
	if got := active(); got == "11" {
		t.Fatalf("the fake's window is already active: the test proves nothing\n%s", dump())
	}
	e.must("send-keys", "-t", cw.Pane, "o")
	waitCond(t, "the fake's window and pane to become active", func() bool { return active() == "11" }, dump)
	// Issue 18 item 10: nobody is attached to see it, and the dashboard says
	// so rather than "jumped".
	e.waitScreen(cw.Pane, "the dashboard to say no client is attached", func(text string) bool {
		return strings.Contains(text, "no tmux client is attached")
	}, dump)
	if text := e.must("capture-pane", "-p", "-t", cw.Pane); strings.Contains(text, "jumped to") {
		t.Errorf("the dashboard says it jumped with no client attached:\n%s", text)
	}
	if got := userEntries(s.Transcript); count(got, "continue") != 0 {
		t.Errorf("the jump typed into the pane: %q", got)
	}
	e.quit(cw, dump)
}
