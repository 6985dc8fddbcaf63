package resume

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// onEngine runs f on the Run goroutine and fails the test when the engine
// does not get to it within a second: it must never wait for the actor.
func (h *harness) onEngine(what string, f func()) {
	h.t.Helper()
	done := make(chan struct{})
	h.e.do(func() { f(); close(done) })
	select {
	case <-done:
	case <-time.After(time.Second):
		h.t.Fatalf("%s: the engine did not handle it within 1s while an attempt hangs", what)
	}
}

// waitCalls polls (real time) until the actor saw n calls starting with prefix.
func (h *harness) waitCalls(prefix string, n int) {
	h.t.Helper()
	testkit.WaitFor(h.t, fmt.Sprintf("%d calls %q", n, prefix), func() bool { return h.actor.count(prefix) >= n },
		func() string { return fmt.Sprintf("calls %q", h.actor.Calls()) })
}

// While one session's attempt hangs in the actor, commands, other
// sessions' events and snapshots go on, and the hung session gets no second
// attempt.
func TestHungActorEngineResponsive(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.addPane("s2", "%2")
	hang := make(chan struct{})
	h.actor.mu.Lock()
	h.actor.hang = hang
	h.actor.mu.Unlock()
	h.sendAsync(stall("s1", "e1", classify.Throttle, 1, t0))
	h.clock.Advance(time.Minute) // the resume is due: its Locate hangs
	h.waitCalls("locate s1", 1)

	h.sendAsync(working(stall("s2", "x", classify.Throttle, 1, t0), "a2", t0))
	h.e.Pause("s2", true)
	h.e.Retry("s1")
	h.onEngine("an event and two commands", func() {
		h.e.drain()
		h.e.fireDue()
		h.e.publish()
	})
	if st := h.status("s2"); st.Phase != Paused {
		t.Fatalf("s2: phase %s, want paused while s1 hangs", st.Phase)
	}
	if st := h.status("s1"); st.Phase != Waiting {
		t.Fatalf("s1: phase %s (%s), want waiting for its running attempt", st.Phase, st.Reason)
	}
	h.clock.Advance(time.Hour)
	h.onEngine("an hour later", func() { h.e.fireDue() })
	h.wantCalls("locate s1", 1) // one attempt in flight per session, never two

	close(hang) // tmux answers again
	h.settle()
	h.wantCalls("type %1 continue", 1)
	h.advance(time.Hour)
	h.wantCalls("type", 1)
	h.wantCalls("locate s2", 0)
}

// A hung actor costs one attempt its budget, is reported, and is retried
// with the guard backoff, not in a loop.
func TestAttemptBudgetBoundsHungActor(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.AttemptBudget = 200 * time.Millisecond
		c.BlockedBase, c.BlockedCap = 5*time.Second, 20*time.Second
	})
	h.actor.addPane("s1", "%1")
	hang := make(chan struct{})
	h.actor.hang = hang
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advance(2 * time.Second)
	st := h.wantPhase("s1", Blocked)
	if !strings.Contains(st.Reason, "tmux did not answer within 200ms") || !hasAction(st.History, "tmux_timeout") {
		t.Fatalf("reason %q history %v", st.Reason, whats(st.History))
	}
	// 5 + 10 + 20 + 20 … : about 3 + (120-35)/20 attempts in two minutes.
	h.advance(2 * time.Minute)
	if n := h.actor.count("locate"); n < 6 || n > 9 {
		t.Fatalf("%d attempts in 2 min, want a 5 s → 20 s bounded backoff", n)
	}
	h.wantCalls("check", 0)
	close(hang)
	h.advance(30 * time.Second)
	h.wantCalls("type %1 continue", 1)
}

// A check that used up most of the budget leaves no time to type and send
// Enter: nothing is typed rather than text without its Enter.
func TestSlowCheckLeavesNoTimeToType(t *testing.T) {
	budget := 500 * time.Millisecond
	h := newHarness(t, func(c *Config) { c.AttemptBudget = budget })
	h.actor.addPane("s1", "%1")
	h.actor.checkWait = func(ctx context.Context) {
		dl, _ := ctx.Deadline()
		for time.Until(dl) >= budget/5-budget/10 { // wait for a condition: most of the budget gone
			time.Sleep(2 * time.Millisecond)
		}
	}
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advance(2 * time.Second)
	h.wantCalls("check %1", 1)
	h.wantCalls("type", 0)
	st := h.wantPhase("s1", Blocked)
	if !strings.Contains(st.Reason, "too slowly") && !strings.Contains(st.Reason, "did not answer") {
		t.Fatalf("reason %q", st.Reason)
	}
	h.actor.mu.Lock()
	h.actor.checkWait = nil
	h.actor.mu.Unlock()
	h.advance(time.Minute)
	h.wantCalls("type %1 continue", 1)
}

// A transcript deleted while its attempt runs: the look's result is
// dropped, nothing is typed, and the session is forgotten once the job ends.
func TestSessionGoneDuringAttempt(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.Throttle, 1, t0)
	h.actor.onCheck = func(watch.Session) {
		h.events <- watch.Event{Kind: watch.SessionGone, Session: s}
	}
	h.send(s)
	h.advance(time.Hour)
	h.wantCalls("check %1", 1)
	h.wantCalls("type", 0)
	if snap := h.e.Snapshot(); len(snap.Sessions) != 0 {
		t.Fatalf("sessions %v", snap.Sessions)
	}
}

// Two sessions whose looks at one pane ran at the same time: once one of
// them typed there, the other's look is stale and types nothing (in turn,
// its look would have seen the first one's text).
func TestConcurrentLooksOnePaneOneType(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.addPane("s2", "%1")
	h.sendAsync(stall("s1", "e1", classify.Overloaded, 1, t0))
	h.sendAsync(stall("s2", "e2", classify.Overloaded, 1, t0))
	h.clock.Advance(5 * time.Second) // both due at once: both looks start before either ends
	h.settle()
	h.wantCalls("check %1", 2)
	h.wantCalls("type %1", 1)
	var skipped []string
	for _, id := range []string{"s1", "s2"} {
		if st := h.status(id); st.Phase == Blocked {
			skipped = append(skipped, st.Reason)
		}
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0], "for another session while the guards looked") {
		t.Fatalf("blocked reasons %q", skipped)
	}
}

// The transcript confirms a Type (a new error) while the Type job still
// runs: the new error is planned and resumed once the job ends.
func TestConfirmedWhileTypeRuns(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.Throttle, 1, t0)
	release := make(chan struct{})
	h.actor.onType = func(pane.Target, string) { <-release }
	h.sendAsync(s)
	h.clock.Advance(time.Minute)
	h.waitCalls("type %1", 1)
	next := stall("s1", "e2", classify.Throttle, 2, t0.Add(time.Minute))
	h.sendAsync(next)
	h.onEngine("the confirming event", func() { h.e.drain() })
	h.actor.mu.Lock()
	h.actor.onType = nil
	h.actor.mu.Unlock()
	close(release)
	h.advance(time.Minute)
	h.wantCalls("type %1 continue", 2)
	st := h.status("s1")
	got := strings.Join(whats(st.History), " ")
	if !strings.Contains(got, "typed confirmed") {
		t.Fatalf("history %v: want typed, then confirmed", got)
	}
}
