package resume

import (
	"context"

	"github.com/ccwake/ccwake/watch"
)

// Target is a tmux pane positively matched to one session.
type Target struct {
	Pane string // tmux pane id, e.g. "%3"
	PID  int    // the Claude Code process in that pane
	How  string // how it was matched, e.g. "sessions/123.json tmux field", "process tree + cwd"
}

// Screen is what a pane shows right now, as far as the guards care.
type Screen string

const (
	ScreenReady       Screen = "ready"        // the stall is shown and the input line is empty: safe to type
	ScreenDraft       Screen = "user_typing"  // a human has text in the input line: wait, never clear it
	ScreenDialog      Screen = "dialog"       // a dialog or selection list: Enter would pick an option
	ScreenUsageDialog Screen = "usage_dialog" // 2.1.145's own "What do you want to do?" usage-limit dialog
	ScreenAutoWait    Screen = "auto_wait"    // 2.1.330 "Continuing automatically at …": the client waits itself
	ScreenBusy        Screen = "busy"         // "esc to interrupt": Claude is working
	ScreenVimNormal   Screen = "vim_normal"   // vim input mode in NORMAL: Enter is a motion
	ScreenNoStall     Screen = "no_stall"     // the error is not on screen / not the last message
	ScreenUnknown     Screen = "unknown"      // not recognisable as a Claude Code prompt
)

// Verdict is the outcome of the guards for one pane at one moment.
type Verdict struct {
	OK     bool   // every guard passed: typing is safe now
	Screen Screen // what the screen shows (when the pane guards passed far enough to look)
	Reason string // why not, in words for the log and the dashboard
	// Beneath is, for ScreenAutoWait, what the screen shows without the
	// client's auto-continue countdown (ScreenInfo.Beneath): a retry asked
	// for by the user types over the countdown only when it is ScreenReady.
	Beneath Screen
	// StallShown: the stall's error is the last message on screen (also
	// when a draft outranks it), so a draft sits under this very stall.
	StallShown bool
}

// Actor is the only part of ccwake that touches tmux. The engine decides;
// the actor finds panes, checks guards and types. Every call is bounded by a
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
	Locate(ctx context.Context, s watch.Session) (Target, error)
	// Check runs every pane and screen guard: pane alive, not in a mode,
	// input on, Claude in the foreground and running no program on the
	// terminal, stall on screen, input line empty, no dialog.
	Check(ctx context.Context, t Target, s watch.Session) Verdict
	// Type sends msg literally, pauses, re-checks the pane guards and that
	// the input line holds exactly msg, then sends Enter as a separate call.
	// Other text there is a human's: no Enter, and an error wrapping
	// ErrHumanInput.
	Type(ctx context.Context, t Target, msg string) error
	// Enter sends one more Enter (used when msg still sits in the input line).
	Enter(ctx context.Context, t Target) error
	// Escape sends one Escape (only to dismiss the usage-limit dialog).
	Escape(ctx context.Context, t Target) error
	// InputHolds reports whether msg still sits in the pane's input line.
	InputHolds(ctx context.Context, t Target, msg string) (bool, error)
}
