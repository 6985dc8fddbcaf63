package resume

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/resume/pane"
)

// Engine.Jump refuses, with the reason, a session it has no pane for or
// does not track, and never focuses then (the one locate is the engine
// looking for a pane to show for the fatal session, which finds none).
func TestEngineJumpWithoutPane(t *testing.T) {
	h := newHarness(t, nil)
	h.send(stall("dead", "d1", "fatal", 1, t0))
	h.wantPhase("dead", Fatal)
	for id, want := range map[string]string{"dead": "no pane for session dead", "nobody": "session nobody is not tracked"} {
		err := h.e.Jump(context.Background(), id)
		if !errors.Is(err, pane.ErrCannotFocus) || !strings.Contains(err.Error(), want) {
			t.Errorf("jump %s: %v, want %q", id, err, want)
		}
	}
	if got := h.actor.Calls(); len(got) != 1 || got[0] != "locate dead" {
		t.Fatalf("calls %q, want only the locate that shows a pane", got)
	}
}
