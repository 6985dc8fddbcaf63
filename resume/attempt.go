package resume

import (
	"context"
	"errors"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// stillStalled reports whether t's session still shows the stall the plan was
// made for, with nothing written since, and whether the engine may act on it.
// Pending watcher events are folded in first.
func (e *Engine) stillStalled(t *track) bool {
	e.drain()
	if t.gone {
		return false
	}
	s := t.st.Session
	fresh := s.State == watch.Stalled && t.cur.planned && !t.cur.typed
	planned := t.cur.plan.Phase == Waiting || (t.cur.plan.Phase == GaveUp && t.retry)
	if fresh && planned && e.mayAct(t) {
		return true
	}
	t.schedule(stepNone, time.Time{})
	e.replan(t)
	return false
}

// current reports whether the result of j may still be acted on: t's newest
// entry is still the error j's attempt was started for, and stillStalled
// agrees. The transcript may have moved while the job ran.
func (e *Engine) current(t *track, j *job) bool {
	e.drain()
	if !t.gone && t.st.Session.LastUUID != j.forUUID {
		t.schedule(stepNone, time.Time{})
		e.replan(t)
		return false
	}
	return e.stillStalled(t)
}

// setPane records on the status the pane Locate found, or why there is none.
func (e *Engine) setPane(t *track, tg pane.Target, err error) bool {
	if err != nil {
		t.st.Pane, t.st.PaneErr = "", err.Error()
		return false
	}
	t.target = tg
	t.st.Pane, t.st.PaneErr = tg.Pane, ""
	return true
}

// probe takes a read-only look at the pane soon after a long wait is
// scheduled, so the dashboard shows the pane (or why there is none) and
// whether the client waits out a usage cap by itself. The look runs as a
// job; probed takes its result.
func (e *Engine) probe(t *track) {
	s := t.st.Session
	t.cur.probed = true
	at := t.at
	if !e.stillStalled(t) {
		return
	}
	t.schedule(stepResume, at)
	e.start(t, jobProbe, e.look(s))
}

// probed shows what a probe found; the resume stays scheduled.
func (e *Engine) probed(t *track, j *job, r jobResult) {
	s := t.st.Session
	if s.LastUUID != j.forUUID || s.State != watch.Stalled {
		if t.step == stepNone {
			e.replan(t)
		}
		return
	}
	switch {
	case e.timedOut(j, r.err) != "":
		why := e.timedOut(j, r.err)
		t.st.Pane, t.st.PaneErr = "", why
		e.note(t, "tmux_timeout", why)
	case !e.setPane(t, r.target, r.err):
		e.note(t, "no_pane", "no pane yet: "+t.st.PaneErr)
	case r.v.Screen == pane.ScreenAutoWait:
		t.st.Reason = e.autoWaitWhy(s, r.v)
		e.note(t, "skipped:auto_wait", t.st.Reason)
	}
	if t.step == stepNone { // a command or event cleared the schedule meanwhile
		e.replan(t)
	}
}

// attempt is the resume proper: re-check the transcript, then find the pane
// and run the guards in a job; checked types only when they all pass.
func (e *Engine) attempt(t *track) {
	if !e.stillStalled(t) || !e.capTurn(t) {
		return
	}
	e.start(t, jobCheck, e.look(t.st.Session))
}

// checked acts on an attempt's look at the pane.
func (e *Engine) checked(t *track, j *job, r jobResult) {
	if !e.current(t, j) { // the transcript moved while we looked
		return
	}
	if why := e.timedOut(j, r.err); why != "" {
		if r.err != nil {
			t.st.Pane, t.st.PaneErr = "", why
		}
		e.block(t, "tmux_timeout", why)
		return
	}
	t.noPane = false
	if !e.setPane(t, r.target, r.err) {
		if e.reopen(t) {
			return
		}
		if errors.Is(r.err, pane.ErrNotInPane) || errors.Is(r.err, mux.ErrNoServer) {
			e.blockNoPane(t, "no pane for this session: "+t.st.PaneErr)
			return
		}
		e.block(t, "no_pane", "no pane for this session: "+t.st.PaneErr)
		return
	}
	tg, v := r.target, r.v
	if !e.paneQuiet(j, tg.Pane) {
		e.block(t, "skipped", "keys went to pane "+tg.Pane+" for another session while the guards looked; looking again")
		return
	}
	now := e.clock.Now()
	switch {
	case v.OK:
		e.typeNow(t, tg, "guards passed ("+tg.How+")")
	case v.Screen == pane.ScreenDraft:
		t.blockedN = 0
		t.st.Phase, t.st.Reason = Blocked, "user typing: waiting until the input line is empty"
		e.note(t, "skipped", "user_typing: "+v.Reason)
		t.schedule(stepResume, now.Add(e.cfg.DraftRecheck))
	case v.Screen == pane.ScreenUsageDialog:
		e.usageDialog(t, tg, v)
	case v.Screen == pane.ScreenAutoWait && t.retry:
		e.retryOverAutoWait(t, tg, v)
	case v.Screen == pane.ScreenAutoWait:
		e.autoWait(t, tg, v)
	default:
		what := "skipped"
		if v.Screen != "" {
			what = "skipped:" + string(v.Screen)
		}
		e.block(t, what, v.Reason)
	}
}

// capTurn spaces the typing into sessions behind usage caps by Stagger even
// when their times passed together (a restart, a suspend, a peer that
// resolved early): a resume that comes due less than Stagger after the last
// one gets the next free turn, in the order they came due. A retry is never
// held back.
func (e *Engine) capTurn(t *track) bool {
	gap := e.cfg.Stagger
	if gap <= 0 || t.retry || t.st.Session.Kind != classify.UsageLimit {
		return true
	}
	now := e.clock.Now()
	// The turn is taken when the attempt starts, not when it types: the
	// looks of several sessions run at once, and each would otherwise find
	// the turn free.
	// An attempt that did not type (an Escape on the usage dialog, a
	// refused guard) keeps its turn: the session looks again without
	// waiting behind itself, and only other sessions wait behind it.
	take := func() bool {
		if next := now.Add(gap); next.After(e.capNext) {
			e.capNext = next
		}
		e.capBy = t
		return true
	}
	switch {
	case !t.slot.IsZero() && !now.Before(t.slot):
		t.slot = time.Time{}
		return take()
	case !t.slot.IsZero():
		t.schedule(stepResume, t.slot)
		return false
	case !now.Before(e.capNext), e.capBy == t:
		return take()
	}
	t.slot = e.capNext
	e.capNext, e.capBy = e.capNext.Add(gap), nil
	t.st.Phase, t.st.ResumeAt = Waiting, t.slot
	t.st.Reason = "staggered: another session behind a usage cap was just resumed; resuming at " + e.clockTime(t.slot) + " (--stagger " + gap.String() + ")"
	e.note(t, "staggered", t.st.Reason)
	t.schedule(stepResume, t.slot)
	return false
}

// block parks t after a refusal and looks again after a bounded backoff.
func (e *Engine) block(t *track, what, reason string) {
	wait := Backoff{Base: e.cfg.BlockedBase, Cap: e.cfg.BlockedCap}.Ceiling(t.blockedN)
	t.blockedN++
	t.st.Phase, t.st.Reason = Blocked, reason
	e.note(t, what, reason)
	t.schedule(stepResume, e.clock.Now().Add(wait))
}

// typeNow sends the message (or, in a dry run, says it would) and starts
// confirming. The stall is marked typed before the Type job starts: whatever
// it returns, this error is never typed for again, and no second attempt can
// start while it runs (the track is busy). Too little of the attempt's
// budget left: nothing is typed now, the attempt is retried after a backoff.
func (e *Engine) typeNow(t *track, tg pane.Target, why string) {
	if !e.cfg.DryRun && !e.timeToType() {
		e.block(t, "tmux_timeout", "tmux answered too slowly to type and send Enter within one attempt's "+
			e.cfg.AttemptBudget.String()+"; trying again later")
		return
	}
	s := t.st.Session
	msg := e.cfg.Message
	if !e.cfg.DryRun && !e.recordTyping(t, tg, msg) {
		return
	}
	t.cur.typed, t.typedAt = true, e.clock.Now()
	if s.Kind == classify.UsageLimit && t.typedAt.Add(e.cfg.Stagger).After(e.capNext) {
		e.capNext = t.typedAt.Add(e.cfg.Stagger) // the next usage-cap resume waits its turn
		e.capBy = t
	}
	t.retry, t.blockedN, t.enterSent, t.typeErr = false, 0, false, false
	if e.cfg.DryRun {
		t.st.Phase, t.st.Reason = Watching, "dry run: would have typed "+quote(msg)+" into "+tg.Pane
		e.note(t, "dry_run", "would type "+quote(msg)+": "+why)
		t.schedule(stepNone, time.Time{})
		return
	}
	t.confirming = true
	t.st.Phase, t.st.Reason = Resuming, "typed "+quote(msg)+"; waiting for the transcript"
	j := e.start(t, jobType, func(ctx context.Context) jobResult {
		return jobResult{err: e.actor.Type(ctx, tg, msg)}
	})
	if j == nil { // cannot happen on the Run goroutine's paths; never twice still holds
		e.note(t, "type_failed", "nothing typed: no job could start for it")
		return
	}
	of := errorf("of %d", e.cfg.MaxAttempts)
	if n := max(s.Attempts, 1); s.Kind == classify.UsageLimit && n > e.cfg.MaxAttempts {
		of = errorf("(past %d: a usage cap is given up only after its %s window)", e.cfg.MaxAttempts, capWindow(s.Limit))
	}
	j.note = errorf("typed %s, attempt %d %s: %s", quote(msg), max(s.Attempts, 1), of, why)
	j.failNote = errorf("(attempt %d; not typing again for this error)", max(s.Attempts, 1))
}

// typed takes the Type job's result.
func (e *Engine) typed(t *track, j *job, err error) {
	if errors.Is(err, pane.ErrHumanInput) {
		// Someone typed between our text and our Enter: their words are in
		// the prompt now. Leave it to them; never again for this error.
		t.typeErr, t.confirming = true, false
		t.st.Phase, t.st.Reason = Blocked, pane.ErrHumanInput.Error()
		e.note(t, "human_input", err.Error()+" "+j.failNote)
		t.schedule(stepNone, time.Time{})
		return
	}
	if err != nil {
		t.typeErr = true
		if t.confirming {
			t.st.Reason = "typing failed: " + err.Error()
		}
		e.note(t, "type_failed", err.Error()+" "+j.failNote)
	} else {
		e.typedDone(t)
		e.note(t, "typed", j.note)
	}
	if t.confirming {
		t.schedule(stepConfirm, t.typedAt.Add(e.cfg.ConfirmWait))
	}
	e.replan(t) // the transcript may have answered while the keys went
}

// usageDialog handles 2.1.145's "What do you want to do?" dialog: once the
// reset has passed it gets exactly one Escape (the same as its option 1),
// never digits or Enter.
func (e *Engine) usageDialog(t *track, tg pane.Target, v pane.Verdict) {
	s := t.st.Session
	now := e.clock.Now()
	switch {
	case s.ResetsAt.IsZero():
		e.block(t, "skipped:usage_dialog", "usage-limit dialog open and the reset time is unknown: not dismissing it")
	case now.Before(s.ResetsAt):
		t.st.Phase, t.st.Reason = Waiting, "usage-limit dialog open; dismissing it after the reset at "+e.clockTime(s.ResetsAt)
		e.note(t, "skipped:usage_dialog", t.st.Reason)
		t.schedule(stepResume, s.ResetsAt)
	case t.cur.escaped:
		e.block(t, "skipped:usage_dialog", "usage-limit dialog still open after one Escape: "+v.Reason)
	default:
		t.cur.escaped = true
		if e.cfg.DryRun { // the dialog stays up: the decision ends here for this error
			t.cur.typed = true
			t.st.Phase, t.st.Reason = Watching, "dry run: would have pressed Escape on the usage-limit dialog in "+tg.Pane+", then typed"
			e.note(t, "dry_run", "would press Escape on the usage-limit dialog (reset passed), then type "+quote(e.cfg.Message))
			t.schedule(stepNone, time.Time{})
			return
		}
		if e.start(t, jobEscape, func(ctx context.Context) jobResult {
			return jobResult{err: e.actor.Escape(ctx, tg)}
		}) == nil {
			e.escaped(t, errors.New("ccwake is stopping"))
		}
	}
}

// escaped takes the Escape job's result.
func (e *Engine) escaped(t *track, err error) {
	if err != nil {
		e.block(t, "escape_failed", "Escape on the usage-limit dialog failed: "+err.Error())
		return
	}
	e.note(t, "escape_dialog", "reset passed: one Escape dismisses the usage-limit dialog")
	t.st.Phase, t.st.Reason = Resuming, "dismissed the usage-limit dialog; looking again"
	t.schedule(stepResume, e.clock.Now().Add(e.cfg.DialogRecheck))
}

// autoWait handles 2.1.330 waiting out a usage cap by itself: leave it alone
// until the reset plus margin has passed with nothing in the transcript, then
// step in.
func (e *Engine) autoWait(t *track, tg pane.Target, v pane.Verdict) {
	s := t.st.Session
	now := e.clock.Now()
	if s.ResetsAt.IsZero() {
		e.block(t, "skipped:auto_wait", e.autoWaitWhy(s, v))
		t.st.Phase = Waiting // the client's own wait, not a refusal
		return
	}
	deadline := s.ResetsAt.Add(e.cfg.ResetMargin)
	if now.Before(deadline) {
		t.st.Phase, t.st.Reason = Waiting, e.autoWaitWhy(s, v)
		e.note(t, "skipped:auto_wait", t.st.Reason)
		t.schedule(stepResume, deadline)
		return
	}
	e.typeNow(t, tg, "the client said it would continue by itself, but nothing happened by "+e.clockTime(deadline))
}

// retryOverAutoWait is `r` on a session whose client counts down its own
// auto-continue: the user asked for now, so the client's wait does not
// hold it back, but the guards beneath it still do. It types `continue` and
// Enter, no Escape first: a typed prompt disarms 2.1.330's auto-continue
// (measured, e2e/README.md), and an Escape that arrived after the countdown
// ended would go to an idle prompt instead.
func (e *Engine) retryOverAutoWait(t *track, tg pane.Target, v pane.Verdict) {
	switch v.Beneath {
	case pane.ScreenReady:
		e.typeNow(t, tg, "retry asked for: typed over the client's own auto-continue countdown (a typed prompt disarms it)")
	case pane.ScreenDraft:
		t.blockedN = 0
		t.st.Phase, t.st.Reason = Blocked, "user typing: waiting until the input line is empty"
		e.note(t, "skipped", "user_typing: beneath the client's auto-continue countdown")
		t.schedule(stepResume, e.clock.Now().Add(e.cfg.DraftRecheck))
	default:
		e.block(t, "skipped:auto_wait", "retry asked for, but beneath the client's auto-continue countdown the screen is "+string(v.Beneath)+": "+v.Reason)
	}
}

func (e *Engine) autoWaitWhy(s watch.Session, v pane.Verdict) string {
	if s.ResetsAt.IsZero() {
		return "client continues by itself (" + v.Reason + ")"
	}
	return "client continues by itself at " + e.clockTime(s.ResetsAt) + "; stepping in after " +
		e.clockTime(s.ResetsAt.Add(e.cfg.ResetMargin)) + " if nothing happens"
}

func quote(s string) string { return `"` + s + `"` }
