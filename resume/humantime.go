package resume

import "time"

// HumanTime formats a time for a human in loc (nil: the local zone): the
// time of day when it falls on now's day, else with its date, so a reset
// that already passed never reads like a future weekday. The zero time is
// "now". JSON output keeps RFC 3339 instead.
func HumanTime(t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "now"
	}
	if loc == nil {
		loc = time.Local
	}
	t, now = t.In(loc), now.In(loc)
	if SameDay(t, now) {
		return t.Format("15:04:05")
	}
	return t.Format("Jan 2 15:04:05")
}

// SameDay reports whether a and b fall on the same calendar day in a's zone.
func SameDay(a, b time.Time) bool {
	b = b.In(a.Location())
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
