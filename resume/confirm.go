package resume

import (
	"context"
	"time"

	"github.com/ccwake/ccwake/watch"
)

// Confirmation: a typed message counts only when the transcript shows it.
// Any new main-thread entry after the error we typed for confirms it: a user
// entry or reply (Claude works again), or a fresh API error (the continue
// was delivered and the API refused again: the next attempt of the stall).

// confirmed ends confirmation because t's session has a new newest entry.
func (e *Engine) confirmed(t *track) {
	s := t.st.Session
	t.confirming = false
	t.schedule(stepNone, time.Time{})
	late := ""
	if t.st.Phase == Unconfirmed {
		late = " (late)"
	}
	if s.State == watch.Stalled {
		e.note(t, "confirmed", errorf("continue delivered%s; the API answered with a new %s error (attempt %d)", late, s.Kind, max(s.Attempts, 1)))
		return
	}
	t.st.Phase, t.st.Reason = Resumed, "resumed at "+e.clockTime(e.clock.Now())
	e.note(t, "confirmed", ResumedReason+late)
	e.countResumed()
}

// ResumedReason is the reason of a "confirmed" action that counts as a
// resume (the session works again), as opposed to a continue answered by
// a new error. Readers of the log file count today's resumes by it.
const ResumedReason = "the transcript shows the session working again"

// confirmCheck runs ConfirmWait after typing with nothing in the transcript:
// if the message still sits in the input line, Enter got lost, so send one
// more Enter (only once, and never after a failed Type, whose guards may have
// stopped it for a reason).
func (e *Engine) confirmCheck(t *track) {
	e.drain()
	if !t.confirming {
		return // the drain confirmed it
	}
	final := t.typedAt.Add(e.cfg.ConfirmWait + e.cfg.ConfirmFinal)
	t.schedule(stepConfirmFinal, final)
	if t.typeErr || t.enterSent || t.paused || e.cfg.DryRun || !e.rootLocked(t.st.Session.Root) {
		return
	}
	tg, msg := t.target, e.cfg.Message
	e.start(t, jobHolds, func(ctx context.Context) jobResult {
		holds, err := e.actor.InputHolds(ctx, tg, msg)
		return jobResult{holds: holds, err: err}
	})
}

// held takes the InputHolds job's result: the message still in the input
// line gets one more Enter, in a job that shares the check's deadline.
func (e *Engine) held(t *track, j *job, r jobResult) {
	if r.err != nil {
		e.note(t, "check_failed", "could not read the input line: "+r.err.Error())
		return
	}
	if !r.holds {
		return
	}
	e.drain()
	if !t.confirming || t.paused || t.enterSent || !e.paneQuiet(j, t.target.Pane) {
		return
	}
	t.enterSent = true
	tg := t.target
	e.start(t, jobEnter, func(ctx context.Context) jobResult {
		return jobResult{err: e.actor.Enter(ctx, tg)}
	})
}

// entered takes the Enter job's result.
func (e *Engine) entered(t *track, err error) {
	if err != nil {
		e.note(t, "enter_failed", "one more Enter failed: "+err.Error())
	} else {
		e.note(t, "enter", quote(e.cfg.Message)+" still in the input line after "+e.cfg.ConfirmWait.String()+": one more Enter")
	}
	e.replan(t) // the transcript may have answered while the key went
}

// unconfirmed gives up on confirming: the stall is not typed into again until
// a different error is the newest entry (a late entry still confirms it).
func (e *Engine) unconfirmed(t *track) {
	e.drain()
	if !t.confirming {
		return
	}
	t.st.Phase = Unconfirmed
	t.st.Reason = "typed " + quote(e.cfg.Message) + " but the transcript never showed it; not typing again for this stall"
	e.note(t, "unconfirmed", t.st.Reason)
}

// countResumed counts today's confirmed resumes.
func (e *Engine) countResumed() {
	day := e.clock.Now().Format(time.DateOnly)
	if day != e.day {
		e.day, e.resumed = day, 0
	}
	e.resumed++
}
