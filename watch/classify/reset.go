package classify

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Reset times in usage-cap texts look like
//
//	Session limit reached ∙ resets 5:51pm
//	Weekly limit reached ∙ resets Nov 25, 10:11pm
//	You've hit your weekly limit · resets Nov 25, 10:12pm (America/New_York)
//
// The time is a 12-hour clock (also "5pm"; a 24-hour "17:51" is accepted),
// optionally after a month and day (and, should a release print it, a year),
// optionally followed by an IANA zone in parentheses. Without a zone it is
// the local time of the machine that ran Claude Code.
//
// The client shows the reset rounded down to the minute, so the real reset
// lies up to 59 s after the shown time. A shown time is therefore resolved to
// the first such moment that is later than one minute before the entry's
// timestamp: "resets 5:51pm" written at 17:51:25 means today 17:51 (the cap
// lifts within the minute), not tomorrow. Callers should wait a margin past
// the returned time.
var resetRE = regexp.MustCompile(`(?i)\b(?:resets?|automatically at)\s+` +
	`(?:at\s+)?` +
	`(?:([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:at\s+)?)?` +
	`(\d{1,2})(?::(\d{2}))?\s*(?:([ap])\.?m\b\.?)?` +
	`(?:\s*\(([^()]{1,64})\))?`)

// relativeRE matches "resets in 2h 30m" / "resets in 45 minutes".
var relativeRE = regexp.MustCompile(`(?i)\bresets?\s+in\s+(?:(\d{1,3})\s*(?:h|hr|hrs|hours?)\b\s*)?(?:(\d{1,4})\s*(?:m|min|mins|minutes?)\b)?`)

// parseReset finds the reset time in text, written at at, reading a time
// without a zone in loc. It reports false when the text names no usable
// time. An unknown zone name falls back to loc rather than failing.
func parseReset(text string, at time.Time, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	if m := relativeRE.FindStringSubmatch(text); m != nil && (m[1] != "" || m[2] != "") {
		h, _ := strconv.Atoi(m[1])
		mins, _ := strconv.Atoi(m[2])
		return at.Add(time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute), true
	}
	m := resetRE.FindStringSubmatch(text)
	if m == nil {
		return time.Time{}, false
	}
	monthName, dayS, yearS, hourS, minS, ampm, zone := m[1], m[2], m[3], m[4], m[5], m[6], m[7]

	hour, _ := strconv.Atoi(hourS)
	minute := 0
	if minS != "" {
		minute, _ = strconv.Atoi(minS)
	}
	switch {
	case ampm != "":
		if hour < 1 || hour > 12 {
			return time.Time{}, false
		}
		hour %= 12
		if ampm == "p" || ampm == "P" {
			hour += 12
		}
	case minS != "": // 24-hour clock
		if hour > 23 {
			return time.Time{}, false
		}
	default: // a bare number is not a time
		return time.Time{}, false
	}
	if minute > 59 {
		return time.Time{}, false
	}

	z := zoneOf(zone, loc)
	after := at.Add(-time.Minute)
	local := at.In(z)

	if monthName == "" {
		// Time only: today or the next day that has it.
		y, mo, d := local.Date()
		for k := 0; k < 3; k++ {
			if c := wallTime(y, mo, d+k, hour, minute, z); c.After(after) {
				return c, true
			}
		}
		return time.Time{}, false
	}

	month, ok := monthOf(monthName)
	if !ok {
		return time.Time{}, false
	}
	day, _ := strconv.Atoi(dayS)
	if yearS != "" {
		year, _ := strconv.Atoi(yearS)
		if !validDate(year, month, day) {
			return time.Time{}, false
		}
		return wallTime(year, month, day, hour, minute, z), true
	}
	// Date without a year: the next year that has that date (Feb 29 may
	// be up to eight years away) whose moment is not already past.
	for y := local.Year(); y <= local.Year()+8; y++ {
		if !validDate(y, month, day) {
			continue
		}
		if c := wallTime(y, month, day, hour, minute, z); c.After(after) {
			return c, true
		}
	}
	return time.Time{}, false
}

// wallTime is the moment the clock in z shows that date and time. A time
// that z skips (inside a spring-forward gap) reads with the offset from
// before the gap, the later of the two candidates: waiting too long is
// harmless, typing too early only earns another error.
func wallTime(y int, mo time.Month, d, h, mi int, z *time.Location) time.Time {
	c := time.Date(y, mo, d, h, mi, 0, 0, z)
	if c.Hour() == h && c.Minute() == mi {
		return c
	}
	_, before := c.Add(-12 * time.Hour).Zone()
	return time.Date(y, mo, d, h, mi, 0, 0, time.UTC).Add(-time.Duration(before) * time.Second).In(z)
}

// zoneOf loads the "(Zone)" of a reset text, or returns loc when there is
// none or it is not a zone this machine knows.
func zoneOf(name string, loc *time.Location) *time.Location {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || !zoneNameRE.MatchString(name) {
		return loc
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return loc
	}
	return z
}

// zoneNameRE is the shape of an IANA zone name; anything else (a path, a
// sentence in parentheses) is not handed to time.LoadLocation.
var zoneNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2}$`)

// monthOf reads an English month name or its three-letter abbreviation.
func monthOf(s string) (time.Month, bool) {
	s = strings.ToLower(s)
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		if s == full || s == full[:3] || (m == time.September && s == "sept") {
			return m, true
		}
	}
	return 0, false
}

// validDate reports whether day exists in that month of that year.
func validDate(year int, month time.Month, day int) bool {
	return day >= 1 && time.Date(year, month, day, 12, 0, 0, 0, time.UTC).Day() == day
}
