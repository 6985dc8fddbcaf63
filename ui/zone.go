package ui

import (
	"regexp"
	"time"
)

// statedZoneRE finds the zone a message states its reset in: "resets 7pm
// (Europe/Berlin)", "resets Nov 25, 10:12pm (America/New_York)". The name
// has the shape of an IANA zone (as watch/classify reads it), so nothing
// else in parentheses reaches time.LoadLocation.
var statedZoneRE = regexp.MustCompile(`(?i)\bresets?\b[^()]{1,40}\(([A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2})\)`)

// zones resolves the zones messages state, each name loaded once: rows are
// rebuilt every second while a countdown runs, and loading a zone reads a
// file. A name this machine does not know resolves to nil.
type zones map[string]*time.Location

// stated is the zone msg states its reset in when it differs from loc at
// reset (a reset stated in the user's own zone needs no name); nil when the
// message states none, or one this machine does not know.
func (z zones) stated(msg string, reset time.Time, loc *time.Location) *time.Location {
	if reset.IsZero() {
		return nil
	}
	m := statedZoneRE.FindStringSubmatch(msg)
	if m == nil || m[1] == "Local" {
		return nil
	}
	l, ok := z[m[1]]
	if !ok {
		l, _ = time.LoadLocation(m[1])
		if z != nil {
			z[m[1]] = l
		}
	}
	if l == nil {
		return nil
	}
	_, off := reset.In(l).Zone()
	_, here := reset.In(loc).Zone()
	if off == here {
		return nil
	}
	return l
}
