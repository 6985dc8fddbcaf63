package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ccwake/ccwake/resume"
)

// timers records the timers the dashboard arms instead of starting them.
type timers struct{ armed []time.Duration }

func (r *timers) after(d time.Duration, msg tea.Msg) tea.Cmd {
	r.armed = append(r.armed, d)
	return func() tea.Msg { return msg }
}

// recorded builds a model whose timers are recorded, at 100×30.
func recorded(t *testing.T, snap resume.Snapshot, now time.Time) (Model, *timers) {
	t.Helper()
	e := newFake(t, snap)
	opts := testOpts()
	opts.Now = func() time.Time { return now }
	m := New(e, opts)
	r := &timers{}
	m.wake.after = r.after
	m = step(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	return m, r
}

// step runs one Update and keeps the model.
func step(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	nm, _ := m.Update(msg)
	return nm.(Model)
}

func only(st ...resume.Status) resume.Snapshot {
	s := emptySnapshot()
	s.Sessions = st
	return s
}

// busyStatus is one status of the busy fixture.
func busyStatus(id string) resume.Status {
	for _, st := range busySnapshot().Sessions {
		if st.Session.ID == id {
			return st
		}
	}
	panic("no fixture session " + id)
}

// Nothing counting down on screen: no timer at all, so an idle dashboard
// costs no CPU.
func TestNoTickWithoutCountdown(t *testing.T) {
	snaps := map[string]resume.Snapshot{
		"empty":                 emptySnapshot(),
		"fatal, gave up, pause": only(busyStatus(idFatal), busyStatus(idGaveUp), busyStatus(idPaused)),
		"working and dismissed": only(busyStatus(idWorking), busyStatus(idDismiss)),
		"resumed long ago": only(func() resume.Status {
			st := busyStatus(idResumed)
			st.History[len(st.History)-1].Time = testNow.Add(-time.Hour)
			return st
		}()),
	}
	for name, snap := range snaps {
		t.Run(name, func(t *testing.T) {
			m, r := recorded(t, snap, testNow)
			m = step(t, m, snapshotMsg{snap: snap, rearm: true})
			m = step(t, m, press('j'))
			_ = step(t, m, press('?'))
			if len(r.armed) != 0 {
				t.Errorf("armed %v, want no timer", r.armed)
			}
		})
	}
}

func TestTickWhileCountingDown(t *testing.T) {
	now := testNow.Add(400 * time.Millisecond) // 22.6s left on the throttle: "in 23s"
	snap := only(busyStatus(idThrottle), busyStatus(idFatal))
	m, r := recorded(t, snap, now)
	m = step(t, m, snapshotMsg{snap: snap})
	if got := m.rows[1].cells[colWait]; got != "in 23s" { // the fatal row sorts first
		t.Fatalf("countdown = %q, want in 23s", got)
	}
	if len(r.armed) != 1 || r.armed[0] != 600*time.Millisecond {
		t.Fatalf("armed %v, want one timer of 600ms (to the next whole second)", r.armed)
	}
	// A second snapshot while that timer is pending arms nothing new.
	m = step(t, m, snapshotMsg{snap: snap})
	if len(r.armed) != 1 {
		t.Fatalf("armed %v after a second snapshot, want still one", r.armed)
	}
	// The timer fires: re-armed once; a superseded timer is dropped.
	m = step(t, m, wakeMsg{seq: m.wake.seq})
	m = step(t, m, wakeMsg{seq: m.wake.seq - 1})
	if len(r.armed) != 2 {
		t.Fatalf("armed %v, want a second timer after the first fired, none for a stale one", r.armed)
	}
	// The session goes (resumed, dismissed…): the next wake-up arms nothing.
	m = step(t, m, snapshotMsg{snap: only(busyStatus(idFatal))})
	_ = step(t, m, wakeMsg{seq: m.wake.seq})
	if len(r.armed) != 2 {
		t.Fatalf("armed %v after the countdown left the screen, want no more", r.armed)
	}
}

// A wait longer than an hour shows a clock time: one timer for when it
// turns into a countdown, not one a second.
func TestLongWaitWakesOnce(t *testing.T) {
	st := busyStatus(idUsage)
	m, r := recorded(t, only(st), testNow)
	m = step(t, m, snapshotMsg{snap: only(st)})
	if got := m.rows[0].cells[colWait]; got != "Nov 24 22:10" {
		t.Fatalf("cell = %q", got)
	}
	// The next change is at midnight, when the date gives way to "resets".
	want := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC).Sub(testNow)
	if len(r.armed) != 1 || r.armed[0] != want {
		t.Fatalf("armed %v, want one timer of %v", r.armed, want)
	}
}

// A resumed session wakes the dashboard once, when its row expires.
func TestResumedRowExpires(t *testing.T) {
	st := busyStatus(idResumed) // last action 2m55s ago
	m, r := recorded(t, only(st), testNow)
	m = step(t, m, snapshotMsg{snap: only(st)})
	if len(m.rows) != 1 {
		t.Fatalf("rows = %d, want the resumed one", len(m.rows))
	}
	if want := defaultRecent - (2*time.Minute + 55*time.Second); len(r.armed) != 1 || r.armed[0] != want {
		t.Fatalf("armed %v, want one timer of %v", r.armed, want)
	}
}

// The filter decides what is on screen: filtering the countdown away stops
// the ticking after the pending timer.
func TestFilterHidesCountdown(t *testing.T) {
	snap := only(busyStatus(idThrottle), busyStatus(idFatal))
	m, r := recorded(t, snap, testNow)
	m = step(t, m, snapshotMsg{snap: snap})
	for _, k := range []tea.Msg{press('/'), press('g'), press('a'), press('t'), press('e')} {
		m = step(t, m, k)
	}
	m = step(t, m, wakeMsg{seq: m.wake.seq})
	if len(m.rows) != 1 || len(r.armed) != 1 {
		t.Fatalf("rows %d, armed %v: want the fatal row only and no new timer", len(m.rows), r.armed)
	}
}
