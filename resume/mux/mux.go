// Package mux is what ccwake needs from a terminal multiplexer, behind one
// small interface: list panes with their first process, read one pane's
// state and visible screen, type literal text and press Enter or Escape.
// Everything that decides whether typing is safe (which process runs the
// session, what the screen shows, the two-step send) lives in package
// resume/pane and works on any Backend. One package per backend, peers of
// each other: mux/tmux, mux/screen, mux/kitty.
package mux

import (
	"context"
	"errors"
	"strings"
)

// Runner is how the terminal side runs its external commands: the
// backends' tmux, screen and kitty, and resume/procs' ps and lsof on macOS
// (notify, reopen and the service commands run theirs elsewhere). Everything
// above it builds argv in pure
// functions, so unit tests swap in a fake and integration tests use
// ExecRunner against a private server. It runs one command (never through a
// shell) and returns its standard output; a failing command's error
// includes its stderr.
type Runner interface {
	Run(ctx context.Context, argv ...string) ([]byte, error)
}

// Pane is one pane (tmux) or window (screen) as the guards need it.
type Pane struct {
	ID  string // backend-native id: "%3" (tmux), "1234.pts-0.host/2" (screen)
	PID int    // the pane's first process (usually the shell)
	// Command is the name of the terminal's foreground process where the
	// backend tells it (tmux #{pane_current_command}); "" where it does
	// not (screen), and the process-group guard alone decides.
	Command  string
	Dead     bool   // the pane's program exited and the pane stays
	InMode   bool   // copy mode or another mode that swallows keys
	Mode     string // e.g. "copy-mode"
	InputOff bool   // the pane ignores input
	TTY      string // "/dev/pts/4"
	Session  string // tmux session name, screen session "pid.name"
	Window   string // tmux "@1", screen window number
}

// Keys a backend must send by name.
const (
	KeyEnter  = "Enter"
	KeyEscape = "Escape"
)

// Backend is one multiplexer server (or every session of one, for screen).
// Every call is bounded by ctx. ListPanes may leave InMode/InputOff unset;
// PaneInfo must fill them, since typing depends on them.
type Backend interface {
	// Name is the id prefix: "tmux", "screen", "kitty".
	Name() string
	// Where says which server, for messages ("socket /tmp/x", "SCREENDIR /run/screen/S-me").
	Where() string
	// ListPanes lists every live pane. No server is ErrNoServer.
	ListPanes(ctx context.Context) ([]Pane, error)
	// PaneInfo reads one pane's state now; a pane that is gone is ErrNoPane.
	PaneInfo(ctx context.Context, id string) (Pane, error)
	// Capture returns the pane's visible text, no escape sequences.
	Capture(ctx context.Context, id string) (string, error)
	// CaptureStyled is Capture with SGR sequences kept, or ErrNoStyles.
	CaptureStyled(ctx context.Context, id string) (string, error)
	// SendLiteral types text as literal keys (no key names, no escapes).
	SendLiteral(ctx context.Context, id, text string) error
	// SendKey presses KeyEnter or KeyEscape.
	SendKey(ctx context.Context, id, key string) error
}

// CursorReader is implemented by a backend that can tell where a pane's
// terminal cursor is. It matters where CaptureStyled is ErrNoStyles
// (screen): Claude Code's hint in an empty input line reads like a draft
// in plain text, but the client puts the cursor on the hint's first cell,
// while a human's draft leaves it after the typed text.
type CursorReader interface {
	// Cursor returns the cursor's column and row, 0-based, on the visible
	// screen as Capture returns it (row 0 is Capture's first line).
	Cursor(ctx context.Context, id string) (col, row int, err error)
}

var (
	// ErrNoServer means no server of the backend runs.
	ErrNoServer = errors.New("server not running")
	// ErrNoPane means the pane does not exist (any more).
	ErrNoPane = errors.New("no such pane")
	// ErrNoStyles means the backend cannot capture colours and attributes.
	ErrNoStyles = errors.New("the backend cannot read styles")
)

// Qualify prefixes a native pane id with its backend: "screen:1234.x/2".
func Qualify(backend, id string) string { return backend + ":" + id }

// Split returns the backend and native id of a qualified pane id. An id
// without a known prefix is tmux's ("%3"), as ccwake wrote them before
// there were other backends.
func Split(qualified string) (backend, id string) {
	if b, rest, ok := strings.Cut(qualified, ":"); ok && b != "" && !strings.ContainsAny(b, "%/.") {
		return b, rest
	}
	return "tmux", qualified
}
