package resume

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Issue 10 item 16 on a real tmux server: Focus makes the pane the active
// pane of the active window, and types nothing into it. No client is
// attached to the private server, so switch-client has nobody to switch;
// the selection is what a client attaching next sees.
func TestFocusSelectsWindowAndPane(t *testing.T) {
	s := newTmux(t)
	target := s.shellPane(t.TempDir())
	s.must("split-window", "-d", "-t", target, "bash", "--norc", "--noprofile") // target is not alone in its window
	other := s.shellPane(t.TempDir())
	s.must("select-window", "-t", other)
	s.must("select-pane", "-t", other)
	before := s.capture(target)
	state := func(pane string) string {
		return s.must("display-message", "-p", "-t", pane, "#{window_active}#{pane_active}")
	}
	if got := state(target); got == "11" {
		t.Fatalf("target already active (%s): the test proves nothing", got)
	}
	a := NewTmuxActor(TmuxConfig{Socket: s.sock, TmuxEnv: s.sock + ",1,0"})
	if err := a.Focus(context.Background(), target); err != nil {
		t.Fatalf("focus: %v", err)
	}
	if got := state(target); got != "11" {
		t.Errorf("after focus: window_active pane_active = %s, want 11", got)
	}
	if got := state(other); got == "11" {
		t.Errorf("the other pane is still the active one: %s", got)
	}
	if after := s.capture(target); after != before {
		t.Errorf("focus changed the pane's screen:\n%s\n---\n%s", before, after)
	}
	// A pane that is gone is a clear error.
	if err := a.Focus(context.Background(), "%999"); err == nil || !strings.Contains(err.Error(), "%999") {
		t.Errorf("focus on a missing pane: %v", err)
	}
}

// Outside tmux, or with the pane on another server, Focus says so and runs
// no tmux command at all.
func TestFocusRefusesWithoutOurServer(t *testing.T) {
	for _, tc := range []struct {
		name, socket, env, want string
	}{
		{"not in tmux", "/tmp/x/s", "", "not running inside tmux"},
		{"another server", "/tmp/x/s", "/tmp/y/default,42,0", "on the tmux server at /tmp/x/s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newFakeRunner(t) // no expectations: any tmux call fails the test
			a := NewTmuxActor(TmuxConfig{Socket: tc.socket, TmuxEnv: tc.env, Runner: r, Procs: newFakeProcs()})
			err := a.Focus(context.Background(), "%3")
			if !errors.Is(err, ErrCannotFocus) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrCannotFocus saying %q", err, tc.want)
			}
		})
	}
}

// Engine.Jump refuses, with the reason, a session it has no pane for or
// does not track, and never focuses then (the one locate is the engine
// looking for a pane to show for the fatal session, which finds none).
func TestEngineJumpWithoutPane(t *testing.T) {
	h := newHarness(t, nil)
	h.send(stall("dead", "d1", "fatal", 1, t0))
	h.wantPhase("dead", Fatal)
	for id, want := range map[string]string{"dead": "no pane for session dead", "nobody": "session nobody is not tracked"} {
		err := h.e.Jump(context.Background(), id)
		if !errors.Is(err, ErrCannotFocus) || !strings.Contains(err.Error(), want) {
			t.Errorf("jump %s: %v, want %q", id, err, want)
		}
	}
	if got := h.actor.Calls(); len(got) != 1 || got[0] != "locate dead" {
		t.Fatalf("calls %q, want only the locate that shows a pane", got)
	}
}
