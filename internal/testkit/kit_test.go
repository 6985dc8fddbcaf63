package testkit

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// The fake clock fires a timer only when Advance reaches it, once; Stop
// takes it back; Suspend moves the wall clock and every pending timer.
func TestClock(t *testing.T) {
	c := NewClock(t0)
	a, b := c.NewTimer(time.Minute), c.NewTimer(time.Hour)
	fired := func(tm interface{ C() <-chan time.Time }) bool {
		select {
		case <-tm.C():
			return true
		default:
			return false
		}
	}
	c.Advance(59 * time.Second)
	if fired(a) || fired(b) {
		t.Fatal("a timer fired early")
	}
	c.Advance(time.Second)
	if !fired(a) || fired(b) {
		t.Fatal("the minute timer did not fire alone at its time")
	}
	if got := c.Pending(); len(got) != 1 || !got[0].Equal(t0.Add(time.Hour)) {
		t.Fatalf("pending %v, want the hour timer", got)
	}
	c.Suspend(time.Hour)
	if !c.Now().Equal(t0.Add(time.Minute+time.Hour)) || fired(b) {
		t.Fatalf("after suspend: now %v, hour timer fired %v", c.Now(), fired(b))
	}
	if !b.Stop() || b.Stop() || len(c.Pending()) != 0 {
		t.Fatal("Stop did not take the timer back exactly once")
	}
	if z := c.NewTimer(0); !fired(z) {
		t.Fatal("a zero timer did not fire at once")
	}
}

// WaitFor returns as soon as the condition holds.
func TestWaitForReturnsWhenTheConditionHolds(t *testing.T) {
	var n atomic.Int32
	WaitFor(t, "three polls", func() bool { return n.Add(1) >= 3 }, nil)
	if n.Load() != 3 {
		t.Fatalf("polled %d times, want 3", n.Load())
	}
}

// A wait that reaches the test's deadline fails the test with what it
// waited for and the dump.
func TestWaitForFailsWithTheDumpAtTheDeadline(t *testing.T) {
	rec := &recorder{TB: t, end: time.Now().Add(time.Second)}
	done := make(chan struct{})
	go func() { // Fatalf ends the goroutine, as it ends a test
		defer close(done)
		WaitFor(rec, "never", func() bool { return false }, func() string { return "the dump" })
	}()
	<-done
	if !strings.Contains(rec.msg, "never") || !strings.Contains(rec.msg, "the dump") {
		t.Fatalf("failure %q, want what and the dump", rec.msg)
	}
}

type recorder struct {
	testing.TB
	end time.Time
	msg string
}

func (r *recorder) Deadline() (time.Time, bool) { return r.end, true }

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// The world's Claude stalls when told and counts the continues it got:
// here the test types the continue itself, as ccwake would.
func TestWorldStallAndTyped(t *testing.T) {
	t.Parallel()
	w := NewWorld(t)
	c := w.Claude(ClaudeOpts{})
	if c.Typed() != 0 {
		t.Fatal("a fresh Claude got a continue")
	}
	c.Stall("429")
	w.Tmux.WaitScreen(c.Pane, "the throttle on screen", func(s string) bool { return strings.Contains(s, "Rate limited") })
	w.Tmux.TypeLine(c.Pane, "continue")
	c.ExpectTyped(1)
	w.Tmux.WaitScreen(c.Pane, "the reply", func(s string) bool { return strings.Contains(s, "Hello from the fake (2).") })
}
