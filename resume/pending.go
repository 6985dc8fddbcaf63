package resume

import (
	"fmt"
	"time"

	"github.com/ccwake/ccwake/resume/statefile"
	"github.com/ccwake/ccwake/watch"
)

// ccwake's own text left without its Enter by a stop between the two (the
// pending record of the state file): finished for the current stall when
// the input line holds exactly it and every guard passes, reported and
// left alone otherwise. Never cleared, never C-c.

// pendingStep decides about text left from before a restart. It returns
// true when it scheduled (or keeps) a step and evaluate must stop there.
func (e *Engine) pendingStep(t *track, now time.Time) bool {
	s := t.st.Session
	if p := t.pending; p != nil && (s.State != watch.Stalled || s.LastUUID != p.UUID) {
		t.leftover, t.pending = p, nil // the stall it was for is over
	}
	if t.leftover != nil {
		if !e.persists(t) {
			t.leftover = nil // not ours to look at: the lock holder does
			return false
		}
		if t.step != stepLeftover {
			t.schedule(stepLeftover, now)
		}
		return true
	}
	return false
}

// finishDue schedules finishing the pending text of t's current stall.
func (e *Engine) finishDue(t *track, now time.Time) bool {
	p := t.pending
	if p == nil || p.UUID != t.st.Session.LastUUID || !e.persists(t) {
		return false
	}
	if t.step == stepFinish {
		return true
	}
	if !e.mayAct(t) {
		t.st.Reason = "ccwake's own " + quote(p.Text) + " from before a restart may wait in the input line; not finishing it while resuming is off or paused"
		return false
	}
	t.st.Phase, t.st.Reason = Resuming, "ccwake's own "+quote(p.Text)+" from before a restart may wait in the input line: checking"
	t.schedule(stepFinish, now)
	return true
}

// stillPending reports whether p is for t's current stall and the engine
// may act on it.
func (e *Engine) stillPending(t *track, p *statefile.Pending) bool {
	e.drain()
	s := t.st.Session
	return t.pending == p && s.State == watch.Stalled && s.LastUUID == p.UUID && e.mayAct(t)
}

// finish sends the Enter for ccwake's own text left in the input line by a
// stop between the text and its Enter — only when the stall is still the
// current one, every guard passes, and the line holds exactly that text.
func (e *Engine) finish(t *track) {
	p := t.pending
	if p == nil || !e.stillPending(t, p) {
		e.evaluate(t, e.clock.Now())
		return
	}
	s := t.st.Session
	tg, ok := e.locate(t)
	if !ok {
		e.blockFinish(t, "no_pane", "no pane to finish ccwake's pending text in: "+t.st.PaneErr)
		return
	}
	v := e.actor.Check(e.actCtx(), tg, s)
	if !e.stillPending(t, p) {
		e.evaluate(t, e.clock.Now())
		return
	}
	switch {
	case v.Screen == ScreenDraft && v.StallShown:
		holds, err := e.actor.InputHolds(e.actCtx(), tg, p.Text)
		if err != nil {
			e.blockFinish(t, "check_failed", "could not read the input line: "+err.Error())
			return
		}
		if !holds {
			t.pending = nil
			e.clearPending(t, *p)
			e.hold(t, Unconfirmed, "skipped", "the input line holds text that is not ccwake's pending "+quote(p.Text)+
				" (a human's): leaving it; not typing again for this stall")
			return
		}
		if !e.stillPending(t, p) {
			e.evaluate(t, e.clock.Now())
			return
		}
		if err := e.actor.Enter(e.actCtx(), tg); err != nil {
			e.blockFinish(t, "enter_failed", "Enter for ccwake's pending text failed: "+err.Error())
			return
		}
		t.pending = nil
		e.clearPending(t, *p)
		now := e.clock.Now()
		t.target, t.typedAt = tg, now
		t.confirming, t.enterSent, t.typeErr, t.blockedN = true, true, false, 0
		t.st.Phase, t.st.Reason = Resuming, "finished "+quote(p.Text)+" left in the input line before a restart; waiting for the transcript"
		e.note(t, "finished", quote(p.Text)+" was typed before a restart and its Enter never sent: the input line still holds exactly it, so one Enter")
		t.schedule(stepConfirm, now.Add(e.cfg.ConfirmWait))
	case v.OK:
		t.pending = nil
		e.clearPending(t, *p)
		e.hold(t, Unconfirmed, "skipped", "recorded typing "+quote(p.Text)+" for this error before a restart, but the input line is empty: "+
			"not typing again for this stall")
	default:
		what := "skipped"
		if v.Screen != "" {
			what = "skipped:" + string(v.Screen)
		}
		e.blockFinish(t, what, v.Reason+" (finishing ccwake's pending text waits)")
	}
}

// blockFinish parks the finish step after a refusal, with backoff.
func (e *Engine) blockFinish(t *track, what, reason string) {
	e.block(t, what, reason)
	t.step = stepFinish
}

// leftoverLook reports text ccwake typed for a stall that is over and
// never sent the Enter for: it is ccwake's, not a human's draft. It is
// never cleared and never submitted; the report says so.
func (e *Engine) leftoverLook(t *track) {
	p := *t.leftover
	t.leftover = nil
	defer e.evaluate(t, e.clock.Now())
	defer e.clearPending(t, p)
	tg, ok := e.locate(t)
	if !ok {
		e.note(t, "pending_leftover", fmt.Sprintf("before a restart ccwake typed %s for an earlier stall and stopped before its Enter; "+
			"no pane to check now (%s): if %s sits in this session's input line, it is ccwake's and left for you", quote(p.Text), t.st.PaneErr, quote(p.Text)))
		return
	}
	holds, err := e.actor.InputHolds(e.actCtx(), tg, p.Text)
	switch {
	case err != nil:
		e.note(t, "pending_leftover", fmt.Sprintf("before a restart ccwake typed %s for an earlier stall and stopped before its Enter; "+
			"could not read pane %s (%v): if %s sits in its input line, it is ccwake's and left for you", quote(p.Text), tg.Pane, err, quote(p.Text)))
	case holds:
		e.note(t, "pending_leftover", fmt.Sprintf("%s in pane %s's input line was typed by ccwake before a restart for an earlier stall, "+
			"whose Enter was never sent; that stall is over, so ccwake leaves it there (submit or clear it yourself)", quote(p.Text), tg.Pane))
	}
}
