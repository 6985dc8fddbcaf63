package resume

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

const testRoot = "/nonexistent/claude-root"

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// harness runs an engine with a fake clock and a fake actor; tests step it
// with send/advance, which return only after the engine has processed
// everything due.
type harness struct {
	t      *testing.T
	clock  *fakeClock
	actor  *fakeActor
	e      *Engine
	events chan watch.Event
	logMu  *sync.Mutex
	logBuf *bytes.Buffer
}

func newHarness(t *testing.T, mod func(*Config)) *harness {
	t.Helper()
	fa := newFakeActor()
	h := newHarnessWith(t, mod, fa, newFakeClock(t0))
	h.actor = fa
	return h
}

// newHarnessWith is newHarness with another Actor (h.actor stays nil) and
// the clock it may share.
func newHarnessWith(t *testing.T, mod func(*Config), actor Actor, clock *fakeClock) *harness {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Auto = true
	cfg.LockedRoots = []string{testRoot}
	cfg.Rand = rand.New(rand.NewPCG(1, 2))
	if mod != nil {
		mod(&cfg)
	}
	h := &harness{t: t, clock: clock,
		events: make(chan watch.Event, 64), logMu: &sync.Mutex{}, logBuf: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(lockedWriter{h.logMu, h.logBuf}, nil))
	h.e = New(cfg, actor, h.clock, log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.e.Run(ctx, h.events) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() && h.actor != nil {
			t.Logf("actor calls: %q", h.actor.Calls())
			h.logMu.Lock()
			t.Logf("engine log:\n%s", h.logBuf.String())
			h.logMu.Unlock()
		}
	})
	return h
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// settle makes the engine fold in every sent event, run every step due at
// the fake clock's time and wait for the jobs that started, then publish.
func (h *harness) settle() {
	h.t.Helper()
	done := make(chan struct{})
	h.e.do(func() {
		for {
			h.e.drain()
			h.e.fireDue()
			if h.e.inflight == 0 {
				break
			}
			h.e.finish(<-h.e.results)
		}
		h.e.publish()
		close(done)
	})
	select {
	case <-done:
	case <-testwait.After(h.t):
		h.t.Fatal("engine did not settle")
	}
}

func (h *harness) send(s watch.Session) {
	h.events <- watch.Event{Kind: watch.SessionChanged, Session: s, Time: h.clock.Now()}
	h.settle()
}

// sendAsync queues an event without waiting (for hooks inside actor calls).
func (h *harness) sendAsync(s watch.Session) {
	h.events <- watch.Event{Kind: watch.SessionChanged, Session: s, Time: h.clock.Now()}
}

// advance moves the clock in small steps so every due time is met in order.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	end := h.clock.Now().Add(d)
	for i := 0; ; i++ {
		if i > 10000 {
			h.t.Fatal("advance: the engine keeps scheduling steps in the past")
		}
		h.settle()
		next := h.nextDue()
		if next.IsZero() || next.After(end) {
			break
		}
		if next.After(h.clock.Now()) {
			h.clock.Advance(next.Sub(h.clock.Now()))
		}
	}
	if end.After(h.clock.Now()) {
		h.clock.Advance(end.Sub(h.clock.Now()))
	}
	h.settle()
}

// advanceTo moves the clock to at.
func (h *harness) advanceTo(at time.Time) { h.advance(at.Sub(h.clock.Now())) }

func (h *harness) nextDue() time.Time {
	ch := make(chan time.Time)
	h.e.do(func() { ch <- h.e.nextDue() })
	return <-ch
}

func (h *harness) status(id string) Status {
	h.t.Helper()
	for _, st := range h.e.Snapshot().Sessions {
		if st.Session.ID == id {
			return st
		}
	}
	h.t.Fatalf("no status for %s", id)
	return Status{}
}

func (h *harness) wantPhase(id string, p Phase) Status {
	h.t.Helper()
	st := h.status(id)
	if st.Phase != p {
		h.t.Fatalf("%s: phase %s (%s), want %s; history %v", id, st.Phase, st.Reason, p, whats(st.History))
	}
	return st
}

func (h *harness) wantCalls(prefix string, n int) {
	h.t.Helper()
	if got := h.actor.count(prefix); got != n {
		h.t.Fatalf("%d calls %q, want %d; calls %q", got, prefix, n, h.actor.Calls())
	}
}

func whats(as []Action) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.What)
	}
	return out
}

func hasAction(as []Action, what string) bool {
	return slices.ContainsFunc(as, func(a Action) bool { return a.What == what })
}

// stall builds a stalled session whose newest error is errUUID.
func stall(id, errUUID string, kind classify.Kind, attempts int, errAt time.Time) watch.Session {
	return watch.Session{
		ID: id, Cwd: "/work/" + id, Transcript: "/t/" + id + ".jsonl", Root: testRoot,
		State: watch.Stalled, Kind: kind, Message: "API Error: " + string(kind),
		Attempts: attempts, StalledAt: errAt, ErrorAt: errAt, LastUUID: errUUID, LastAt: errAt,
	}
}

// working is s after a new entry newUUID ended the stall.
func working(s watch.Session, newUUID string, at time.Time) watch.Session {
	s.State, s.Kind, s.Message, s.Attempts = watch.Working, "", "", 0
	s.ErrorAt, s.StalledAt, s.ResetsAt = time.Time{}, time.Time{}, time.Time{}
	s.LastUUID, s.LastAt = newUUID, at
	return s
}

func usage(id, errUUID string, errAt, resets time.Time) watch.Session {
	s := stall(id, errUUID, classify.UsageLimit, 1, errAt)
	s.Limit, s.ResetsAt = classify.FiveHour, resets
	return s
}

func uuidN(n int) string { return fmt.Sprintf("err-%d", n) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// sync returns once the engine's loop went round after every command sent
// so far (and so re-armed its timer), without running due steps itself.
func (h *harness) sync() {
	h.t.Helper()
	for range 2 {
		done := make(chan struct{})
		h.e.do(func() { close(done) })
		<-done
	}
}
