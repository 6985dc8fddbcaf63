package resume

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/resume/pane"
)

// Engine.Jump refuses, with the reason, a session it has no pane for or
// does not track, and never calls the actor then.
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
	h.wantCalls("", 0)
}
