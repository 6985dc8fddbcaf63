package classify

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Reset times in error texts look like
//
//	Session limit reached ∙ resets 5:51pm
//	Weekly limit reached ∙ resets Nov 25, 10:11pm
//	You've hit your weekly limit · resets Nov 25, 10:12pm (America/New_York)
//	You've hit your limit · resets May 5 at 9pm (Europe/Paris)
//	resets Mon 12:00am · resets Tuesday 9am (UTC) · resets 4pm · resets 15:00
//	resets in 3 hours 15 minutes · Please try again in 5 hours · try again in 2h 30m
//
// The time is a 12-hour clock ("5pm", "5:51 PM", with a space, a no-break
// space or U+202F before the AM/PM as ICU prints it) or a 24-hour "17:51",
// optionally after a weekday or a month and day (and, should a release print
// it, a year), optionally followed by an IANA zone in parentheses. Without a
// zone it is the local time of the machine that ran Claude Code. A relative
// wait ("in 3 hours") counts from the entry's timestamp.
//
// The client shows the reset rounded down to the minute, so the real reset
// lies up to 59 s after the shown time. A shown time is therefore resolved to
// the first such moment that is later than one minute before the entry's
// timestamp: "resets 5:51pm" written at 17:51:25 means today 17:51 (the cap
// lifts within the minute), not tomorrow. Callers should wait a margin past
// the returned time.
var resetRE = regexp.MustCompile(`(?i)\b(?:resets?|automatically at)\s+` +
	`(?:(?:at|on)\s+)?` +
	`(?:(` + weekdayAlt + `)\b\.?,?\s+(?:at\s+)?)?` +
	`(?:(` + monthAlt + `)\b\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:at\s+)?)?` +
	`(\d{1,2})(?::(\d{2}))?\s*(?:([ap])\.?m\b\.?)?` +
	`(?:\s*\(([^()]{1,64})\))?`)

const (
	weekdayAlt = `today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|` +
		`mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun`
	monthAlt = `january|february|march|april|may|june|july|august|september|october|november|december|` +
		`jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`
)

// relativeRE finds the start of a stated wait: "resets in …", "try again
// in …", "retry in …". The duration itself is read by durationAt.
var relativeRE = regexp.MustCompile(`(?i)\b(?:resets?|again|retry|retrying|available)\s+in\s+`)

// durationRE is one "<n> <unit>" of a stated wait ("3 hours", "15m", "an hour").
var durationRE = regexp.MustCompile(`(?i)^(?:,\s*|and\s+)?(\d{1,4}|an?|one)\s*([a-z]+)\.?\s*`)

// spaces lists the characters ICU and the client print where a plain space
// would do: U+202F before AM/PM, U+00A0, thin spaces.
var spaces = strings.NewReplacer("\u202f", " ", "\u00a0", " ", "\u2009", " ", "\u2007", " ")

// maxWait bounds a stated relative wait: longer ones are not waits a
// client would print, and the bound keeps time arithmetic in range.
const maxWait = 31 * 24 * time.Hour

// parseResetZone finds the reset time in text, written at at, reading a
// time without a zone in loc. It reports false when the text names no usable
// time. An unknown zone name falls back to loc rather than failing. zoned
// says whether the time came with its own zone (a "(Zone)" this machine
// knows) or is relative, i.e. whether the zone it was read in is certain.
func parseResetZone(text string, at time.Time, loc *time.Location) (reset time.Time, zoned, ok bool) {
	if loc == nil {
		loc = time.UTC
	}
	text = spaces.Replace(text)
	for _, ix := range relativeRE.FindAllStringIndex(text, 4) {
		if d, ok := durationAt(text[ix[1]:]); ok {
			return at.Add(d), true, true
		}
	}
	for _, m := range resetRE.FindAllStringSubmatch(text, 4) {
		if t, zoned, ok := absolute(m, at, loc); ok {
			return t, zoned, true
		}
	}
	return time.Time{}, false, false
}

