package resume

import (
	"context"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
)

// Actor is the engine's one way to the terminals (tmux, screen, kitty): the
// engine decides; the actor finds panes, checks guards and types.
// pane.Actor implements it; tests use fakes. Every call is bounded by a
// timeout inside the actor and by the attempt's deadline in ctx. The engine
// calls it from job goroutines: calls for different sessions may run at the
// same time, never two for one session.
type Actor interface {
	// Locate finds the pane that runs s, on evidence that names s (its
	// sessions file in the process's own root, or a process of the
	// transcript's root whose screen shows this session's own last prompt
	// where others could be there). The error says why there is none (not
	// running, not in tmux, another root, two panes the screen cannot tell
	// apart …).
	Locate(ctx context.Context, s watch.Session) (pane.Target, error)
	// Check runs every pane and screen guard: pane alive, not in a mode,
	// input on, Claude in the foreground and running no program on the
	// terminal, stall on screen, input line empty, no dialog.
	Check(ctx context.Context, t pane.Target, s watch.Session) pane.Verdict
	// Type sends msg literally, pauses, re-checks the pane guards and that
	// the input line holds exactly msg, then sends Enter as a separate call.
	// Other text there is a human's: no Enter, and an error wrapping
	// pane.ErrHumanInput.
	Type(ctx context.Context, t pane.Target, msg string) error
	// Enter sends one more Enter (used when msg still sits in the input line).
	Enter(ctx context.Context, t pane.Target) error
	// Escape sends one Escape (only to dismiss the usage-limit dialog).
	Escape(ctx context.Context, t pane.Target) error
	// InputHolds reports whether msg still sits in the pane's input line.
	InputHolds(ctx context.Context, t pane.Target, msg string) (bool, error)
}
