package resume

import (
	"errors"
	"fmt"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/statefile"
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
	if rec, ok := d.TypedFor(s.LastUUID); ok && !t.cur.typed {
		t.cur.typed, t.typedAt = true, rec.At
		where := ""
		if rec.File != s.Transcript {
			where = " (in " + rec.File + ", a copy of this session)"
		}
		t.st.Phase = Unconfirmed
		t.st.Reason = "typed " + quote(e.cfg.Message) + " for this error at " + rec.At.Local().Format(time.DateTime) +
			where + ", before a restart; not typing again for this stall"
		e.note(t, "restored", t.st.Reason)
	}
	if _, ok := d.ReopenedFor(s.LastUUID); ok {
		t.cur.reopened = true
	}
	if d.IsDismissed(s.Transcript, s.LastUUID) {
		t.cur.dismissed = true
	}
}

// recordTyping writes "typed for this error" and the pending text before
// anything is sent; false (with the phase set) means do not type.
func (e *Engine) recordTyping(t *track, tg pane.Target, msg string) bool {
	s := t.st.Session
	if e.stateErr != nil {
		e.block(t, "state_failed", "state file unusable, so not typing (a restart could type twice): "+e.stateErr.Error())
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
		t.cur.typed, t.typedAt = true, prev.At
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
