package ui

import (
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// The words the dashboard uses, exported so `ccwake status` prints the same
// ones.

// KindLabel names an error kind as the KIND column does ("usage 5h").
func KindLabel(k classify.Kind, l classify.Limit) string { return kindLabel(k, l) }

// Project is the PROJECT column: the last two elements of a working directory.
func Project(cwd string) string { return project(cwd) }

// ShortID is the SESSION column: the first characters of a session id.
func ShortID(id string) string { return shortID(id) }

// Clock is a time as the RESUME column shows a far one: "17:50" on now's
// day, "Jan 2 22:10" on another.
func Clock(now, t time.Time, loc *time.Location) string { return clock(now, t, loc) }
