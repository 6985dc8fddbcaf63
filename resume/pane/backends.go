package pane

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/mux/kitty"
	"github.com/ccwake/ccwake/resume/mux/screen"
	"github.com/ccwake/ccwake/resume/mux/tmux"
	"github.com/ccwake/ccwake/resume/procs"
)

// A wave is the attempts the engine starts together: in one pass over what
// is due, or within WaveTTL of each other (events arrive one by one at
// start-up, many sessions come due at the same boundary, one change wakes
// them all). Locate calls of one wave share one `tmux list-panes`, one
// `screen -ls` and one read of the process table, so 50 pane-less sessions
// cost one listing, not 50. A call outside any wave (status, tests) lists
// afresh.
type waveKey struct{}

// WaveTTL is how long a listing serves the engine's later passes.
const WaveTTL = time.Second

// WithWave marks ctx as part of wave id (non-zero).
func WithWave(ctx context.Context, id uint64) context.Context {
	return context.WithValue(ctx, waveKey{}, id)
}

func waveOf(ctx context.Context) uint64 {
	id, _ := ctx.Value(waveKey{}).(uint64)
	return id
}

// wave is the last listing of every backend and of the process table.
type wave struct {
	mu    sync.Mutex
	id    uint64 // the wave it was listed for; 0: none
	at    time.Time
	panes []mux.Pane // ids qualified ("tmux:%3")
	errs  []error
	procs []procs.Proc
	perr  error
}

// newBackends builds the backends named in names ("tmux", "screen");
// nil or empty means tmux only.
func newBackends(cfg Config, tmux *tmux.Tmux, procs procs.Table) ([]mux.Backend, error) {
	names := cfg.Backends
	if len(names) == 0 {
		names = []string{"tmux"}
	}
	var out []mux.Backend
	for _, n := range names {
		switch n {
		case "tmux":
			out = append(out, tmux)
		case "screen":
			out = append(out, screen.New(cfg.Runner, screenProcs{procs}, cfg.ScreenDir))
		case "kitty":
			out = append(out, kitty.New(cfg.KittyListenOn))
		default:
			return nil, fmt.Errorf("unknown terminal backend %q (known: tmux, screen, kitty)", n)
		}
	}
	return out, nil
}

// backend returns the backend of a qualified pane id and the native id.
func (a *Actor) backend(pane string) (mux.Backend, string, error) {
	name, id := mux.Split(pane)
	for _, b := range a.backends {
		if b.Name() == name {
			return b, id, nil
		}
	}
	return nil, "", fmt.Errorf("pane %s: backend %q is not in use", pane, name)
}

// listing returns every backend's panes (ids qualified) and the process
// table, listed once per wave. A backend without a server adds no
// panes; its error is returned only when no backend could list.
func (a *Actor) listing(ctx context.Context) ([]mux.Pane, []procs.Proc, error) {
	w := &a.wave
	w.mu.Lock()
	defer w.mu.Unlock()
	id, now := waveOf(ctx), a.now()
	fresh := w.id != 0 && (id == w.id || (now.Sub(w.at) < WaveTTL && !now.Before(w.at)))
	if id == 0 || !fresh {
		w.panes, w.errs = nil, nil
		for _, b := range a.backends {
			ps, err := b.ListPanes(ctx)
			if err != nil {
				w.errs = append(w.errs, fmt.Errorf("%s: %w", b.Name(), err))
				continue
			}
			for _, p := range ps {
				p.ID = mux.Qualify(b.Name(), p.ID)
				w.panes = append(w.panes, p)
			}
		}
		w.procs, w.perr = a.procs.List(ctx)
		w.id, w.at = id, now
		if ctx.Err() != nil {
			w.id = 0 // a listing cut short is not shared
		}
	}
	if w.perr != nil {
		return nil, nil, w.perr
	}
	if len(w.errs) == len(a.backends) && len(w.errs) > 0 {
		if len(w.errs) == 1 {
			return nil, nil, errors.Unwrap(w.errs[0])
		}
		return nil, nil, errors.Join(w.errs...)
	}
	return w.panes, w.procs, nil
}

