package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch/classify"
)

// countdown formats the wait from now until at so that it cannot be read
// as a time of day: "in 12s", "in 4m05s", "in 58m", and for waits longer
// than clockAfter a clock time with its word instead, "resets 17:50" today
// or the bare date and time "Jan 2 22:10" on another day (the word gives
// way so the cell stays narrow; a date is no countdown either). A reset
// the message stated in another zone than loc is shown in that zone, named:
// "resets 19:00 CET", as the user read it in the message. Seconds round up,
// so "in 1s" is the last second before "due".
func countdown(now, at, resets time.Time, stated, loc *time.Location) string {
	d := at.Sub(now)
	if d <= 0 {
		return "due"
	}
	if d > clockAfter {
		word, t := "at", at
		if !resets.IsZero() {
			word, t = "resets", resets
			if stated != nil {
				return zonedClock(now, t, stated, loc)
			}
		}
		if !resume.SameDay(t.In(loc), now) {
			return clock(now, t, loc)
		}
		return word + " " + clock(now, t, loc)
	}
	return "in " + shortWait(d)
}

// shortWait is a wait in its largest units, rounded up: "12s", "4m05s"
// (seconds while they matter, under waitSeconds), "58m", "1h05m".
func shortWait(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	switch {
	case secs < 60:
		return fmt.Sprintf("%ds", secs)
	case d < waitSeconds:
		return fmt.Sprintf("%dm%02ds", secs/60, secs%60)
	}
	mins := int((d + time.Minute - 1) / time.Minute)
	if mins < 60 {
		return fmt.Sprintf("%dm", mins)
	}
	return fmt.Sprintf("%dh%02dm", mins/60, mins%60)
}

// waitUnit is how often shortWait's text of d changes.
func waitUnit(d time.Duration) time.Duration {
	if d <= waitSeconds {
		return time.Second
	}
	return time.Minute
}

// zonedClock is a reset in the zone its message stated, named by its
// abbreviation: "resets 19:00 CET" today (in loc), "Tue 19:00 CET" within
// the week, "Dec 1 19:00 CET" later.
func zonedClock(now, t time.Time, stated, loc *time.Location) string {
	z := t.In(stated)
	name := z.Format("MST")
	switch {
	case resume.SameDay(t.In(loc), now):
		return "resets " + z.Format("15:04") + " " + name
	case t.Sub(now) < 6*24*time.Hour:
		return z.Format("Mon 15:04") + " " + name
	}
	return z.Format("Jan 2 15:04") + " " + name
}

// clock is a wall-clock time for a human in loc: "17:50" today, "Jan 2
// 22:10" on any other day, so a past time never reads like a future weekday.
func clock(now, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if resume.SameDay(t, now) {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}

// logStamp is an event time: "15:04:05" today, "Jan 2 15:04" before.
func logStamp(now, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if resume.SameDay(t, now) {
		return t.Format("15:04:05")
	}
	return t.Format("Jan 2 15:04")
}

// kindLabel names an error kind in a few characters; usage limits show which
// cap they hit.
func kindLabel(k classify.Kind, l classify.Limit) string {
	switch k {
	case classify.Throttle:
		return "throttle"
	case classify.RateLimit:
		return "rate limit"
	case classify.UsageLimit:
		switch l {
		case classify.FiveHour:
			return "usage 5h"
		case classify.SevenDay:
			return "usage 7d"
		case classify.SevenDayOpus:
			return "usage opus"
		case classify.SevenDaySonnet:
			return "usage sonn"
		}
		return "usage"
	case classify.Overloaded:
		return "overloaded"
	case classify.ServerError:
		return "server err"
	case classify.Fatal:
		return "fatal"
	case "":
		return "-"
	}
	return string(k)
}

// project is the last two elements of a working directory, at most
// projectWidth cells, cut from the left so the project's own name survives.
func project(cwd string) string {
	if cwd == "" {
		return "?"
	}
	cwd = filepath.Clean(cwd)
	parent, base := filepath.Split(cwd)
	p := base
	if pb := filepath.Base(parent); parent != "" && pb != string(filepath.Separator) && pb != "." {
		p = pb + "/" + base
	}
	if base == "" {
		p = cwd
	}
	return cutLeft(p, projectWidth)
}

// shortID is the first idWidth characters of a session id.
func shortID(id string) string {
	if len(id) > idWidth {
		return id[:idWidth]
	}
	return id
}

// tildeHome shows paths under home as ~/…
func tildeHome(path, home string) string {
	if home == "" || home == "/" {
		return path
	}
	if path == home {
		return "~"
	}
	if rest, ok := strings.CutPrefix(path, home+string(filepath.Separator)); ok {
		return "~/" + rest
	}
	return path
}

// cut truncates s to w cells with an ellipsis.
func cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}

// cutLeft truncates s to w cells from the left with an ellipsis.
func cutLeft(s string, w int) string {
	n := ansi.StringWidth(s)
	if n <= w {
		return s
	}
	if w <= 1 {
		return cut(s, w)
	}
	return ansi.TruncateLeft(s, n-w+1, "…")
}

// oneLine folds newlines and runs of spaces so a message fits a table cell.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
