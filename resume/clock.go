package resume

import (
	"time"

	"github.com/ccwake/ccwake/internal/clock"
)

// Clock is the engine's only source of time, injected so tests can move time
// by hand instead of sleeping. The engine keeps a single timer for its next
// due time, so an idle engine costs no CPU.
type Clock = clock.Clock

// Timer is the part of *time.Timer the engine uses.
type Timer = clock.Timer

// wallClock reads the wall clock only. Go timers and the monotonic reading
// in time.Now stop while a laptop is suspended, so a deadline compared on
// the monotonic clock would come due hours late after a long sleep; the
// engine's deadlines are wall-clock instants, compared without it.
type wallClock struct{ Clock }

// Now strips the monotonic reading.
func (c wallClock) Now() time.Time { return c.Clock.Now().Round(0) }

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// NewTimer wraps time.NewTimer.
func (RealClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time { return r.t.C }
func (r realTimer) Stop() bool          { return r.t.Stop() }
