package resume

import (
	"time"

	"github.com/ccwake/ccwake/resume/statefile"
)

// Commands come from other goroutines (the dashboard). Each is a closure run
// by the Run goroutine, so the state has one owner. They never block for long:
// the channel is buffered, and a command sent before Run starts waits there.

// do queues f for the Run goroutine; after Run returned it drops f.
func (e *Engine) do(f func()) {
	select {
	case e.cmds <- func() { f(); e.settle() }:
	case <-e.stopped:
	}
}

// Retry resumes session id now: it skips the wait (and max attempts, the
// stagger behind other sessions on a cap, a 2.1.330 client's own
// auto-continue countdown, and auto-resume being off) for this one attempt,
// but never the guards, the lock, or the rule of one continue per error.
func (e *Engine) Retry(id string) {
	e.do(func() {
		for _, t := range e.named(id) {
			e.retryOne(t)
		}
	})
}

// retryOne is Retry for one track, on the Run goroutine.
func (e *Engine) retryOne(t *track) {
	switch {
	case t.st.Phase == Fatal:
		e.note(t, "retry_refused", "waiting does not cure this error")
		return
	case t.cur.typed && e.cfg.DryRun:
		e.note(t, "retry_refused", "dry run: already decided for this error")
		return
	case t.cur.typed:
		e.note(t, "retry_refused", "already typed for this error")
		return
	}
	e.note(t, "retry", "resume now requested")
	e.retryNow(t)
}

// named resolves the session a command names: a transcript path names its
// track; a session id names every track of that session (one per transcript
// file: `claude --resume` may write a second file with the same id). Commands
// are rare, so the scan over the tracks is fine.
func (e *Engine) named(id string) []*track {
	if t := e.tracks[id]; t != nil {
		return []*track{t}
	}
	var out []*track
	for _, t := range e.tracks {
		if t.st.Session.ID == id {
			out = append(out, t)
		}
	}
	return out
}

// retryNow makes t's next attempt come now, past the wait (Retry, Reopen).
func (e *Engine) retryNow(t *track) {
	t.retry = true
	t.blockedN = 0
	if t.cur.dismissed {
		t.cur.dismissed = false
		e.persistDismiss(t, false)
	}
	t.schedule(stepNone, time.Time{})
	e.replan(t)
	e.dirty = true
}

// Pause stops (on) or restarts (off) resuming session id.
func (e *Engine) Pause(id string, on bool) {
	e.do(func() {
		for _, t := range e.named(id) {
			e.pauseOne(t, on)
		}
	})
}

// pauseOne is Pause for one track, on the Run goroutine.
func (e *Engine) pauseOne(t *track, on bool) {
	if t.paused == on {
		return
	}
	t.paused, t.retry = on, false
	e.updateState(t, "the pause", func(d *statefile.Data) { d.SetPaused(t.st.Session.Transcript, e.clock.Now(), on) })
	if on {
		e.note(t, "paused", "paused by the user")
	} else {
		e.note(t, "unpaused", "unpaused by the user")
		if t.st.Phase == Paused {
			t.st.Phase = Idle
		}
	}
	if !t.confirming {
		t.schedule(stepNone, time.Time{})
	}
	e.replan(t)
	e.dirty = true
}

// Dismiss hides session id's current stall until it stalls again (a
// different error becomes the newest entry).
func (e *Engine) Dismiss(id string) {
	e.do(func() {
		for _, t := range e.named(id) {
			e.dismissOne(t)
		}
	})
}

// dismissOne is Dismiss for one track, on the Run goroutine.
func (e *Engine) dismissOne(t *track) {
	if t.st.Session.LastUUID == "" || t.confirming {
		return
	}
	t.cur.dismissed, t.retry = true, false
	e.persistDismiss(t, true)
	e.note(t, "dismissed", "dismissed by the user until it stalls again")
	t.schedule(stepNone, time.Time{})
	e.replan(t)
	e.dirty = true
}

// SetAuto turns auto-resume on or off for every session.
func (e *Engine) SetAuto(on bool) {
	e.do(func() {
		if e.auto == on {
			return
		}
		e.auto = on
		if on {
			e.record(nil, "auto", "auto-resume on")
		} else {
			e.record(nil, "auto", "auto-resume off")
		}
		for _, t := range e.tracks {
			if t.confirming {
				continue
			}
			if !on && t.step != stepNone {
				t.schedule(stepNone, time.Time{})
			}
			e.replan(t)
		}
		e.dirty = true
	})
}

// persistDismiss records (on) or forgets the dismissal of t's current error.
func (e *Engine) persistDismiss(t *track, on bool) {
	s := t.st.Session
	e.updateState(t, "the dismissal", func(d *statefile.Data) {
		d.SetDismissed(statefile.Dismissed{File: s.Transcript, UUID: s.LastUUID, ErrorAt: s.ErrorAt, At: e.clock.Now()}, on)
	})
}
