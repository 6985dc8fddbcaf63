package ui

import (
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume"
)

// logView renders the newest actions that fit in height lines, a title rule
// first, newest at the bottom like a log tail.
func logView(actions []resume.Action, s Styles, now time.Time, loc *time.Location, width, height int) []string {
	if height <= 0 {
		return nil
	}
	title := "─ events "
	lines := []string{s.Rule.Render(title + strings.Repeat("─", max(0, width-len([]rune(title)))))}
	n := min(len(actions), height-1)
	if n == 0 && height > 1 {
		lines = append(lines, "  "+s.Faint.Render("nothing yet"))
	}
	for _, a := range actions[len(actions)-n:] {
		lines = append(lines, logLine(a, s, now, loc, width))
	}
	return lines
}

// whatWidth fits the longest action names ("skipped:dialog", "retry_refused").
const whatWidth = 14

// logLine is "15:04:05 3f2a9c1e what  reason [pane]" cut to width.
func logLine(a resume.Action, s Styles, now time.Time, loc *time.Location, width int) string {
	rest := a.Reason
	if a.Pane != "" {
		rest += " [" + a.Pane + "]"
	}
	head := logStamp(now, a.Time, loc) + " " + pad(shortID(a.SessionID), idWidth) + " "
	what := pad(a.What, whatWidth) + " "
	room := width - len(head) - len([]rune(what))
	if room <= 0 {
		return s.LogTime.Render(cut(head+what, width))
	}
	return s.LogTime.Render(head) + s.LogWhat.Render(what) + cut(oneLine(rest), room)
}
