package resume

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/ccwake/ccwake/watch"
)

// note records an action for t unless it repeats the last one (a guard that
// refuses every 5 s is one line, not hundreds).
func (e *Engine) note(t *track, what, reason string) {
	key := what + "\x00" + reason
	if t.lastNote == key || t.cur.noted[key] {
		return
	}
	t.lastNote = key
	if onceAStall(what) {
		if t.cur.noted == nil {
			t.cur.noted = map[string]bool{}
		}
		t.cur.noted[key] = true
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
	case "fatal", "gave_up", "unconfirmed", "needs_human", "warning", "type_failed", "enter_failed", "escape_failed", "check_failed", "tmux_timeout":
		level = slog.LevelWarn
	}
	e.log.Log(context.Background(), level, what, attrs...)
}

// appendBounded appends a and keeps the list under 2n entries: past that,
// its newest n move to a new array. That is O(1) per action amortised (a
// copy per append would cost LogLen per event); readers take newest(n).
func appendBounded(list []Action, a Action, n int) []Action {
	list = append(list, a)
	if len(list) > 2*n {
		list = slices.Clone(list[len(list)-n:])
	}
	return list
}

// newest is the last n actions of list, its capacity capped at its length
// so that a reader's append cannot write into the engine's array.
func newest(list []Action, n int) []Action {
	if len(list) > n {
		list = list[len(list)-n:]
	}
	return list[:len(list):len(list)]
}

// Snapshot returns the state as of the engine's last step. It is a copy,
// safe to read from any goroutine.
func (e *Engine) Snapshot() Snapshot { return *e.snap.Load() }

// Changes signals (coalesced, capacity 1) that a new Snapshot is available.
func (e *Engine) Changes() <-chan struct{} { return e.changes }

// snapEvery is how often at most a Snapshot is built while the state keeps
// changing. Building one copies and sorts every session (milliseconds for
// 10,000), so it must not happen per event: a burst of events costs one
// Snapshot per snapEvery, a lone change is published at once, and an idle
// engine builds none. Ten a second is smooth for a human. On a slow machine
// the interval stretches to ten times the last build, so snapshots never
// take more than about a tenth of the engine's time.
const snapEvery = 100 * time.Millisecond

// publishWait is how long the next Snapshot must wait (0: build it now).
func (e *Engine) publishWait() time.Duration {
	every := max(snapEvery, 10*e.pubCost)
	since := e.clock.Now().Sub(e.pubAt)
	if e.pubAt.IsZero() || since < 0 || since >= every {
		return 0
	}
	return every - since
}

// publish builds a new Snapshot and signals Changes. Histories are shared,
// not copied: an Action once appended is never changed, and the slices are
// capped at their length, so a reader's append cannot reach the engine's.
func (e *Engine) publish() {
	now := e.clock.Now()
	snap := &Snapshot{
		Roots:        slices.Clone(e.cfg.Roots),
		Transcripts:  len(e.tracks),
		Auto:         e.auto,
		DryRun:       e.cfg.DryRun,
		LockHeldBy:   e.cfg.LockHeldBy,
		StateProblem: e.stateProblems(),
		ReopenOn:     e.cfg.Reopen.enabled(),
		ReopenAuto:   e.cfg.Reopen.enabled() && e.cfg.Reopen.Auto,
		ClaudeBin:    e.cfg.Reopen.ClaudeBin,
		Log:          newest(e.actions, e.cfg.LogLen),
		Taken:        now,
	}
	if e.day == now.Format(time.DateOnly) {
		snap.ResumedDay = e.resumed
	}
	// Sort the tracks, not the Statuses: swapping pointers is cheap, a
	// Status is hundreds of bytes.
	order := make([]*track, 0, 64)
	for _, t := range e.tracks {
		if listed(&t.st) {
			order = append(order, t)
		}
	}
	slices.SortFunc(order, func(a, b *track) int { return CompareStatus(a.st, b.st) })
	snap.Sessions = make([]Status, len(order))
	for i, t := range order {
		snap.Sessions[i] = t.st
		snap.Sessions[i].History = newest(t.st.History, e.cfg.HistoryLen)
	}
	e.snap.Store(snap)
	e.dirty = false
	e.pubAt = now
	e.pubCost = e.clock.Now().Sub(now)
	if e.pubTimer != nil {
		e.pubTimer.Stop()
		e.pubTimer = nil
	}
	select {
	case e.changes <- struct{}{}:
	default:
	}
}

// listed reports whether a session goes into the Snapshot: stalled, in a
// phase of its own (paused, waiting, resumed, …), or with something done
// for it (history, a matched pane). A session that only works has nothing
// to show; leaving the thousands of them out keeps each Snapshot (and the
// garbage of the previous ones) small. Transcripts still counts them all.
func listed(st *Status) bool {
	switch {
	case st.Session.State == watch.Stalled, len(st.History) > 0, st.Pane != "":
		return true
	}
	switch st.Phase {
	case Idle, Watching, "":
		return false
	}
	return true
}

// compareTimes orders set times first, earliest first, and unset (zero)
// times last: "due soonest" for schedules. The dashboard sorts with it too.
func compareTimes(a, b time.Time) int {
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
