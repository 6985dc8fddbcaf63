package resume

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/statefile"
)

// Across restarts: what the engine must not forget lives in each root's
// record (Config.StatePath, see package statefile): the errors it typed
// for, text it sent without the Enter yet, reopens, dismissals and pauses.
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

// rootState is one root's record: the store, or why it cannot be used.
type rootState struct {
	root  string           // the first root it was opened for
	store *statefile.Store // nil with err set: the record is unusable
	err   error
}

// openState opens the record of every configured root at start, so what
// went wrong is said at once (the log, the dashboard's banner).
func (e *Engine) openState() {
	for _, r := range e.cfg.Roots {
		e.stateOf(r)
	}
	for _, r := range e.cfg.LockedRoots {
		e.stateOf(r)
	}
}

// stateOf is the record of a root (nil: nothing persisted, Config.StatePath
// and StateFile unset). It is opened on first use and kept; roots whose
// record is the same file share one store. A record that exists but cannot
// be read makes the engine refuse to type for that root: what it did before
// cannot be known.
func (e *Engine) stateOf(root string) *rootState {
	k := cleanRoot(root)
	if rs, ok := e.states[k]; ok {
		return rs
	}
	path, err := e.cfg.StateFile, error(nil)
	if e.cfg.StatePath != nil {
		path, err = e.cfg.StatePath(root)
	}
	var rs *rootState
	switch {
	case err != nil:
		rs = &rootState{root: root, err: err}
	case path == "":
		rs = nil
	case e.statePaths[path] != nil:
		rs = e.statePaths[path]
	default:
		st, err := statefile.Open(path, statefile.Options{
			Now:    e.clock.Now,
			Root:   root,
			Legacy: e.cfg.StateLegacy,
			Warn:   func(err error) { e.record(nil, "warning", err.Error()) },
		})
		rs = &rootState{root: root, store: st, err: err}
		e.statePaths[path] = rs
	}
	e.states[k] = rs
	if rs != nil && rs.err != nil && !e.stateWarned[rs.err.Error()] {
		e.stateWarned[rs.err.Error()] = true
		e.record(nil, "warning", "record of what was typed unusable, so nothing is typed under "+root+" (a restart could type twice): "+rs.err.Error())
	}
	return rs
}

// stateFor is the usable store of t's root (nil: none, or unusable).
func (e *Engine) stateFor(t *track) *statefile.Store {
	if rs := e.stateOf(t.st.Session.Root); rs != nil {
		return rs.store
	}
	return nil
}

// stateErrFor is why t's root's record cannot be used (nil: it can, or
// nothing is persisted).
func (e *Engine) stateErrFor(t *track) error {
	if rs := e.stateOf(t.st.Session.Root); rs != nil {
		return rs.err
	}
	return nil
}

// stateProblems says, for the Snapshot, which records are lost or
// unusable: the dashboard shows it as a banner.
func (e *Engine) stateProblems() string {
	var out []string
	seen := map[*rootState]bool{}
	for _, k := range slices.Sorted(maps.Keys(e.states)) {
		rs := e.states[k]
		if rs == nil || seen[rs] {
			continue
		}
		seen[rs] = true
		r := rs.root
		switch {
		case rs.err != nil:
			out = append(out, "the record of what was typed under "+r+" is unusable, so nothing is typed there: "+rs.err.Error())
		case !rs.store.Lost().IsZero():
			out = append(out, "the record of what was typed under "+r+" was lost at "+rs.store.Lost().Local().Format(time.DateTime)+
				" (could not be read back): stalls from before then are left to you")
		}
	}
	return strings.Join(out, "; ")
}

// persists reports whether t's records go to the state file.
func (e *Engine) persists(t *track) bool {
	return e.stateFor(t) != nil && !e.cfg.DryRun && e.rootLocked(t.st.Session.Root)
}

// updateState applies f to the state file for t; a failure is noted.
func (e *Engine) updateState(t *track, what string, f func(d *statefile.Data)) {
	if !e.persists(t) {
		return
	}
	if err := e.stateFor(t).Update(func(d *statefile.Data) error { f(d); return nil }); err != nil {
		e.record(t, "warning", "state file: could not record "+what+": "+err.Error())
	}
}

// restoreTrack applies what the state file knows about a transcript seen
// for the first time since start (or since it was gone).
func (e *Engine) restoreTrack(t *track) {
	st := e.stateFor(t)
	if st == nil {
		return
	}
	d := st.Data()
	f := t.st.Session.Transcript
	if d.IsPaused(f) {
		t.paused = true
	}
	if p, ok := d.PendingFor(f); ok {
		t.pending = &p
	}
}

// restoreError applies what the state file knows about t's newest error.
//
// A record that was lost (statefile Data.Lost: no copy could be read back)
// may have held this error: when the error predates the loss, ccwake may
// have typed or reopened for it already, and nothing tells it apart from
// "never typed" (a `continue` whose Enter reached a dialog leaves the same
// transcript and the same empty input line). So it is left to a human, and
// said so; errors after the loss are ccwake's again.
func (e *Engine) restoreError(t *track) {
	st := e.stateFor(t)
	if st == nil {
		return
	}
	s := t.st.Session
	d := st.Data()
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
	} else if lost := d.Lost; !ok && !lost.IsZero() && !t.cur.typed && (s.ErrorAt.IsZero() || s.ErrorAt.Before(lost)) {
		t.cur.typed, t.cur.reopened = true, true
		t.st.Phase = Unconfirmed
		t.st.Reason = "the record of what ccwake typed was lost at " + lost.Local().Format(time.DateTime) +
			" and this error is older, so " + quote(e.cfg.Message) + " may have been typed for it already: not typing; resume it yourself"
		e.note(t, "state_lost", t.st.Reason)
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
	if err := e.stateErrFor(t); err != nil {
		e.block(t, "state_failed", "record of what was typed unusable, so not typing (a restart could type twice): "+err.Error())
		return false
	}
	if !e.persists(t) {
		return true
	}
	now := e.clock.Now()
	var prev statefile.Typed
	err := e.stateFor(t).Update(func(d *statefile.Data) error {
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
