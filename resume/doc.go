// Package resume decides when a stalled Claude Code session may be resumed
// and has it resumed through its Actor (pane.Actor: tmux, screen or kitty),
// guarded so it never types where it should not.
//
// One event's way through the package:
//
//	watch.Event ─▶ Engine.handle ─▶ evaluate (schedule.go): Policy.Decide → ResumeAt
//	                                   │ (fatal, gave up, paused, dismissed,
//	                                   │  no lock, auto off: shown, never typed)
//	  one timer for the next due time ─▶ attempt (act.go):
//	      drain events ─▶ still stalled, same LastUUID? ─▶ Actor.Locate ─▶ Actor.Check
//	        ready ─▶ Actor.Type ─▶ confirm (confirm.go): new entry? else Enter once, else unconfirmed
//	        user typing ─▶ look again in 5 s      usage dialog ─▶ one Escape after the reset
//	        auto wait ─▶ leave it until reset+margin   anything else ─▶ blocked, bounded backoff
//	  every decision ─▶ Action (History, Log, slog) ─▶ Snapshot + Changes ─▶ ui / status --json
//
// Files: policy.go (the waits, pure), config.go (every tunable), engine.go
// (the Run loop that owns all state), schedule.go (decide), act.go (guards and
// typing), confirm.go (was it delivered?), commands.go (Retry, Pause, Dismiss,
// SetAuto from the UI), record.go (actions and snapshots), lock.go (one ccwake
// per Claude root), clock.go (injected time), reopen.go (a new window for a
// session whose process is gone).
//
// The terminal side lives in packages of its own, below this one:
// resume/pane (Actor: find a session's pane, read its screen, the guards
// and the two-step send), resume/procs (the process table, a process's
// Claude root and sessions file, who holds a session) and resume/mux with
// one package per multiplexer, peers of each other: mux/tmux, mux/screen,
// mux/kitty. The engine reaches the terminals through three interfaces it
// defines: Actor for everything it types, and, for reopening only,
// ReopenConfig's Spawner (a new window) and HolderFinder (does any process
// still hold the session?).
//
// Safety rules the engine keeps whatever the actor says: never type twice for
// one error (the newest error's uuid keys each attempt), never type without
// the root's lock, never type when the transcript moved since the decision,
// and never send anything but the message, one Enter, or one Escape.
package resume
