package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
)

// logView renders the newest actions that fit in height lines, a title rule
// first, newest at the bottom like a log tail. A "/" filter (filtered)
// narrows it as it narrows the table, and the title says so.
func logView(actions []resume.Action, filtered bool, s Styles, who eventWho, now time.Time, loc *time.Location, width, height int) []string {
	if height <= 0 {
		return nil
	}
	title := "─ events "
	if filtered {
		title = "─ events matching the filter "
	}
	lines := []string{s.Rule.Render(title + strings.Repeat("─", max(0, width-len([]rune(title)))))}
	n := min(len(actions), height-1)
	if n == 0 && height > 1 {
		empty := "nothing yet"
		if filtered {
			empty = "no event matches"
		}
		lines = append(lines, "  "+s.Faint.Render(empty))
	}
	shown := actions[len(actions)-n:]
	who.what = labelWidth(shown)
	for _, a := range shown {
		lines = append(lines, who.line(a, s, now, loc, width))
	}
	return lines
}

// labelWidth is the widest label of actions, so the reasons start as far
// left as the labels on screen allow (at most maxWhatWidth).
func labelWidth(actions []resume.Action) int {
	w := 0
	for _, a := range actions {
		w = max(w, ansi.StringWidth(EventLabel(a.What)))
	}
	return min(w, maxWhatWidth)
}

// eventWho names the session of each event the way the table's rows can
// be told apart: by session id when the table shows that column, else by
// project (the session column is the first to go on a narrow terminal).
type eventWho struct {
	projects map[string]string // session id → project; nil: show ids
	width    int               // the table's project column
	what     int               // the label column; 0: maxWhatWidth
}

// line is one event line with the session named as the table names it.
func (w eventWho) line(a resume.Action, s Styles, now time.Time, loc *time.Location, width int) string {
	if w.projects == nil {
		return logLineAs(a, shortID(a.SessionID), idWidth, w.what, s, now, loc, width)
	}
	p, ok := w.projects[a.SessionID]
	switch {
	case a.SessionID == "":
		p = "ccwake" // the engine's own events (auto-resume on/off)
	case !ok:
		p = shortID(a.SessionID)
	}
	return logLineAs(a, fitCell(colProject, p, w.width), w.width, w.what, s, now, loc, width)
}

// maxWhatWidth fits the longest action labels ("reopen refused").
const maxWhatWidth = 14

// logLine is "15:04:05 3f2a9c1e label  reason [pane]" cut to width.
func logLine(a resume.Action, s Styles, now time.Time, loc *time.Location, width int) string {
	return logLineAs(a, shortID(a.SessionID), idWidth, 0, s, now, loc, width)
}

// logLineAs is logLine with the session shown as who, padded to whoWidth,
// and the label padded to whatWidth (0: maxWhatWidth). The label and
// reason are people's words (EventLabel, EventReason), never the engine's
// action names.
func logLineAs(a resume.Action, who string, whoWidth, whatWidth int, s Styles, now time.Time, loc *time.Location, width int) string {
	if whatWidth <= 0 {
		whatWidth = maxWhatWidth
	}
	rest := EventReason(a.What, a.Reason)
	head := logStamp(now, a.Time, loc) + " " + pad(who, whoWidth) + " "
	what := pad(cut(EventLabel(a.What), whatWidth), whatWidth) + " "
	room := width - ansi.StringWidth(head) - ansi.StringWidth(what)
	if room <= 0 {
		return s.LogTime.Render(cut(head+what, width))
	}
	if a.Pane != "" { // the reason is cut before the pane is ("tmux:%3", "screen:…/0")
		pane := " [" + a.Pane + "]"
		if w := ansi.StringWidth(pane); room-w >= 10 {
			return s.LogTime.Render(head) + s.LogWhat.Render(what) + cut(rest, room-w) + pane
		}
		rest += pane
	}
	return s.LogTime.Render(head) + s.LogWhat.Render(what) + cut(rest, room)
}
