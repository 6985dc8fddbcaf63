package resume

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// replan asks for t to be evaluated once the input at hand (an event, a
// due step, a job's result, a command) is folded in. The steps that act
// never decide themselves: they say what changed and leave the one decision
// to settle.
func (e *Engine) replan(t *track) {
	if !t.touched {
		t.touched = true
		e.touched = append(e.touched, t)
	}
}

// settle evaluates every track the input touched, once each, in the order
// they were touched. The Run loop's inputs end with it: an event decides
// once and records once.
func (e *Engine) settle() {
	for i := 0; i < len(e.touched); i++ { // evaluate may touch no track, but stay safe if it does
		t := e.touched[i]
		t.touched = false
		e.evaluate(t, e.clock.Now())
	}
	clear(e.touched)
	e.touched = e.touched[:0]
}

// evaluate brings a track's phase and schedule up to date with its session:
// the decision (Decide) and its record. Only settle calls it; it decides,
// it never acts.
func (e *Engine) evaluate(t *track, now time.Time) {
	s := t.st.Session
	if t.awaitingConfirm() {
		if t.cur.typed {
			return // nothing new in the transcript yet (a new entry rebuilds cur)
		}
		if t.busy != nil && t.busy.kind.sendsKeys() {
			return // keys still on their way: typed/entered confirm it when they end, in that order
		}
		e.confirmed(t)
	}
	if e.pendingStep(t, now) {
		return // ccwake's own leftover text is reported first
	}

	if s.State != watch.Stalled {
		switch t.st.Phase {
		case Waiting, Blocked, Watching, Fatal, GaveUp, Dismissed:
			// Stalled a moment ago, and ccwake typed nothing that moved it:
			// a human, the client itself or another ccwake did.
			e.note(t, "recovered", "the session went on without this ccwake typing")
		}
		t.schedule(stepNone, time.Time{})
		t.st.ResumeAt, t.at, t.slot = time.Time{}, time.Time{}, time.Time{}
		t.blockedN, t.retry, t.cur.dismissed = 0, false, false
		t.st.Reason = ""
		switch {
		case t.paused:
			t.st.Phase = Paused
		case t.st.Phase != Resumed:
			t.st.Phase = Idle
		}
		return
	}

	if !t.cur.planned { // a new error: a new plan
		t.cur.planned = true
		t.cur.plan = e.cfg.Decide(s, now, e.rng)
		t.at, t.slot = t.cur.plan.At, time.Time{}
		t.blockedN, t.lastNote = 0, ""
		t.schedule(stepNone, time.Time{})
		e.restoreError(t)
		e.continuation(t)
	}
	e.restagger(t)
	t.st.ResumeAt = t.at
	if !t.slot.IsZero() {
		t.st.ResumeAt = t.slot // waiting for its turn behind another session on a cap
	}

	out := Decide(s, e.history(t), now, e.cfg.Policy)
	switch {
	case out.Typed:
		// Typed (or would have) for this very error: never again. The phase
		// (Unconfirmed, Watching for a dry run) stays as it was, unless
		// ccwake's own text from before a restart waits for its Enter.
		if e.finishDue(t, now) {
			return
		}
		t.schedule(stepNone, time.Time{})
	case out.Phase != Waiting:
		e.hold(t, out.Phase, out.Log, out.Why)
	default:
		if t.step != stepNone || t.busy != nil {
			return // already on its way (waiting, re-checking a guard, probing, a job running)
		}
		at := out.At
		t.st.Phase, t.st.Reason = Waiting, out.Why
		when := "; resume at " + e.clockTime(at)
		if !at.After(now) {
			when = "; due now" // a time already past would read as a missed promise
		}
		e.note(t, "scheduled", out.Why+when)
		if !t.cur.probed && at.Sub(now) > 2*e.cfg.ProbeDelay {
			t.schedule(stepProbe, now.Add(e.cfg.ProbeDelay))
			return
		}
		t.schedule(stepResume, at)
	}
}

// history is what Decide needs of a track beside its session.
func (e *Engine) history(t *track) History {
	plan := t.cur.plan
	h := History{
		Plan: &plan, At: t.at, Stagger: e.cfg.Stagger,
		Paused: t.paused, Retry: t.retry, AutoOff: !e.auto,
	}
	if t.cur.typed {
		h.TypedFor = t.cur.uuid
	}
	if t.cur.dismissed {
		h.DismissedFor = t.cur.uuid
	}
	if t.cur.continuedIn != "" && t.cur.reopened {
		h.ContinuedIn = t.cur.continuedIn
	}
	if !e.rootLocked(t.st.Session.Root) {
		h.NotLocked = e.notLockedWhy()
	}
	return h
}

