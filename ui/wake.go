package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// wakeMsg says a countdown on screen may show a new text now. seq names the
// timer that sent it, so a superseded timer is ignored and never re-armed.
type wakeMsg struct{ seq int }

// afterFunc starts a timer that delivers msg after d: tea.Tick in the
// program, a recorder in tests.
type afterFunc func(d time.Duration, msg tea.Msg) tea.Cmd

func teaAfter(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// waker keeps at most one timer pending: for the earliest moment any row's
// text changes by time alone. Nothing on screen counting down means no
// timer at all, so an idle dashboard costs no CPU. Timers are re-armed only
// after they fire (or when an earlier one is needed), from the Update
// goroutine.
type waker struct {
	seq   int
	at    time.Time // when the pending timer fires; zero when none is
	after afterFunc
}

// arm starts a timer for the rows' next change unless one is already
// pending for that time or earlier.
func (w waker) arm(rows []row, now time.Time) (waker, tea.Cmd) {
	at := nextWake(rows)
	if at.IsZero() || (!w.at.IsZero() && !at.Before(w.at)) {
		return w, nil
	}
	w.seq++
	w.at = at
	return w, w.after(max(at.Sub(now), minWake), wakeMsg{seq: w.seq})
}

// fired reports whether msg is the pending timer (not a superseded one) and
// marks it done.
func (w waker) fired(msg wakeMsg) (waker, bool) {
	if msg.seq != w.seq {
		return w, false
	}
	w.at = time.Time{}
	return w, true
}
