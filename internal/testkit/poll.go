package testkit

import (
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
)

// pollEvery is how often WaitFor re-checks its condition at most: it starts
// at a few milliseconds and doubles up to this, so a condition that holds
// soon is seen soon and a long wait (a tmux capture each time) costs the
// machine little.
const pollEvery = 100 * time.Millisecond

// WaitFor polls cond until it holds. It gives up only at the test binary's
// deadline (internal/testwait), never after a fixed time a loaded machine
// can overrun, and then fails the test with what and, when dump is not nil,
// what dump says (screens, transcripts, engine state).
func WaitFor(t testing.TB, what string, cond func() bool, dump func() string) {
	t.Helper()
	testwait.Until(t, pollEvery, what, cond, dump)
}