// Panes lists the panes of every backend now (ids qualified). A backend
// without a server adds none; only when no backend can list is it an
// error (mux.ErrNoServer when none runs).
func (a *Actor) Panes(ctx context.Context) ([]mux.Pane, error) {
	if a.initErr != nil {
		return nil, a.initErr
	}
	panes, _, err := a.listing(ctx)
	return panes, err
}

// paneWords names where panes were looked for: "tmux pane (socket x) or
// screen window (default SCREENDIR)".
func (a *Actor) paneWords() string {
	var w []string
	for _, b := range a.backends {
		kind := "pane"
		if b.Name() != "tmux" {
			kind = "window"
		}
		w = append(w, fmt.Sprintf("%s %s (%s)", b.Name(), kind, b.Where()))
	}
	return strings.Join(w, " or ")
}

func (a *Actor) paneInfo(ctx context.Context, pane string) (mux.Pane, error) {
	b, id, err := a.backend(pane)
	if err != nil {
		return mux.Pane{}, err
	}
	p, err := b.PaneInfo(ctx, id)
	p.ID = mux.Qualify(b.Name(), id)
	return p, err
}

func (a *Actor) capture(ctx context.Context, pane string) (string, error) {
	b, id, err := a.backend(pane)
	if err != nil {
		return "", err
	}
	return b.Capture(ctx, id)
}

// onlyHint reports whether the input line, which a plain capture read as
// draft, holds only Claude Code's hint (see placeholder.go). With styles
// (tmux, kitty) the hint is dim: placeholderOnly. Without (screen), the
// text must be exactly one of the client's known hints and the terminal
// cursor on its first cell, the same cell before and after a fresh capture
// that still shows it: hintAtCursor. A backend with neither, an error or
// any doubt says false, and the draft guard holds.
func (a *Actor) onlyHint(ctx context.Context, pane, draft string) bool {
	b, id, err := a.backend(pane)
	if err != nil {
		return false
	}
	styled, err := b.CaptureStyled(ctx, id)
	if err == nil {
		return placeholderOnly(styled)
	}
	cr, ok := b.(mux.CursorReader)
	if !errors.Is(err, mux.ErrNoStyles) || !ok || !isErrorHint(draft) {
		return false
	}
	col, row, err := cr.Cursor(ctx, id)
	if err != nil {
		a.log.Debug("hint check: cursor", "pane", pane, "err", err)
		return false
	}
	text, err := b.Capture(ctx, id)
	if err != nil {
		a.log.Debug("hint check: capture", "pane", pane, "err", err)
		return false
	}
	col2, row2, err := cr.Cursor(ctx, id)
	if err != nil || col2 != col || row2 != row {
		a.log.Debug("hint check: the cursor moved", "pane", pane, "err", err)
		return false
	}
	ok = ClassifyScreen(text, "").Draft == draft && hintAtCursor(text, col, row)
	a.log.Debug("hint check without styles", "pane", pane, "cursor_col", col, "cursor_row", row, "hint", ok)
	return ok
}

func (a *Actor) sendLiteral(ctx context.Context, pane, text string) error {
	b, id, err := a.backend(pane)
	if err != nil {
		return err
	}
	return b.SendLiteral(ctx, id, text)
}

func (a *Actor) sendKey(ctx context.Context, pane, key string) error {
	b, id, err := a.backend(pane)
	if err != nil {
		return err
	}
	return b.SendKey(ctx, id, key)
}

// screenProcs gives the screen backend its view of the process table.
type screenProcs struct{ p procs.Table }

func (s screenProcs) Children(ctx context.Context, pid int) ([]int, error) {
	list, err := s.p.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, p := range list {
		if p.PPID == pid && p.PID != pid {
			out = append(out, p.PID)
		}
	}
	return out, nil
}

func (s screenProcs) Environ(ctx context.Context, pid int) ([]string, error) {
	return s.p.Environ(ctx, pid)
}

func (s screenProcs) TTY(ctx context.Context, pid int) (string, error) {
	fds, err := s.p.Stdio(ctx, pid)
	if err != nil || len(fds) == 0 {
		return "", err
	}
	return fds[0], nil
}
