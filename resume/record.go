package resume

import (
	"context"
	"log/slog"
	"slices"
	"time"
)

// note records an action for t unless it repeats the last one (a guard that
// refuses every 5 s is one line, not hundreds).
func (e *Engine) note(t *track, what, reason string) {
	key := what + "\x00" + reason
	if t.lastNote == key || t.noted[key] {
		return
	}
	t.lastNote = key
	if onceAStall(what) {
		if t.noted == nil {
			t.noted = map[string]bool{}
		}
		t.noted[key] = true
	}
	e.record(t, what, reason)
}

// onceAStall are the notes the engine writes when it (re)plans a stall:
// the same words twice in one stall add nothing, and replanning happens on
// every auto-resume toggle. The user's own actions (pause, retry) are
// logged every time.
func onceAStall(what string) bool { return what == "scheduled" || what == "no_pane" }

// record keeps an action in t's history (t may be nil) and the global log,
// and writes one log line.
func (e *Engine) record(t *track, what, reason string) {
	a := Action{Time: e.clock.Now(), What: what, Reason: reason}
	attrs := []any{"reason", reason}
	if t != nil {
		s := t.st.Session
		a.SessionID, a.Pane = s.ID, t.st.Pane
		attrs = append(attrs, "session", s.ID, "pane", t.st.Pane, "kind", string(s.Kind))
		t.st.History = appendBounded(t.st.History, a, e.cfg.HistoryLen)
	}
	e.actions = appendBounded(e.actions, a, e.cfg.LogLen)
	e.dirty = true
	level := slog.LevelInfo
	switch what {
	case "fatal", "gave_up", "unconfirmed", "warning", "type_failed", "enter_failed", "escape_failed", "check_failed":
		level = slog.LevelWarn
	}
	e.log.Log(context.Background(), level, what, attrs...)
}

func appendBounded(list []Action, a Action, n int) []Action {
	list = append(list, a)
	if len(list) > n {
		list = slices.Clone(list[len(list)-n:])
	}
	return list
}

// Snapshot returns the state as of the engine's last step. It is a copy,
// safe to read from any goroutine.
func (e *Engine) Snapshot() Snapshot { return *e.snap.Load() }

// Changes signals (coalesced, capacity 1) that a new Snapshot is available.
func (e *Engine) Changes() <-chan struct{} { return e.changes }

// publish builds a new Snapshot and signals Changes.
func (e *Engine) publish() {
	now := e.clock.Now()
	snap := &Snapshot{
		Roots:       slices.Clone(e.cfg.Roots),
		Transcripts: len(e.tracks),
		Auto:        e.auto,
		DryRun:      e.cfg.DryRun,
		LockHeldBy:  e.cfg.LockHeldBy,
		Log:         slices.Clone(e.actions),
		Taken:       now,
	}
	if e.day == now.Format(time.DateOnly) {
		snap.ResumedDay = e.resumed
	}
	for _, t := range e.tracks {
		st := t.st
		st.History = slices.Clone(st.History)
		snap.Sessions = append(snap.Sessions, st)
	}
	slices.SortFunc(snap.Sessions, CompareStatus)
	e.snap.Store(snap)
	e.dirty = false
	select {
	case e.changes <- struct{}{}:
	default:
	}
}

// CompareTimes orders set times first, earliest first, and unset (zero)
// times last: "due soonest" for schedules. The dashboard sorts with it too.
func CompareTimes(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}