// hold parks a track in a phase where nothing is scheduled; what (when not
// empty) is recorded once per streak.
func (e *Engine) hold(t *track, p Phase, what, reason string) {
	t.schedule(stepNone, time.Time{})
	t.st.Phase, t.st.Reason = p, reason
	if what != "" {
		e.note(t, what, reason)
	}
	e.showPane(t)
}

// awaitingConfirm reports whether t typed for its current stall and still
// watches the transcript for the result (while Resuming, and while
// Unconfirmed, which a late entry still confirms).
func (t *track) awaitingConfirm() bool { return t.confirming }

// mayAct reports whether the engine may touch t's pane now.
func (e *Engine) mayAct(t *track) bool {
	s := t.st.Session
	return e.rootLocked(s.Root) && (e.auto || t.retry) &&
		!(t.paused && !t.retry) && !t.cur.dismissed &&
		!(t.cur.continuedIn != "" && t.cur.reopened) // reopened: another file goes on
}

func (e *Engine) rootLocked(root string) bool {
	k, ok := e.rootKey[root]
	if !ok {
		k = cleanRoot(root)
		e.rootKey[root] = k
	}
	return e.locked[k]
}

func (e *Engine) notLockedWhy() string {
	if e.cfg.LockHeldBy != "" {
		return "another ccwake (" + e.cfg.LockHeldBy + ") resumes this root; watching only"
	}
	return "this ccwake does not hold the lock of this root; watching only"
}

// cleanRoot makes two spellings of one root compare equal.
func cleanRoot(root string) string {
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	return filepath.Clean(root)
}

// clockTime formats a time for reasons shown to a human: in the
// configured zone, with a date when it is not today (HumanTime).
func (e *Engine) clockTime(t time.Time) string { return HumanTime(t, e.clock.Now(), e.cfg.Loc) }

// errorf is fmt.Sprintf, named for reasons built from errors.
func errorf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// restagger brings every waiting track's resume time up to date with the
// other sessions behind usage caps (StaggerPlans). A resume still scheduled
// for the old time moves with it; one that is re-checking a guard or waits
// for its turn (slot) keeps its schedule. Moving a resume earlier (a peer
// resolved) is safe: capTurn still spaces the typing.
func (e *Engine) restagger(changed *track) {
	if !e.noteCap(changed) {
		return // not behind a usage cap, before or now: no other turn moves
	}
	var plans []Plan
	var ts []*track
	for t := range e.caps {
		s := t.st.Session
		if s.State != watch.Stalled || !t.cur.planned || t.cur.typed {
			continue
		}
		plans = append(plans, Plan{Session: s, Decision: t.cur.plan})
		ts = append(ts, t)
	}
	StaggerPlans(plans, e.cfg.Stagger)
	for i, t := range ts {
		at := plans[i].Decision.At
		if at.Equal(t.at) {
			continue
		}
		if t.step == stepResume && t.due.Equal(t.at) && t.slot.IsZero() && !t.retry {
			t.schedule(stepResume, at) // through the due queue
		}
		staleWhy := t.st.Phase == Waiting && t.st.Reason == e.planWhy(t)
		t.at = at
		if t.slot.IsZero() {
			t.st.ResumeAt = at
		}
		if staleWhy {
			t.st.Reason = e.planWhy(t)
		}
		e.dirty = true
	}
}

// noteCap keeps e.caps, the tracks stalled on a usage cap (the only ones
// StaggerPlans spaces), up to date for t, and reports whether t is or was
// one: only then can the turns of the others move. This keeps the work per
// event independent of the number of sessions that are not behind a cap.
func (e *Engine) noteCap(t *track) bool {
	if t == nil {
		return false
	}
	s := t.st.Session
	in := !t.gone && s.State == watch.Stalled && s.Kind == classify.UsageLimit
	was := e.caps[t]
	switch {
	case in && !was:
		e.caps[t] = true
	case !in && was:
		delete(e.caps, t)
	}
	return in || was
}

// planWhy is the plan's reason, saying so when the resume was staggered.
func (e *Engine) planWhy(t *track) string {
	return planWhy(t.cur.plan, History{At: t.at, Stagger: e.cfg.Stagger}, e.clock.Now(), e.cfg.Loc)
}
