package status

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/ui"
)

// statusCol is one column of the `ccwake status` table.
type statusCol struct {
	title string
	max   int // widest it gets; 0: as wide as its widest cell
	cell  func(r statusRow) string
}

// tableCtx is what formatting cells needs besides the row.
type tableCtx struct {
	now time.Time
	loc *time.Location
}

// statusCols are the columns of one layout. The narrow layout (the default
// on a terminal) uses the dashboard's columns and words: state, session,
// project, kind, resume time, pane and as much of the message as fits. The
// wide one (--wide, and output that is not a terminal) adds tries, stall
// age, reset time and the full working directory, and cuts nothing but the
// message.
func statusCols(c tableCtx, wide bool) []statusCol {
	state := statusCol{"STATE", 0, func(r statusRow) string { return r.status().Label() }}
	session := statusCol{"SESSION", 0, func(r statusRow) string { return ui.ShortID(r.ID) }}
	kind := statusCol{"KIND", 0, func(r statusRow) string {
		if r.Kind == "" && r.Limit == "" {
			return "-"
		}
		return ui.KindLabel(r.Kind, r.Limit)
	}}
	pane := statusCol{"PANE", 6, func(r statusRow) string { return dash(r.Pane) }}
	message := statusCol{"MESSAGE", 0, func(r statusRow) string { return dash(oneLine(firstLine(r.Message))) }}
	if !wide {
		return []statusCol{
			state, session,
			{"PROJECT", 16, func(r statusRow) string { return ui.Project(r.Cwd) }},
			kind,
			{"RESUME", 12, func(r statusRow) string { return resumeCell(r, c, false) }},
			pane, message,
		}
	}
	pane.max = 0
	message.max = 60
	return []statusCol{
		state, kind,
		{"TRIES", 0, func(r statusRow) string { return tries(r.Attempts) }},
		{"STALLED", 0, func(r statusRow) string { return ago(r.StalledAt, c.now) }},
		{"RESETS", 0, func(r statusRow) string { return dated(r.ResetsAt, c) }},
		{"RESUME", 0, func(r statusRow) string { return resumeCell(r, c, true) }},
		pane, session,
		{"CWD", 0, func(r statusRow) string { return dash(r.Cwd) }},
		message,
	}
}

// resumeCell is when ccwake would resume a row: "due" once the time has
// come, else the local time (with seconds in the wide layout), dated when
// not today; "-" when nothing is scheduled.
func resumeCell(r statusRow, c tableCtx, seconds bool) string {
	switch {
	case r.ResumeAt.IsZero():
		return "-"
	case !r.ResumeAt.After(c.now):
		return "due"
	case seconds:
		return resume.HumanTime(r.ResumeAt, c.now, c.loc)
	}
	return shortClock(r.ResumeAt, c.now, c.loc)
}

// dated is a local time with seconds, dated when not today; "-" when unset.
func dated(t time.Time, c tableCtx) string {
	if t.IsZero() {
		return "-"
	}
	return resume.HumanTime(t, c.now, c.loc)
}

// colGap separates columns.
const colGap = 2

// writeTable prints the rows in width columns (wide: every column, nothing
// cut but long messages), then why rows have no pane, once per reason.
func writeTable(w io.Writer, rows []statusRow, c tableCtx, width int, wide bool) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "no stalled sessions")
		return err
	}
	return writeCols(w, rows, statusCols(c, wide), width, wide)
}

// writeCols prints rows in cols (writeTable's layout, shared by the hosts
// table, which puts HOST first).
func writeCols(w io.Writer, rows []statusRow, cols []statusCol, width int, wide bool) error {
	cells := make([][]string, len(rows))
	widths := make([]int, len(cols))
	for i, col := range cols {
		widths[i] = ansi.StringWidth(col.title)
	}
	for j, r := range rows {
		cells[j] = make([]string, len(cols))
		for i, col := range cols {
			s := col.cell(r)
			if col.max > 0 {
				s = ansi.Truncate(s, col.max, "…")
			}
			cells[j][i] = s
			widths[i] = max(widths[i], ansi.StringWidth(s))
		}
	}
	if !wide {
		fitLast(widths, width)
	}
	line := func(texts []string) string {
		var b strings.Builder
		for i, s := range texts {
			if widths[i] == 0 {
				continue
			}
			if i > 0 {
				b.WriteString(strings.Repeat(" ", colGap))
			}
			s = ansi.Truncate(s, widths[i], "…")
			b.WriteString(s)
			if i < len(texts)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(s)))
			}
		}
		out := strings.TrimRight(b.String(), " ")
		if !wide && width > 0 {
			out = ansi.Truncate(out, width, "…")
		}
		return out
	}
	titles := make([]string, len(cols))
	for i, col := range cols {
		titles[i] = col.title
	}
	if _, err := fmt.Fprintln(w, line(titles)); err != nil {
		return err
	}
	for _, texts := range cells {
		if _, err := fmt.Fprintln(w, line(texts)); err != nil {
			return err
		}
	}
	return writePaneReasons(w, rows, width, wide)
}

// minMessage is the narrowest message column worth showing.
const minMessage = 12

// fitLast gives the last column (the message) what is left of width, and
// drops it when that is too little to read.
func fitLast(widths []int, width int) {
	n := len(widths) - 1
	used := 0
	for i := range n {
		used += widths[i] + colGap
	}
	switch room := width - used; {
	case room >= minMessage:
		widths[n] = min(widths[n], room)
	default:
		widths[n] = 0
	}
}

// writePaneReasons says why rows have no pane, once per distinct reason.
func writePaneReasons(w io.Writer, rows []statusRow, width int, wide bool) error {
	var reasons []string
	count := map[string]int{}
	for _, r := range rows {
		if r.PaneErr == "" {
			continue
		}
		if count[r.PaneErr] == 0 {
			reasons = append(reasons, r.PaneErr)
		}
		count[r.PaneErr]++
	}
	for _, why := range reasons {
		s := fmt.Sprintf("no pane (%d): %s", count[why], oneLine(why))
		if !wide && width > 0 {
			s = ansi.Truncate(s, width, "…")
		}
		if _, err := fmt.Fprintln(w, s); err != nil {
			return err
		}
	}
	return nil
}

// oneLine folds newlines and runs of spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
