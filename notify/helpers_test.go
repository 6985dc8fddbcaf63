package notify

import (
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// t0 is the tests' start of time.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fakeClock is a resume.Clock that moves only when the test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) resume.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

// pending is how many timers wait to fire.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// timerIn reports whether a timer waits to fire exactly d from now.
func (c *fakeClock) timerIn(d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.timers {
		if t.at.Equal(c.now.Add(d)) {
			return true
		}
	}
	return false
}

// Advance moves time forward and fires the timers that came due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			keep = append(keep, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = keep
}

type fakeTimer struct {
	c  *fakeClock
	at time.Time
	ch chan time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	for i, o := range t.c.timers {
		if o == t {
			t.c.timers = append(t.c.timers[:i], t.c.timers[i+1:]...)
			return true
		}
	}
	return false
}

// waitFor polls cond until it holds or the test's patience (5 s) ends.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stalled is a session stalled on err (its uuid) of kind k since at.
func stalled(id string, k classify.Kind, uuid string, at time.Time) watch.Session {
	return watch.Session{
		ID:         id,
		Cwd:        "/home/ann/src/" + id,
		Transcript: "/home/ann/.claude/projects/-home-ann-src-" + id + "/" + id + ".jsonl",
		State:      watch.Stalled,
		Kind:       k,
		Message:    "API Error: " + string(k),
		Attempts:   1,
		StalledAt:  at,
		ErrorAt:    at,
		LastUUID:   uuid,
		LastAt:     at,
	}
}

// working is s after the transcript moved on (a reply with uuid).
func working(s watch.Session, uuid string, at time.Time) watch.Session {
	s.State = watch.Working
	s.Kind, s.Limit, s.Message, s.Attempts = "", "", "", 0
	s.LastUUID, s.LastAt = uuid, at
	return s
}

// status wraps a session in a phase.
func status(s watch.Session, p resume.Phase, resumeAt time.Time, reason string) resume.Status {
	return resume.Status{Session: s, Phase: p, ResumeAt: resumeAt, Reason: reason, Pane: "%3"}
}

// snapshot is a Snapshot of the given statuses.
func snapshot(sts ...resume.Status) resume.Snapshot {
	return resume.Snapshot{Sessions: sts, Auto: true}
}

// kinds lists the events' kinds, for compact comparisons.
func kinds(evs []Event) []Kind {
	out := make([]Kind, 0, len(evs))
	for _, e := range evs {
		out = append(out, e.Event)
	}
	return out
}

// mutableSource is a Source whose snapshot the test replaces.
type mutableSource struct {
	mu   sync.Mutex
	snap resume.Snapshot
}

func (m *mutableSource) Snapshot() resume.Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snap
}

func (m *mutableSource) set(s resume.Snapshot) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.snap = s
}
