package testkit

import (
	"testing"
	"time"
)

// Patience is how long WaitFor waits for a condition before it fails the
// test: long enough that a loaded 2-core machine does not overrun it when
// nothing is wrong, since a passing test returns as soon as the condition
// holds. It never runs past the test's own deadline (go test -timeout): the
// wait fails a margin before it, so t.Cleanup still ends the servers.
const Patience = 60 * time.Second

// pollEvery is how often a wait re-checks its condition at most: it starts
// at pollFirst and doubles up to pollEvery, so a condition that holds soon
// is seen soon and a long wait (a real client, a tmux capture each time)
// costs the machine little.
const (
	pollFirst = 5 * time.Millisecond
	pollEvery = 100 * time.Millisecond
)

// WaitFor polls cond until it holds. When Patience runs out it fails the
// test with what and, when dump is not nil, what dump says (screens,
// transcripts, engine state). The only poll helper of ccwake's tests.
func WaitFor(t testing.TB, what string, cond func() bool, dump func() string) {
	t.Helper()
	WaitWithin(t, Patience, what, cond, dump)
}

// WaitWithin is WaitFor with another patience, for waits on parts slower
// than ccwake's own (a real Claude Code client over the network).
func WaitWithin(t testing.TB, patience time.Duration, what string, cond func() bool, dump func() string) {
	t.Helper()
	deadline := time.Now().Add(shorten(t, patience))
	for every := pollFirst; !cond(); every = min(2*every, pollEvery) {
		if time.Now().After(deadline) {
			msg := ""
			if dump != nil {
				msg = "\n" + dump()
			}
			t.Fatalf("timed out waiting for %s%s", what, msg)
		}
		time.Sleep(every) // polling interval, not sequencing
	}
}

// shorten cuts p so a wait fails before the test binary's -timeout panics
// (a panic skips t.Cleanup and leaves servers running).
func shorten(t testing.TB, p time.Duration) time.Duration {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if dl, ok := d.Deadline(); ok {
			if left := time.Until(dl) - 30*time.Second; left < p {
				p = max(left, time.Second)
			}
		}
	}
	return p
}
