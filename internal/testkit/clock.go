package testkit

import (
	"sync"
	"time"

	"github.com/ccwake/ccwake/internal/clock"
)

// Clock is a clock.Clock that moves only when the test advances it: the
// one fake clock of ccwake's tests (the engine's and the notifier's).
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

// NewClock returns a Clock standing at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now implements clock.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer implements clock.Clock: the timer fires when Advance reaches its
// time, at once when d <= 0.
func (c *Clock) NewTimer(d time.Duration) clock.Timer {
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

// Advance moves time forward and fires the timers that came due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			keep = append(keep, t)
			continue
		}
		select {
		case t.ch <- c.now:
		default:
		}
	}
	c.timers = keep
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

type fakeTimer struct {
	c  *Clock
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

// JumpClock is the wall clock plus an offset the test moves forward, for
// scenarios on real terminals that must wait "an hour" (a usage cap's
// reset) in a moment. Jumping wakes every timer; the engine re-arms from the
// new time.
type JumpClock struct {
	mu     sync.Mutex
	off    time.Duration
	timers map[*jumpTimer]bool
}

// NewJumpClock returns a JumpClock at the wall clock's time.
func NewJumpClock() *JumpClock { return &JumpClock{timers: map[*jumpTimer]bool{}} }

// Now implements clock.Clock.
func (c *JumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

// NewTimer implements clock.Clock.
func (c *JumpClock) NewTimer(d time.Duration) clock.Timer {
	jt := &jumpTimer{c: c, ch: make(chan time.Time, 1)}
	c.mu.Lock()
	c.timers[jt] = true
	c.mu.Unlock()
	jt.t = time.AfterFunc(d, jt.fire)
	return jt
}

// Jump moves the clock forward by d.
func (c *JumpClock) Jump(d time.Duration) {
	c.mu.Lock()
	c.off += d
	var all []*jumpTimer
	for jt := range c.timers {
		all = append(all, jt)
	}
	c.mu.Unlock()
	for _, jt := range all {
		jt.fire()
	}
}

type jumpTimer struct {
	c  *JumpClock
	t  *time.Timer
	ch chan time.Time
}

func (jt *jumpTimer) fire() {
	select {
	case jt.ch <- jt.c.Now():
	default:
	}
}

func (jt *jumpTimer) C() <-chan time.Time { return jt.ch }

func (jt *jumpTimer) Stop() bool {
	jt.c.mu.Lock()
	delete(jt.c.timers, jt)
	jt.c.mu.Unlock()
	return jt.t.Stop()
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
