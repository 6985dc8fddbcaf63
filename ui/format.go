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

// countdown formats the wait from now until at: "0:23", "12:05", and for
// waits longer than clockAfter the clock time of reset (or resume) instead,
// "resets 17:50" today or the bare date and time "Jan 2 22:10" on another
// day (the word gives way so the cell stays narrow). Seconds round up, so
// "0:01" is the last second before "due".
func countdown(now, at, resets time.Time, loc *time.Location) string {
	d := at.Sub(now)
	if d <= 0 {
		return "due"
	}
	if d > clockAfter {
		word, t := "at", at
		if !resets.IsZero() {
			word, t = "resets", resets
		}
		if !resume.SameDay(t.In(loc), now) {
			return clock(now, t, loc)
		}
		return word + " " + clock(now, t, loc)
	}
	secs := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
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
