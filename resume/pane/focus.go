package pane

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/mux/tmux"
)

// ErrCannotFocus says why a pane cannot be brought to the front from here
// (ccwake is not inside tmux, the pane is on another server, the backend
// cannot); the message says what to do instead.
var ErrCannotFocus = errors.New("cannot jump to the pane")

// ErrNoClient says the pane was selected but no tmux client is attached to
// its server to show it: nothing visible happened, and the dashboard must
// not say "jumped". A client attaching next shows the pane.
var ErrNoClient = tmux.ErrNoClient

// Focus selects pane's window and the pane, then switches the client
// ccwake runs in to it. It refuses when ccwake is not inside tmux ($TMUX
// unset) or the pane lives on another server than ccwake's own, since no
// client of ours could show it. A server without any client (nothing is
// attached) keeps the selection for the next attach, and Focus returns
// ErrNoClient saying so.
func (a *Actor) Focus(ctx context.Context, pane string) error {
	backend, id := mux.Split(pane)
	if backend != "tmux" {
		return fmt.Errorf("%w: ccwake can jump to tmux panes only; %s is a %s window", ErrCannotFocus, pane, backend)
	}
	pane = id
	if a.tmuxEnv == "" {
		return fmt.Errorf("%w: ccwake is not running inside tmux; attach to %s and go to pane %s", ErrCannotFocus, a.tmux.Where(), pane)
	}
	own, _, _ := strings.Cut(a.tmuxEnv, ",")
	if sock := a.tmux.Socket(); sock != "" && !sameFile(sock, own) {
		return fmt.Errorf("%w: pane %s is on the tmux server at %s, ccwake runs in the one at %s", ErrCannotFocus, pane, sock, own)
	}
	if err := a.tmux.Select(ctx, pane); err != nil {
		if errors.Is(err, ErrNoClient) {
			return fmt.Errorf("%w to %s: pane %s is selected and shows when you attach", err, a.tmux.Where(), pane)
		}
		return err
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
