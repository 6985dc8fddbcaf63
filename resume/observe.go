package resume

import (
	"time"

	"github.com/ccwake/ccwake/watch"
)

// Observe: the engine's first step. Every watcher event is folded into its
// track here, and the track's stall value follows the newest entry
// (track.see); then the track is evaluated (evaluate.go) once.

// handle folds one watcher event into the state, then evaluates the
// tracks it touched (settle): one decision per event.
func (e *Engine) handle(ev watch.Event) {
	defer e.settle()
	switch ev.Kind {
	case watch.SessionChanged:
		s := ev.Session
		if s.ID == "" {
			s.ID = s.Transcript
		}
		key := trackKey(s)
		t := e.tracks[key]
		fresh := t == nil
		if fresh {
			t = e.newTrack()
			e.tracks[key] = t
		}
		t.gone = false // back before its job ended: the same track goes on
		old := t.st.Session
		t.st.Session = s
		t.see()
		if fresh || s.ID != old.ID || s.Cwd != old.Cwd || s.Root != old.Root {
			// It depends on these alone, and may stat the root: not per event.
			t.st.Reopen = e.reopenCmd(t)
		}
		if fresh {
			e.restoreTrack(t)
		}
		e.replan(t) // evaluate restaggers the caps when t is or was one
		e.dirty = true
	case watch.SessionGone:
		id := trackKey(ev.Session)
		if t := e.tracks[id]; t != nil {
			for uuid, o := range e.reopened { // a handful at most
				if o == t {
					delete(e.reopened, uuid)
				}
			}
			t.gone = true
			t.schedule(stepNone, time.Time{})
			if t.busy == nil { // else finish drops it when the job ends
				delete(e.tracks, id)
			}
			e.restagger(t)
		}
		e.dirty = true
	case watch.Warning:
		if ev.Err != nil {
			e.record(nil, "warning", ev.Err.Error())
		}
	}
}

// trackKey is what the engine keys a session by: its transcript file, not
// its session id. `claude --resume` may write a second file whose entries
// carry the same id (copied error entries included); each file is a stall of
// its own, and never twice per error holds across them through the state
// file's error ids.
func trackKey(s watch.Session) string {
	if s.Transcript != "" {
		return s.Transcript
	}
	return s.ID
}

// drain folds in every event already waiting, so a decision to type never
// rests on a view the watcher has already replaced.
func (e *Engine) drain() {
	for {
		select {
		case ev, ok := <-e.events:
			if !ok {
				e.events = nil
				return
			}
			e.handle(ev)
		default:
			return
		}
	}
}

// newTrack is the state of a session seen for the first time.
func (e *Engine) newTrack() *track {
	return &track{st: Status{Phase: Idle, MaxTries: e.cfg.MaxAttempts}, q: &e.q, qi: -1, cur: newStall("")}
}

// see makes t's stall value the one of its session's newest entry: a new
// entry, a new value. It runs wherever the session changes.
func (t *track) see() {
	if u := t.st.Session.LastUUID; u != t.cur.uuid {
		t.cur = newStall(u)
	}
}
