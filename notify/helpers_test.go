package notify

import (
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// t0 is the tests' start of time.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fakeClock is testkit's fake clock.
type fakeClock = testkit.Clock

func newFakeClock(now time.Time) *fakeClock { return testkit.NewClock(now) }

// waitFor is testkit.WaitFor without a dump.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, what, cond, nil)
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
