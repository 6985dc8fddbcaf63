// Package clock holds the two small interfaces through which ccwake's
// long-running parts (the resume engine, the notifier) read time, so that
// one fake clock (internal/testkit.Clock) can stand in for all of them.
package clock

import "time"

// Clock is a source of time, injected so tests can move time by hand
// instead of sleeping.
type Clock interface {
	Now() time.Time
	// NewTimer fires once after d (at once when d <= 0).
	NewTimer(d time.Duration) Timer
}

// Timer is the part of *time.Timer ccwake uses.
type Timer interface {
	C() <-chan time.Time
	Stop() bool
}
