package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// detailsModel is the full view of one session. It follows the session by
// id, so the view stays right while snapshots come and go.
type detailsModel struct {
	open   bool
	id     string
	offset int // first line shown: the view scrolls when it is taller than the screen
}

// show opens the details of one session.
func (d detailsModel) show(id string) detailsModel { return detailsModel{open: true, id: id} }

// update handles the keys of the details view; ok is false for keys it
// leaves to the root (actions, help, quit).
func (d detailsModel) update(msg tea.KeyPressMsg, k keyMap, height int) (detailsModel, bool) {
	page := max(height-1, 1)
	switch {
	case key.Matches(msg, k.Back):
		return detailsModel{}, true
	case key.Matches(msg, k.Up):
		d.offset--
	case key.Matches(msg, k.Down):
		d.offset++
	case key.Matches(msg, k.PageUp):
		d.offset -= page
	case key.Matches(msg, k.PageDown):
		d.offset += page
	case key.Matches(msg, k.Top):
		d.offset = 0
	case key.Matches(msg, k.Bottom):
		d.offset = 1 << 30
	default:
		return d, false
	}
	return d, true
}

// clamp keeps the offset within content of total lines shown height at a
// time.
func (d detailsModel) clamp(total, height int) detailsModel {
	d.offset = max(0, min(d.offset, total-height))
	return d
}

// detailsCtx is what rendering the details needs besides the status.
type detailsCtx struct {
	now    time.Time
	loc    *time.Location
	home   string
	width  int
	height int
	zones  zones
}

// view renders the details' lines (content) in c.height lines through a
// bubbles viewport scrolled to the offset.
func (d detailsModel) view(lines []string, c detailsCtx) []string {
	vp := viewport.New(viewport.WithWidth(c.width), viewport.WithHeight(max(c.height, 1)))
	vp.SetContentLines(lines)
	vp.SetYOffset(d.offset)
	return strings.Split(vp.View(), "\n")
}

// content is every line of the details, the whole history last, newest at
// the bottom.
func (d detailsModel) content(st resume.Status, found bool, s Styles, c detailsCtx) []string {
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
	// The phase in words (its label is in the title).
	state := string(ss.State)
	switch {
	case st.Label() == "WORKING":
	case ss.State == watch.Stalled:
		state = st.Phase.Info().Help
	default:
		state += " · " + st.Phase.Info().Help
	}
	field("state", state)
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
	switch {
	case st.ResumeAt.IsZero():
	case !st.ResumeAt.After(c.now):
		field("resume at", "due") // a time already past would read as a promise broken
	default:
		field("resume at", stamp(st.ResumeAt, c)+" ("+until(c.now, st.ResumeAt)+")")
	}
	if !ss.ResetsAt.IsZero() {
		field("resets at", resetStamp(ss, c))
	}
	pane := st.Pane
	if pane == "" {
		pane = "none: " + orDash(st.PaneErr)
	}
	field("pane", pane)
	if st.Reopen != "" && ss.State == watch.Stalled {
		field("reopen", st.Reopen+" (R, when no Claude Code process holds it)")
	}
	if ss.LastError != "" {
		field("read error", ss.LastError)
	}
	lines = append(lines, "", s.Label.Render("history"))
	if len(st.History) == 0 {
		lines = append(lines, "  "+s.Faint.Render("nothing yet"))
	}
	for _, a := range st.History {
		lines = append(lines, "  "+logLine(a, s, c.now, c.loc, c.width-2))
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

// resetStamp is when a stall's wait ends; a reset the message stated in
// another zone is shown in it first, then here: "Tue 19:00:00
// Europe/Berlin, 18:00:00 here".
func resetStamp(ss watch.Session, c detailsCtx) string {
	z := c.zones.stated(ss.Message, ss.ResetsAt, c.loc)
	if z == nil {
		return stamp(ss.ResetsAt, c)
	}
	t := ss.ResetsAt.In(z)
	f := "15:04:05"
	if !resume.SameDay(t, c.now.In(z)) {
		f = "Mon Jan 2 15:04:05"
	}
	return t.Format(f) + " " + z.String() + ", " + stamp(ss.ResetsAt, c) + " here"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// until is the wait to t for the details view: "in 4m05s", "in 3h10m".
func until(now, t time.Time) string {
	if !t.After(now) {
		return "due"
	}
	return "in " + shortWait(t.Sub(now))
}
