package pane

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Issue 10 item 16 on a real tmux server: Focus makes the pane the active
// pane of the active window, and types nothing into it. No client is
// attached to the private server, so switch-client has nobody to switch;
// the selection is what a client attaching next sees, and Focus says that
// nobody saw it (issue 18 item 10).
func TestFocusSelectsWindowAndPane(t *testing.T) {
	t.Parallel() // its own server, socket and root
	s := newTmux(t)
	target := s.ShellPane(t.TempDir())
	s.Must("split-window", "-d", "-t", target, "bash", "--norc", "--noprofile") // target is not alone in its window
	other := s.ShellPane(t.TempDir())
	s.Must("select-window", "-t", other)
	s.Must("select-pane", "-t", other)
	before := s.Capture(target)
	state := func(pane string) string {
		return s.Must("display-message", "-p", "-t", pane, "#{window_active}#{pane_active}")
	}
	if got := state(target); got == "11" {
		t.Fatalf("target already active (%s): the test proves nothing", got)
	}
	a := New(Config{Socket: s.Sock, TmuxEnv: s.Sock + ",1,0"})
	// Issue 18 item 10: with no client to show it, Focus says so rather
	// than reporting a jump nobody saw.
	if err := a.Focus(context.Background(), target); !errors.Is(err, ErrNoClient) || !strings.Contains(err.Error(), "no tmux client is attached") {
		t.Fatalf("focus with no client attached: %v, want ErrNoClient", err)
	}
	if got := state(target); got != "11" {
		t.Errorf("after focus: window_active pane_active = %s, want 11", got)
	}
	if got := state(other); got == "11" {
		t.Errorf("the other pane is still the active one: %s", got)
	}
	if after := s.Capture(target); after != before {
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
			a := New(Config{Socket: tc.socket, TmuxEnv: tc.env, Runner: r, Procs: newFakeProcs()})
			err := a.Focus(context.Background(), "%3")
			if !errors.Is(err, ErrCannotFocus) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrCannotFocus saying %q", err, tc.want)
			}
		})
	}
}
