package resume

import (
	"context"
	"fmt"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
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
	if b := t.busy; b != nil && (b.kind == jobFinishLook || b.kind == jobFinishEnter) {
		return true // finishing it: its result decides (the transcript may answer before the job ends)
	}
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

// finishPending sends the Enter for ccwake's own text left in the input
// line by a stop between the text and its Enter — only when the stall is
// still the current one, every guard passes, and the line holds exactly that
// text. The look (Locate, Check, InputHolds) runs as a job like every other
// tmux call, so a hung tmux never holds the engine; finishLooked takes its
// result and starts the Enter as a key-sending job of the same attempt.
func (e *Engine) finishPending(t *track) {
	p := t.pending
	if p == nil || !e.stillPending(t, p) {
		e.replan(t)
		return
	}
	s := t.st.Session
	text := p.Text
	e.start(t, jobFinishLook, func(ctx context.Context) jobResult {
		tg, err := e.actor.Locate(ctx, s)
		if err != nil {
			return jobResult{err: err}
		}
		r := jobResult{target: tg, v: e.actor.Check(ctx, tg, s)}
		if r.v.Screen == pane.ScreenDraft && r.v.StallShown {
			r.holds, r.holdsErr = e.actor.InputHolds(ctx, tg, text)
		}
		return r
	})
}

// finishLooked acts on the look at the pane that holds ccwake's pending text.
func (e *Engine) finishLooked(t *track, j *job, r jobResult) {
	p := t.pending
	if p == nil || !e.stillPending(t, p) {
		e.replan(t)
		return
	}
	if why := e.timedOut(j, r.err); why != "" {
		e.blockFinish(t, "tmux_timeout", why)
		return
	}
	if !e.setPane(t, r.target, r.err) {
		e.blockFinish(t, "no_pane", "no pane to finish ccwake's pending text in: "+t.st.PaneErr)
		return
	}
	v := r.v
	switch {
	case v.Screen == pane.ScreenDraft && v.StallShown:
		if r.holdsErr != nil {
			e.blockFinish(t, "check_failed", "could not read the input line: "+r.holdsErr.Error())
			return
		}
		if !r.holds {
			t.pending = nil
			e.clearPending(t, *p)
			e.hold(t, Unconfirmed, "skipped", "the input line holds text that is not ccwake's pending "+quote(p.Text)+
				" (a human's): leaving it; not typing again for this stall")
			return
		}
		if !e.paneQuiet(j, r.target.Pane) {
			e.blockFinish(t, "skipped", "keys went to pane "+r.target.Pane+" while it was checked; looking again")
			return
		}
		tg := r.target
		e.start(t, jobFinishEnter, func(ctx context.Context) jobResult {
			return jobResult{err: e.actor.Enter(ctx, tg)}
		})
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

// finishEntered takes the result of the Enter for ccwake's pending text.
func (e *Engine) finishEntered(t *track, err error) {
	p := t.pending
	if p == nil {
		e.replan(t)
		return
	}
	if err != nil {
		e.blockFinish(t, "enter_failed", "Enter for ccwake's pending text failed: "+err.Error())
		return
	}
	t.pending = nil
	e.clearPending(t, *p)
	now := e.clock.Now()
	t.typedAt = now
	t.confirming, t.enterSent, t.typeErr, t.blockedN = true, true, false, 0
	t.st.Phase, t.st.Reason = Resuming, "finished "+quote(p.Text)+" left in the input line before a restart; waiting for the transcript"
	e.note(t, "finished", quote(p.Text)+" was typed before a restart and its Enter never sent: the input line still holds exactly it, so one Enter")
	t.schedule(stepConfirm, now.Add(e.cfg.ConfirmWait))
	e.replan(t) // the transcript may have answered while the key went
}

// blockFinish parks the finish step after a refusal, with backoff.
func (e *Engine) blockFinish(t *track, what, reason string) {
	e.block(t, what, reason)
	t.step = stepFinish
}

// leftoverLook reports text ccwake typed for a stall that is over and
// never sent the Enter for: it is ccwake's, not a human's draft. It is
// never cleared and never submitted; the report says so. The look is a job.
func (e *Engine) leftoverLook(t *track) {
	p := *t.leftover
	s := t.st.Session
	j := e.start(t, jobLeftover, func(ctx context.Context) jobResult {
		tg, err := e.actor.Locate(ctx, s)
		if err != nil {
			return jobResult{err: err}
		}
		r := jobResult{target: tg}
		r.holds, r.holdsErr = e.actor.InputHolds(ctx, tg, p.Text)
		return r
	})
	if j == nil {
		t.schedule(stepLeftover, e.clock.Now().Add(e.cfg.BlockedBase))
	}
}

// leftoverLooked reports what the look at a leftover's pane found.
func (e *Engine) leftoverLooked(t *track, j *job, r jobResult) {
	if t.leftover == nil {
		return
	}
	p := *t.leftover
	t.leftover = nil
	defer e.replan(t)
	defer e.clearPending(t, p)
	if why := e.timedOut(j, r.err); why != "" || r.err != nil {
		if why == "" {
			why = r.err.Error()
		}
		e.note(t, "pending_leftover", fmt.Sprintf("before a restart ccwake typed %s for an earlier stall and stopped before its Enter; "+
			"no pane to check now (%s): if %s sits in this session's input line, it is ccwake's and left for you", quote(p.Text), why, quote(p.Text)))
		return
	}
	tg := r.target
	switch {
	case r.holdsErr != nil:
		e.note(t, "pending_leftover", fmt.Sprintf("before a restart ccwake typed %s for an earlier stall and stopped before its Enter; "+
			"could not read pane %s (%v): if %s sits in its input line, it is ccwake's and left for you", quote(p.Text), tg.Pane, r.holdsErr, quote(p.Text)))
	case r.holds:
		e.note(t, "pending_leftover", fmt.Sprintf("%s in pane %s's input line was typed by ccwake before a restart for an earlier stall, "+
			"whose Enter was never sent; that stall is over, so ccwake leaves it there (submit or clear it yourself)", quote(p.Text), tg.Pane))
	}
}
