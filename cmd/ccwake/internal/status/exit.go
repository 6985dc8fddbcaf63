package status

import (
	"fmt"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// Exit statuses of `ccwake status` for scripts (0, 1 and 2 keep their
// meaning for every command: fine, failed, usage mistake).
const (
	ExitStalled    = 3 // something is stalled, and ccwake would resume all of it
	ExitNeedsHuman = 4 // something is stalled that waiting cannot cure (fatal, gave up)
)

// ExitHelp ends `ccwake status --help`.
const ExitHelp = `
Layout:
  On a terminal the table fits its width (session, project, kind, resume
  time, pane, then as much of the message as fits); --wide, or output to a
  pipe or file without $COLUMNS, prints every column.

Exit status:
  0  nothing is stalled
  1  an error (unreadable root, ...)
  2  a usage mistake
  3  sessions are stalled, and ccwake would resume every one of them
  4  a stalled session needs a human (fatal error, gave up)

Examples:
  ccwake status --line      "⚠ 1 needs you · ⏸ 3 stalled · next 14:05" for tmux:
                            set -g status-right '#(ccwake status --line)'
  ccwake status || notify-send "claude stalled"
`

// ExitStatus is an error that only carries an exit status: nothing is
// printed for it.
type ExitStatus int

func (e ExitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// statusExit is the exit status for the rows: 4 when any needs a human
// (resume's table says which phases do), else 3 when any is stalled, else 0.
func statusExit(rows []statusRow) error {
	code := 0
	for _, r := range rows {
		switch {
		case r.State != watch.Stalled:
		case r.status().Phase.Info().Attention:
			return ExitStatus(ExitNeedsHuman)
		default:
			code = ExitStalled
		}
	}
	if code == 0 {
		return nil
	}
	return ExitStatus(code)
}

// status is the row as the resumer's status, for its label and rank.
func (r statusRow) status() resume.Status {
	return resume.Status{Session: r.Session, Phase: r.Phase, ResumeAt: r.ResumeAt, Pane: r.Pane, PaneErr: r.PaneErr}
}
