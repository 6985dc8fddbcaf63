// Package testwait bounds the waits of ccwake's tests by the test binary's
// own deadline (go test -timeout), never by a fixed time: a wait ends when
// its condition holds, however long a loaded machine takes to get there,
// and only a real hang fails, with the test's own dump, shortly before go
// test would kill the binary without one. It is test support: only _test
// files (and internal/xtest) import it.
package testwait

import (
	"testing"
	"time"
)

// deadliner is *testing.T (testing.TB has no Deadline).
type deadliner interface {
	Deadline() (time.Time, bool)
}

// noDeadline is how long a wait lasts when go test runs without a
// -timeout (-timeout 0): as long as anyone waits.
const noDeadline = 100 * 365 * 24 * time.Hour

// Deadline is when a wait in t gives up: the test binary's deadline less a
// tenth of the time left (at least 1 s, at most 60 s) to fail with a dump
// and clean up.
func Deadline(t testing.TB) time.Time {
	now := time.Now()
	d, ok := t.(deadliner)
	if !ok {
		return now.Add(noDeadline)
	}
	end, ok := d.Deadline()
	if !ok {
		return now.Add(noDeadline)
	}
	margin := min(max(end.Sub(now)/10, time.Second), 60*time.Second)
	return end.Add(-margin)
}

// Left is the time until Deadline(t), for APIs that take a duration.
func Left(t testing.TB) time.Duration {
	return max(time.Until(Deadline(t)), 0)
}

// After fires at Deadline(t), for a select that waits on a channel.
func After(t testing.TB) <-chan time.Time {
	return time.After(Left(t))
}

// Slow is how long a wait runs before it says, once, in the test's log
// that it is still waiting (the wait goes on: only the deadline ends it).
const Slow = 10 * time.Second

// Until polls cond until it holds, at first often and then less (up to
// every interval), and fails t with what and dump() (dump may be nil)
// when Deadline(t) passes first. It is the one poll loop of ccwake's tests
// (internal/testkit.WaitFor is it with a 100 ms cap).
func Until(t testing.TB, interval time.Duration, what string, cond func() bool, dump func() string) {
	t.Helper()
	start, deadline, said := time.Now(), Deadline(t), false
	for every := min(5*time.Millisecond, interval); !cond(); every = min(2*every, interval) {
		now := time.Now()
		if now.After(deadline) {
			msg := ""
			if dump != nil {
				msg = dump()
			}
			t.Fatalf("gave up waiting for %s after %v, at the test's deadline\n%s", what, now.Sub(start).Round(time.Millisecond), msg)
		}
		if !said && now.Sub(start) > Slow {
			said = true
			t.Logf("still waiting for %s after %v", what, Slow)
		}
		time.Sleep(every) // a polling interval, not sequencing
	}
}
