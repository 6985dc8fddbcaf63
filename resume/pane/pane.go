// Package pane finds the terminal pane that runs a stalled Claude Code
// session, reads what its screen shows, and types into it only when every
// guard passes. Actor does it over any multiplexer backend (resume/mux/tmux,
// resume/mux/screen, resume/mux/kitty, peers behind mux.Backend), reading the
// host's processes through resume/procs. The engine (package resume)
// decides when; it reaches this package only through its resume.Actor
// interface, whose vocabulary (Target, Verdict, Screen) is defined here.
package pane

import "errors"

// Target is a pane positively matched to one session.
type Target struct {
	Pane string // qualified pane id, e.g. "tmux:%3" (mux.Qualify)
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

// ErrNotInPane means no pane of any backend runs the session: nothing runs
// it, or its process runs outside every multiplexer. Nothing the engine
// can do changes that; a new or gone Claude process does (PanesChanged).
var ErrNotInPane = errors.New("no pane runs this session")

// notInPane is an error that says why in its own words and is ErrNotInPane.
type notInPane string

func (e notInPane) Error() string        { return string(e) }
func (e notInPane) Is(target error) bool { return target == ErrNotInPane }
