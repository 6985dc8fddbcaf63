package resume

import (
	"context"
	"fmt"

	"github.com/ccwake/ccwake/resume/pane"
)

// Focuser is an Actor that can also bring a pane in front of the user. It is
// separate from Actor: showing a pane types nothing, and not every backend
// can do it.
type Focuser interface {
	// Focus makes pane the active pane of its window, that window the
	// active one of its session, and switches ccwake's own client there.
	Focus(ctx context.Context, pane string) error
}

// Jump brings the pane of session id in front of the user (the dashboard's
// jump key). It types nothing. The pane is the one the engine last matched
// to the session; there is none before it has looked.
func (e *Engine) Jump(ctx context.Context, id string) error {
	snap := e.Snapshot()
	for _, st := range snap.Sessions {
		if st.Session.ID != id {
			continue
		}
		if st.Pane == "" {
			why := "ccwake has not matched a pane to it"
			if st.PaneErr != "" {
				why = st.PaneErr
			}
			return fmt.Errorf("%w: no pane for session %s: %s", pane.ErrCannotFocus, shortSession(id), why)
		}
		f, ok := e.actor.(Focuser)
		if !ok {
			return fmt.Errorf("%w: this backend cannot switch panes", pane.ErrCannotFocus)
		}
		return f.Focus(ctx, st.Pane)
	}
	return fmt.Errorf("%w: session %s is not tracked", pane.ErrCannotFocus, shortSession(id))
}

// shortSession is the 8-character id the dashboard shows.
func shortSession(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
