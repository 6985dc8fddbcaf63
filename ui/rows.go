package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// row is one table line at one moment: the status it shows and its cell
// texts. Rows are rebuilt from the snapshot whenever it or the time changes;
// they are cheap.
type row struct {
	st    resume.Status
	cells [numCols]string
	// wakeAt is when this row's text next changes by time alone (a countdown
	// second, a countdown turning into a clock time, a resumed row expiring);
	// zero when it never does.
	wakeAt time.Time
}

// rowCtx is what building rows needs besides the snapshot.
type rowCtx struct {
	now    time.Time
	loc    *time.Location
	recent time.Duration
	filter string
	zones  zones // stated reset zones, loaded once
}

// buildRows picks the sessions worth a row, sorts them so the ones needing
// attention come first, and formats their cells.
func buildRows(snap resume.Snapshot, c rowCtx) []row {
	rows := make([]row, 0, len(snap.Sessions))
	for _, st := range snap.Sessions {
		if !shown(st, c.now, c.recent) {
			continue
		}
		r := makeRow(st, c)
		if !matches(r, c.filter) {
			continue
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, compareRows)
	return rows
}

// shown reports whether a session gets a row: everything stalled or held,
// resumed ones only for a while, never dismissed or quietly working ones.
func shown(st resume.Status, now time.Time, recent time.Duration) bool {
	switch st.Phase {
	case resume.Dismissed:
		return false
	case resume.Resumed:
		return now.Sub(lastActionAt(st)) < recent
	case resume.Idle, resume.Watching, "":
		return st.Session.State == watch.Stalled
	}
	return true
}

// compareRows is resume's one "what needs attention first" order.
func compareRows(a, b row) int { return resume.CompareStatus(a.st, b.st) }

// lastActionAt is when anything last happened to a session.
func lastActionAt(st resume.Status) time.Time { return st.LastActivity() }

// makeRow formats one status for the table.
func makeRow(st resume.Status, c rowCtx) row {
	r := row{st: st}
	s := st.Session
	r.cells[colState] = badge(st)
	r.cells[colHost] = st.Host
	r.cells[colProject] = project(s.Cwd)
	r.cells[colSession] = shortID(s.ID)
	r.cells[colKind] = "-"
	if s.State == watch.Stalled || s.Kind != "" {
		r.cells[colKind] = kindLabel(s.Kind, s.Limit)
	}
	r.cells[colWait], r.wakeAt = waitCell(st, c)
	r.cells[colTries] = tries(st)
	r.cells[colPane] = paneText(st)
	r.cells[colEvent] = lastEvent(st)
	if st.Phase == resume.Resumed {
		r.wakeAt = lastActionAt(st).Add(c.recent)
	}
	return r
}

// badge is the state column: the phase's label from resume's table.
func badge(st resume.Status) string { return st.Label() }

// counts reports whether a phase shows a countdown to ResumeAt.
func counts(st resume.Status) bool {
	switch st.Phase {
	case resume.Waiting, resume.Blocked, resume.Watching, resume.Idle, "":
		return !st.ResumeAt.IsZero() && st.Session.State == watch.Stalled
	}
	return false
}

// waitCell is the countdown column and when it next changes.
func waitCell(st resume.Status, c rowCtx) (string, time.Time) {
	switch {
	case st.Phase == resume.Resuming:
		return "now", time.Time{}
	case !counts(st):
		return "", time.Time{}
	}
	d := st.ResumeAt.Sub(c.now)
	stated := c.zones.stated(st.Session.Message, st.Session.ResetsAt, c.loc)
	text := countdown(c.now, st.ResumeAt, st.Session.ResetsAt, stated, c.loc)
	if d > clockAfter && st.Session.Kind == classify.UsageLimit && st.Session.ResetsAt.IsZero() {
		text = "probe " + clock(c.now, st.ResumeAt, c.loc) // a cap that states no reset is probed
	}
	switch {
	case d <= 0:
		return text, time.Time{} // "due": the engine moves it on
	case d > clockAfter:
		wake := st.ResumeAt.Add(-clockAfter)
		if mid := nextMidnight(c.now, c.loc); mid.Before(wake) {
			wake = mid // a dated time loses its date when its day comes
		}
		return text, wake
	}
	// The wait rounds up: the text changes when d crosses a whole unit.
	unit := waitUnit(d)
	frac := d % unit
	if frac == 0 {
		frac = unit
	}
	return text, c.now.Add(frac)
}

// tries is "attempts/max" while there is a stall to count.
func tries(st resume.Status) string {
	n := st.Session.Attempts
	switch {
	case n == 0:
		return ""
	case st.MaxTries > 0:
		return fmt.Sprintf("%d/%d", n, st.MaxTries)
	}
	return fmt.Sprint(n)
}

// paneText is the pane id, or why there is none.
func paneText(st resume.Status) string {
	switch {
	case st.Pane != "":
		return st.Pane
	case st.PaneErr != "":
		return oneLine(st.PaneErr)
	}
	return "-"
}

// lastEvent is the newest thing worth a glance: the guard that holds a
// session, else its newest action, else its error message.
// All of it in people's words (eventSentence), never the engine's action
// names.
func lastEvent(st resume.Status) string {
	if st.Reason != "" && (st.Phase == resume.Blocked || st.Phase == resume.Watching) {
		return EventReason("", st.Reason)
	}
	if n := len(st.History); n > 0 {
		return eventSentence(st.History[n-1])
	}
	if st.Reason != "" {
		return EventReason("", st.Reason)
	}
	return oneLine(st.Session.Message)
}

// matches reports whether a row passes the "/" filter: a case-insensitive
// substring of its project, working directory, session id, kind or state.
func matches(r row, filter string) bool {
	if filter == "" {
		return true
	}
	f := strings.ToLower(filter)
	for _, s := range []string{r.cells[colProject], r.st.Session.Cwd, r.st.Session.ID, r.cells[colKind], r.cells[colState]} {
		if strings.Contains(strings.ToLower(s), f) {
			return true
		}
	}
	return false
}

// nextWake is the earliest time any row's text changes by time alone.
func nextWake(rows []row) time.Time {
	var at time.Time
	for _, r := range rows {
		if !r.wakeAt.IsZero() && (at.IsZero() || r.wakeAt.Before(at)) {
			at = r.wakeAt
		}
	}
	return at
}

// nextMidnight is the start of the day after now's in loc.
func nextMidnight(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}
