package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
)

// detailsModel is the full view of one session. It follows the session by
// id, so the view stays right while snapshots come and go.
type detailsModel struct {
	open bool
	id   string
}

// show opens the details of one session.
func (d detailsModel) show(id string) detailsModel { return detailsModel{open: true, id: id} }

// update handles the keys of the details view; ok is false for keys it
// leaves to the root (actions, help, quit).
func (d detailsModel) update(msg tea.KeyPressMsg, k keyMap) (detailsModel, bool) {
	if key.Matches(msg, k.Back) {
		return detailsModel{}, true
	}
	return d, false
}

// detailsCtx is what rendering the details needs besides the status.
type detailsCtx struct {
	now    time.Time
	loc    *time.Location
	home   string
	width  int
	height int
}

// view renders the session's details in at most c.height lines; the
// history gets what is left, newest last.
func (d detailsModel) view(st resume.Status, found bool, s Styles, c detailsCtx) []string {
	if !found {
		return []string{s.Faint.Render(cut("session "+d.id+" is no longer tracked", c.width))}
	}
	ss := st.Session
	const labelW = 12
	valW := max(c.width-labelW, 10)
	var lines []string
	field := func(label, value string) {
		for i, l := range strings.Split(ansi.Wrap(value, valW, " /-"), "\n") {
			if i > 0 {
				label = ""
			}
			lines = append(lines, s.Label.Render(pad(label, labelW))+cut(l, valW))
		}
	}
	lines = append(lines, s.Title.Render("Session ")+cut(ss.ID, c.width-18)+"  "+s.badge(st.Phase).Render(badge(st)))
	field("project", tildeHome(ss.Cwd, c.home))
	field("transcript", tildeHome(ss.Transcript, c.home))
	field("state", string(ss.State)+" · phase "+string(st.Phase))
	if st.Reason != "" {
		field("reason", st.Reason)
	}
	if ss.Kind != "" {
		field("kind", kindLabel(ss.Kind, ss.Limit))
	}
	if ss.Message != "" {
		field("error", oneLine(ss.Message))
	}
	if !ss.StalledAt.IsZero() {
		field("stalled", fmt.Sprintf("%s · last error %s · attempts %s",
			stamp(ss.StalledAt, c), stamp(ss.ErrorAt, c), orDash(tries(st))))
	}
	if !st.ResumeAt.IsZero() {
		field("resume at", stamp(st.ResumeAt, c)+" ("+until(c.now, st.ResumeAt)+")")
	}
	if !ss.ResetsAt.IsZero() {
		field("resets at", stamp(ss.ResetsAt, c))
	}
	pane := st.Pane
	if pane == "" {
		pane = "none: " + orDash(st.PaneErr)
	}
	field("pane", pane)
	if ss.LastError != "" {
		field("read error", ss.LastError)
	}
	lines = append(lines, "", s.Label.Render("history"))
	room := c.height - len(lines)
	if len(st.History) == 0 && room > 0 {
		lines = append(lines, "  "+s.Faint.Render("nothing yet"))
	}
	for _, a := range st.History[len(st.History)-min(len(st.History), max(room, 0)):] {
		lines = append(lines, "  "+logLine(a, s, c.now, c.loc, c.width-2))
	}
	if len(lines) > c.height {
		lines = lines[:c.height]
	}
	return lines
}

// stamp is a time for the details view: the clock, with the day when it is
// not today.
func stamp(t time.Time, c detailsCtx) string {
	if t.IsZero() {
		return "-"
	}
	return clock(c.now, t, c.loc) + t.In(c.loc).Format(":05")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// until is the wait to t for the details view: a countdown within the
// hour, hours and minutes beyond.
func until(now, t time.Time) string {
	d := t.Sub(now)
	if d <= clockAfter {
		return countdown(now, t, time.Time{}, time.UTC)
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("in %dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
