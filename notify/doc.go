// Package notify tells a human what ccwake could not settle alone: a long
// wait, a resume after one, a give-up, a fatal error, a session blocked for
// minutes, a reopened session.
//
// It reads the engine's published Snapshots (never its internals) and sits
// after it in the pipeline:
//
//	resume.Engine ─▶ Snapshot ─▶ Detector (which events, once per stall)
//	              ─▶ Limiter (at most N a minute, the rest in one summary)
//	              ─▶ Sinks (desktop, command, URL behind Retrying, terminal bell)
//
// resume and watch never import notify.
package notify
