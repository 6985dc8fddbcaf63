// Package resume decides when a stalled Claude Code session may be resumed
// and has it resumed through its Actor (pane.Actor: tmux, screen or kitty),
// guarded so it never types where it should not.
//
// One event's way through the package:
//
//	watch.Event ─▶ Engine.handle (observe.go) ─▶ settle ─▶ evaluate (evaluate.go): Decide → ResumeAt
//	                                   │ (fatal, gave up, paused, dismissed,
//	                                   │  no lock, auto off: shown, never typed)
//	  one timer for the next due time ─▶ attempt (attempt.go):
//	      drain events ─▶ still stalled, same LastUUID? ─▶ Actor.Locate ─▶ Actor.Check
//	        ready ─▶ Actor.Type ─▶ confirm (confirm.go): new entry? else Enter once, else unconfirmed
//	        user typing ─▶ look again in 5 s      usage dialog ─▶ one Escape after the reset
//	        auto wait ─▶ leave it until reset+margin   anything else ─▶ blocked, bounded backoff
//	  every decision ─▶ Action (History, Log, slog) ─▶ Snapshot + Changes ─▶ ui / status --json
//
// Every input of the Run loop (an event, a due step, a job's result, a
// command) ends with settle: the steps that act only say which tracks
// changed (replan), and each of those is evaluated once, so an input
// decides once and records its decision once.
//
// Files, by the engine's steps: engine.go (the Run loop that owns all
// state, and the due steps it fires), observe.go (a watcher event into its
// track), stall.go (what is known and done about a track's newest error:
// one value, rebuilt when the error changes), evaluate.go (decide: Decide
// applied to a track, its phase and schedule, its turn behind usage caps),
// attempt.go (the guards' look and the typing), confirm.go
// (was it delivered?), record.go (actions and snapshots). Beside them:
// policy.go and decide.go (the waits and the one decision, pure), config.go
// (every tunable), commands.go (Retry, Pause, Dismiss, SetAuto from the UI),
// lock.go (one ccwake per Claude root), clock.go (injected time), reopen.go
// (a new window for a session whose process is gone), persist.go and
// pending.go (the state file).
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
// one error (the track's stall value, keyed by the newest error's uuid, says
// typed), never type without
// the root's lock, never type when the transcript moved since the decision,
// and never send anything but the message, one Enter, or one Escape.
package resume
