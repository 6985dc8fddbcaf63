package resume

import (
	"time"

	"github.com/ccwake/ccwake/watch"
)

// History is what a resumer knows about one session beside its transcript:
// the plan it drew for the newest error, where stagger moved it, what it
// typed, and what the user and the lock say. The zero value is a running
// ccwake with auto-resume on and the root locked that has done nothing yet
// (what `ccwake status` shows).
type History struct {
	// Plan is the plan drawn for the newest error (Policy.Decide, with its
	// jitter); nil: the latest moment the policy allows (Policy.Latest),
	// which is what a one-shot `ccwake status` can know.
	Plan *Decision
	// At is Plan.At as StaggerPlans moved it behind other sessions on a
	// usage cap; zero: not moved. Stagger is the gap, for the reason.
	At      time.Time
	Stagger time.Duration

	TypedFor     string // uuid of the error ccwake typed for: never again for it
	DismissedFor string // uuid of the error the user dismissed
	Paused       bool   // the user paused the session
	Retry        bool   // the user asked to resume now, once
	NotLocked    string // non-empty: why this ccwake may not type under the session's root
	AutoOff      bool   // auto-resume is off
	// ContinuedIn: ccwake reopened this stall (`claude --resume`) and the
	// session goes on in this other transcript, which takes the stall over.
	ContinuedIn string
}

// Outcome is what Decide says about one session: its phase, when to resume
// it (Phase Waiting) and why, in the words the log and the dashboard show.
type Outcome struct {
	Phase Phase
	At    time.Time // Waiting: when to resume (may lie in the past: due now)
	Why   string
	// Log names a hold worth one log line per streak ("fatal", "gave_up");
	// "" for the others.
	Log string
	// Typed: ccwake typed for this very error; nothing is typed for it
	// again, and the engine keeps the phase its attempt left.
	Typed bool
}

// Decide is the one decision about a session, shared by the engine and
// `ccwake status`: session, history and now in, the plan with its reason
// out. It is pure: no clock, no randomness (the jitter is drawn into
// History.Plan beforehand), no side effects. Checks run in order of
// precedence: typed already, dismissed, fatal, reopened into another file, paused, given up, not ours
// to type (lock), auto-resume off, then waiting for the planned time.
func Decide(s watch.Session, h History, now time.Time, p Policy) Outcome {
	if s.State != watch.Stalled {
		if h.Paused {
			return Outcome{Phase: Paused, Why: "paused"}
		}
		return Outcome{Phase: Idle}
	}
	plan := p.Latest(s, now)
	if h.Plan != nil {
		plan = *h.Plan
	}
	switch {
	case s.LastUUID == "":
		// Never twice per stall rests on the error's uuid: without one,
		// this error cannot be told from the next.
		return Outcome{Phase: Watching, Why: "the error has no uuid: ccwake cannot make sure it types only once for it"}
	case s.LastUUID == h.TypedFor:
		return Outcome{Phase: Unconfirmed, Typed: true, Why: "typed for this error already: never twice"}
	case h.DismissedFor != "" && h.DismissedFor == s.LastUUID:
		// Before fatal: a human saw the error and dismissed it (x); the
		// row leaves every view until a new error arrives.
		return Outcome{Phase: Dismissed, Why: "dismissed until it stalls again"}
	case plan.Phase == Fatal:
		return Outcome{Phase: Fatal, Why: plan.Why, Log: "fatal"}
	case h.ContinuedIn != "":
		return Outcome{Phase: Watching, Why: "reopened: the session continues in " + h.ContinuedIn}
	case h.Paused && !h.Retry:
		return Outcome{Phase: Paused, Why: "paused"}
	case plan.Phase == GaveUp && !h.Retry:
		return Outcome{Phase: GaveUp, Why: plan.Why, Log: "gave_up"}
	case h.NotLocked != "":
		return Outcome{Phase: Watching, Why: h.NotLocked}
	case h.AutoOff && !h.Retry:
		// No time in the reason: it stays on screen after the time passed;
		// the RESUME column counts down and then says due.
		return Outcome{Phase: Watching, Why: "auto-resume is off (a turns it on, r resumes this one)"}
	case h.Retry:
		return Outcome{Phase: Waiting, At: now, Why: "retry asked for: resuming now (the guards still apply)"}
	}
	at := plan.At
	if !h.At.IsZero() {
		at = h.At
	}
	if at.IsZero() {
		at = now
	}
	return Outcome{Phase: Waiting, At: at, Why: planWhy(plan, h, now, p.Loc)}
}

// planWhy is the plan's reason, saying so when stagger moved the resume.
func planWhy(plan Decision, h History, now time.Time, loc *time.Location) string {
	if h.At.IsZero() || h.At.Equal(plan.At) {
		return plan.Why
	}
	return plan.Why + "; staggered to " + HumanTime(h.At, now, loc) + " behind other sessions on a usage cap (--stagger " + h.Stagger.String() + ")"
}
