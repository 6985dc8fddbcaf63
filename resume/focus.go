package resume

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ccwake/ccwake/resume/mux"
)

// Focuser is an Actor that can bring a pane in front of the user. It is
// separate from Actor: showing a pane types nothing, and not every backend
// can do it.
type Focuser interface {
	// Focus makes pane the active pane of its window, that window the
	// active one of its session, and switches ccwake's own client there.
	Focus(ctx context.Context, pane string) error
}

// ErrCannotFocus says why a pane cannot be brought to the front from here
// (ccwake is not inside tmux, the pane is on another server, the backend
// cannot); the message says what to do instead.
var ErrCannotFocus = errors.New("cannot jump to the pane")

// ErrNoClient says the pane was selected but no tmux client is attached to
// its server to show it: nothing visible happened, and the dashboard must
// not say "jumped". A client attaching next shows the pane.
var ErrNoClient = errors.New("no tmux client is attached")

var _ Focuser = (*TmuxActor)(nil)

// Focus selects pane's window and the pane, then switches the client
// ccwake runs in to it. It refuses when ccwake is not inside tmux ($TMUX
// unset) or the pane lives on another server than ccwake's own, since no
// client of ours could show it. A server without any client (nothing is
// attached) keeps the selection for the next attach, and Focus returns
// ErrNoClient saying so.
func (a *TmuxActor) Focus(ctx context.Context, pane string) error {
	backend, id := mux.Split(pane)
	if backend != "tmux" {
		return fmt.Errorf("%w: ccwake can jump to tmux panes only; %s is a %s window", ErrCannotFocus, pane, backend)
	}
	pane = id
	if a.tmuxEnv == "" {
		return fmt.Errorf("%w: ccwake is not running inside tmux; attach to %s and go to pane %s", ErrCannotFocus, a.tmux.where(), pane)
	}
	own, _, _ := strings.Cut(a.tmuxEnv, ",")
	if sock := a.tmux.Socket(); sock != "" && !sameFile(sock, own) {
		return fmt.Errorf("%w: pane %s is on the tmux server at %s, ccwake runs in the one at %s", ErrCannotFocus, pane, sock, own)
	}
	for _, args := range [][]string{
		{"select-window", "-t", pane},
		{"select-pane", "-t", pane},
		{"switch-client", "-t", pane},
	} {
		out, err := a.tmux.call(ctx, args...)
		if err != nil && args[0] == "switch-client" && strings.Contains(err.Error()+string(out), "no current client") {
			// Nothing attached: the selection waits for the next attach.
			return fmt.Errorf("%w to %s: pane %s is selected and shows when you attach", ErrNoClient, a.tmux.where(), pane)
		}
		if err != nil {
			return fmt.Errorf("jump to pane %s: %s: %w", pane, args[0], err)
		}
	}
	return nil
}

// sameFile reports whether two socket paths name the same file.
func sameFile(a, b string) bool {
	clean := func(p string) string {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return r
		}
		return filepath.Clean(p)
	}
	return clean(a) == clean(b)
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
			return fmt.Errorf("%w: no pane for session %s: %s", ErrCannotFocus, shortSession(id), why)
		}
		f, ok := e.actor.(Focuser)
		if !ok {
			return fmt.Errorf("%w: this backend cannot switch panes", ErrCannotFocus)
		}
		return f.Focus(ctx, st.Pane)
	}
	return fmt.Errorf("%w: session %s is not tracked", ErrCannotFocus, shortSession(id))
}

// shortSession is the 8-character id the dashboard shows.
func shortSession(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
