package status

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ccwake/ccwake/ui"
	"github.com/ccwake/ccwake/watch"
)

// writeLine prints `status --line`: one short line for a tmux status bar,
// "⚠ 1 needs you · ⏸ 3 stalled · next 14:05", or an empty line when nothing
// is stalled so the bar shows nothing.
func writeLine(w io.Writer, rows []statusRow, now time.Time, loc *time.Location) error {
	stalled, human := 0, 0
	var next time.Time
	for _, r := range rows {
		if r.State != watch.Stalled {
			continue
		}
		stalled++
		if r.status().Phase.Info().Attention {
			human++
		}
		if !r.ResumeAt.IsZero() && (next.IsZero() || r.ResumeAt.Before(next)) {
			next = r.ResumeAt
		}
	}
	var parts []string
	if human > 0 {
		parts = append(parts, fmt.Sprintf("⚠ %d needs you", human))
	}
	if stalled > 0 {
		parts = append(parts, fmt.Sprintf("⏸ %d stalled", stalled))
	}
	switch {
	case next.IsZero():
	case !next.After(now):
		parts = append(parts, "due now")
	default:
		parts = append(parts, "next "+shortClock(next, now, loc))
	}
	_, err := fmt.Fprintln(w, strings.Join(parts, " · "))
	return err
}

// shortClock is a resume time for narrow places: "due" when it has passed,
// "14:05" today, "Jan 2 14:05" on another day.
func shortClock(t, now time.Time, loc *time.Location) string {
	if !t.After(now) {
		return "due"
	}
	return ui.Clock(now, t, loc)
}