// durationAt reads a duration at the start of s: one or more "<n> <unit>"
// ("3 hours 15 minutes", "2h 30m", "2h30m", "an hour", "45 min"); a
// number stops at its unit, so "2h30m" reads as "2h", "30m".
func durationAt(s string) (time.Duration, bool) {
	var total time.Duration
	found := false
	for {
		m := durationRE.FindStringSubmatchIndex(s)
		if m == nil {
			break
		}
		num, word := s[m[2]:m[3]], strings.ToLower(s[m[4]:m[5]])
		n := 1
		if num[0] >= '0' && num[0] <= '9' {
			n, _ = strconv.Atoi(num)
		}
		unit := unitOf(word)
		if unit == 0 {
			break
		}
		total += time.Duration(n) * unit
		found = true
		s = s[m[1]:]
	}
	if !found || total <= 0 || total > maxWait {
		return 0, false
	}
	return total, true
}

// unitOf reads a unit word ("hours", "min", "h"); 0 when it is none.
func unitOf(word string) time.Duration {
	switch word {
	case "days", "day", "d":
		return 24 * time.Hour
	case "hours", "hour", "hrs", "hr", "h":
		return time.Hour
	case "minutes", "minute", "mins", "min", "m":
		return time.Minute
	case "seconds", "second", "secs", "sec", "s":
		return time.Second
	}
	return 0
}

// absolute resolves one resetRE match.
func absolute(m []string, at time.Time, loc *time.Location) (time.Time, bool, bool) {
	weekday, monthName, dayS, yearS, hourS, minS, ampm, zone := m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]

	hour, _ := strconv.Atoi(hourS)
	minute := 0
	if minS != "" {
		minute, _ = strconv.Atoi(minS)
	}
	switch {
	case ampm != "":
		if hour < 1 || hour > 12 {
			return time.Time{}, false, false
		}
		hour %= 12
		if ampm == "p" || ampm == "P" {
			hour += 12
		}
	case minS != "": // 24-hour clock
		if hour > 23 {
			return time.Time{}, false, false
		}
	default: // a bare number is not a time
		return time.Time{}, false, false
	}
	if minute > 59 {
		return time.Time{}, false, false
	}

	z, zoned := zoneOf(zone, loc)
	after := at.Add(-time.Minute)
	local := at.In(z)

	if monthName == "" {
		// Time only, or a weekday: the first day from today on that has
		// it and whose moment is not already past.
		want, hasDay := weekdayOf(weekday, local.Weekday())
		y, mo, d := local.Date()
		for k := 0; k < 9; k++ {
			c := wallTime(y, mo, d+k, hour, minute, z)
			if hasDay && c.Weekday() != want {
				continue
			}
			if c.After(after) {
				return c, zoned, true
			}
		}
		return time.Time{}, false, false
	}

	month, ok := monthOf(monthName)
	if !ok {
		return time.Time{}, false, false
	}
	day, _ := strconv.Atoi(dayS)
	if yearS != "" {
		year, _ := strconv.Atoi(yearS)
		if !validDate(year, month, day) {
			return time.Time{}, false, false
		}
		return wallTime(year, month, day, hour, minute, z), zoned, true
	}
	// Date without a year: the next year that has that date (Feb 29 may
	// be up to eight years away) whose moment is not already past.
	for y := local.Year(); y <= local.Year()+8; y++ {
		if !validDate(y, month, day) {
			continue
		}
		if c := wallTime(y, month, day, hour, minute, z); c.After(after) {
			return c, zoned, true
		}
	}
	return time.Time{}, false, false
}

// weekdayOf reads a weekday name ("Mon", "Tuesday"; "today" and
// "tomorrow" relative to today). It reports false for "".
func weekdayOf(s string, today time.Weekday) (time.Weekday, bool) {
	s = strings.ToLower(s)
	switch s {
	case "":
		return 0, false
	case "today":
		return today, true
	case "tomorrow":
		return (today + 1) % 7, true
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.HasPrefix(strings.ToLower(d.String()), s[:3]) {
			return d, true
		}
	}
	return 0, false
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
// none or it is not a zone this machine knows; zoned reports the former.
func zoneOf(name string, loc *time.Location) (*time.Location, bool) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || !zoneNameRE.MatchString(name) {
		return loc, false
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return loc, false
	}
	return z, true
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
