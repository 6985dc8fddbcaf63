package ui

import "time"

const (
	// defaultRecent is how long a resumed session stays in the table after
	// its last action, so the user sees that it worked.
	defaultRecent = 10 * time.Minute

	// clockAfter is the wait above which a countdown gives way to the clock
	// time ("resets 17:50"): long waits change too slowly to count.
	clockAfter = time.Hour

	// waitSeconds is the wait under which a countdown shows its seconds
	// ("in 4m05s"); longer ones count minutes ("in 58m").
	waitSeconds = 10 * time.Minute

	// projectWidth is the widest a project (last two cwd elements) is shown.
	projectWidth = 20

	// idWidth is how much of a session id the table shows.
	idWidth = 8

	// minLogLines is how many event-log lines the layout keeps for the log
	// before it gives the table more room.
	minLogLines = 3

	// minBodyForLog is the least body height at which the log is shown at all.
	minBodyForLog = 6

	// wheelStep is how many rows one mouse-wheel notch scrolls.
	wheelStep = 1
)

// minWake is the shortest timer the countdown waker arms, so a clock that
// stands still (or a row due right now) cannot make it spin.
const minWake = 50 * time.Millisecond
