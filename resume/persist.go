package resume

import (
	"errors"
	"fmt"
	"time"

	"github.com/ccwake/ccwake/resume/statefile"
	"github.com/ccwake/ccwake/watch"
)

// Across restarts: what the engine must not forget lives in the state file
// (Config.StateFile, see package statefile): the errors it typed for, text
// it sent without the Enter yet, dismissals and pauses.
//
//   - An error (by uuid) typed for in ANY transcript is never typed for
//     again: `claude --resume` copies error entries, same uuids, into a
//     new file of the same session.
//   - The record is written BEFORE the keys are sent. A stop between the
//     record and the keys leaves an error marked typed with nothing typed:
//     that stall is then shown, never resumed, which errs on the side the
//     tool must never cross (typing twice).
//   - The pending text is cleared once Type returned without error. After a
//     stop between the text and its Enter, a restarted engine finds the
//     record: if the stall is still current and the input line holds
//     exactly that text, it sends the Enter (after every guard); if the
//     stall is over, it says the text is its own and leaves it there.
//   - Only the instance holding a root's lock writes records for that root's
//     transcripts, and a dry run writes nothing.

// errAlreadyTyped stops a state update: the error was typed for already.
var errAlreadyTyped = errors.New("already typed for this error")

// openState loads the state file, if one is configured. A file that exists
// but cannot be read makes the engine refuse to type anywhere: what it did
// before cannot be known.
func (e *Engine) openState() {
	if e.cfg.StateFile == "" {
		return
	}
	st, err := statefile.Open(e.cfg.StateFile, statefile.Options{
		Now:  e.clock.Now,
		Warn: func(err error) { e.record(nil, "warning", err.Error()) },
	})
	if err != nil {
		e.stateErr = err
		e.record(nil, "warning", "state file unusable, so nothing is typed (a restart could type twice): "+err.Error())
		return
	}
	e.state = st
}

// persists reports whether t's records go to the state file.
func (e *Engine) persists(t *track) bool {
	return e.state != nil && !e.cfg.DryRun && e.rootLocked(t.st.Session.Root)
}

// updateState applies f to the state file for t; a failure is noted.
func (e *Engine) updateState(t *track, what string, f func(d *statefile.Data)) {
	if !e.persists(t) {
		return
	}
	if err := e.state.Update(func(d *statefile.Data) error { f(d); return nil }); err != nil {
		e.record(t, "warning", "state file: could not record "+what+": "+err.Error())
	}
}

// restoreTrack applies what the state file knows about a transcript seen
// for the first time since start (or since it was gone).
func (e *Engine) restoreTrack(t *track) {
	if e.state == nil {
		return
	}
	d := e.state.Data()
	f := t.st.Session.Transcript
	if d.IsPaused(f) {
		t.paused = true
	}
	if p, ok := d.PendingFor(f); ok {
		t.pending = &p
	}
}

// restoreError applies what the state file knows about t's newest error.
func (e *Engine) restoreError(t *track) {
	if e.state == nil {
		return
	}
	s := t.st.Session
	d := e.state.Data()
	if rec, ok := d.TypedFor(s.LastUUID); ok && t.typedFor != s.LastUUID {
		t.typedFor, t.typedAt = s.LastUUID, rec.At
		where := ""
		if rec.File != s.Transcript {
			where = " (in " + rec.File + ", a copy of this session)"
		}
		t.st.Phase = Unconfirmed
		t.st.Reason = "typed " + quote(e.cfg.Message) + " for this error at " + rec.At.Local().Format(time.DateTime) +
			where + ", before a restart; not typing again for this stall"
		e.note(t, "restored", t.st.Reason)
	}
	if d.IsDismissed(s.Transcript, s.LastUUID) {
		t.dismissedFor = s.LastUUID
	}
}

// recordTyping writes "typed for this error" and the pending text before
// anything is sent; false (with the phase set) means do not type.
func (e *Engine) recordTyping(t *track, tg Target, msg string) bool {
	s := t.st.Session
	if e.stateErr != nil {
		e.hold(t, Blocked, "state_failed", "state file unusable, so not typing (a restart could type twice): "+e.stateErr.Error())
		return false
	}
	if !e.persists(t) {
		return true
	}
	now := e.clock.Now()
	var prev statefile.Typed
	err := e.state.Update(func(d *statefile.Data) error {
		if rec, ok := d.TypedFor(s.LastUUID); ok {
			prev = rec
			return errAlreadyTyped
		}
		d.MarkTyped(statefile.Typed{File: s.Transcript, UUID: s.LastUUID, ErrorAt: s.ErrorAt, At: now, Pane: tg.Pane})
		d.SetPending(statefile.Pending{File: s.Transcript, UUID: s.LastUUID, Text: msg, Pane: tg.Pane, ErrorAt: s.ErrorAt, At: now})
		return nil
	})
	switch {
	case errors.Is(err, errAlreadyTyped):
		t.typedFor, t.typedAt = s.LastUUID, prev.At
		e.hold(t, Unconfirmed, "skipped", fmt.Sprintf("the state file says %s was typed for this error at %s (%s): not typing again",
			quote(e.cfg.Message), prev.At.Local().Format(time.DateTime), prev.File))
		return false
	case err != nil:
		e.block(t, "state_failed", "could not record the typing in the state file, so not typing: "+err.Error())
		return false
	}
	return true
}

// typedDone clears the pending text once Type returned without error.
func (e *Engine) typedDone(t *track) {
	s := t.st.Session
	e.updateState(t, "that the text was sent", func(d *statefile.Data) {
		if p, ok := d.PendingFor(s.Transcript); ok && p.UUID == s.LastUUID {
			d.ClearPending(s.Transcript)
		}
	})
}

// clearPending forgets the pending text p (if it is still the file's).
func (e *Engine) clearPending(t *track, p statefile.Pending) {
	e.updateState(t, "the pending text", func(d *statefile.Data) {
		if cur, ok := d.PendingFor(p.File); ok && cur.UUID == p.UUID {
			d.ClearPending(p.File)
		}
	})
}

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
