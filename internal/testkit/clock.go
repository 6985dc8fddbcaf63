package testkit

import (
	"sync"
	"time"

	"github.com/ccwake/ccwake/internal/clock"
)

// Clock is the one fake clock of ccwake's tests (the engine's and the
// notifier's): a clock.Clock that moves when the test advances it. Made by
// NewClock it stands still in between, so a test steps through hours of
// backoff and resets exactly. Made by NewWallClock it runs with the wall
// clock as well, for scenarios on real terminals that must wait "an hour"
// (a usage cap's reset) in a moment: its timers also fire on their own, in
// real time.
type Clock struct {
	mu     sync.Mutex
	now    time.Time     // NewClock: the time
	wall   bool          // NewWallClock: the wall clock plus off
	off    time.Duration // NewWallClock: how far the test advanced it
	timers []*fakeTimer
}

// NewClock returns a Clock standing at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// NewWallClock returns a Clock at the wall clock's time that runs with it.
func NewWallClock() *Clock { return &Clock{wall: true} }

// Now implements clock.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.wall {
		return time.Now().Add(c.off)
	}
	return c.now
}

// NewTimer implements clock.Clock: the timer fires when Advance reaches its
// time, at once when d <= 0, and (a wall clock's) when d passes for real.
func (c *Clock) NewTimer(d time.Duration) clock.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.nowLocked()
	t := &fakeTimer{c: c, at: now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- now
		return t
	}
	c.timers = append(c.timers, t)
	if c.wall {
		t.real = time.AfterFunc(d, func() { c.fire(t) })
	}
	return t
}

// Advance moves time forward and fires the timers that came due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.wall {
		c.off += d
	} else {
		c.now = c.now.Add(d)
	}
	now := c.nowLocked()
	keep := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(now) {
			keep = append(keep, t)
			continue
		}
		t.send(now)
	}
	clear(c.timers[len(keep):])
	c.timers = keep
}

// fire is a wall clock's timer going off in real time.
func (c *Clock) fire(t *fakeTimer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.remove(t) {
		t.send(c.nowLocked())
	}
}

// remove takes t off the pending timers; false when it was not there.
func (c *Clock) remove(t *fakeTimer) bool {
	for i, o := range c.timers {
		if o == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return true
		}
	}
	return false
}

// Suspend is a machine sleeping for d: the wall clock moves on, the
// monotonic clock (and with it every timer) stands still, so each pending
// timer fires d later on the wall clock than it was due.
func (c *Clock) Suspend(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		t.at = t.at.Add(d)
	}
}

// Pending lists when the pending timers fire.
func (c *Clock) Pending() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]time.Time, 0, len(c.timers))
	for _, t := range c.timers {
		out = append(out, t.at)
	}
	return out
}

// TimerIn reports whether a timer waits to fire exactly d from now.
func (c *Clock) TimerIn(d time.Duration) bool {
	now := c.Now()
	for _, at := range c.Pending() {
		if at.Equal(now.Add(d)) {
			return true
		}
	}
	return false
}

type fakeTimer struct {
	c    *Clock
	at   time.Time
	ch   chan time.Time
	real *time.Timer // a wall clock's: fires in real time too
}

func (t *fakeTimer) send(now time.Time) {
	if t.real != nil {
		t.real.Stop()
	}
	select {
	case t.ch <- now:
	default:
	}
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.real != nil {
		t.real.Stop()
	}
	return t.c.remove(t)
}
