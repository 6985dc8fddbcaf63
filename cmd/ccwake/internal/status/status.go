package status

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/ccwake/ccwake/internal/termsafe"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// Run is `ccwake status`: the running service's answer from its
// memory when one holds the lock of the roots (its phases, dismissals and
// pauses); else one cold scan. Print, exit. --all lists every transcript,
// which only a scan knows: it always scans.
func Run(ctx context.Context, opts Options) error {
	o := &opts
	stderr := o.Stderr
	switch {
	case o.Follow && len(o.Hosts) > 0:
		return usagef("--follow is this machine's stream; the dashboard (ccwake --host) follows hosts")
	case o.JSON && o.Line:
		return usagef("--json and --line are two formats: choose one (--line is one short line for a status bar)")
	case o.Follow:
		return followAttached(ctx, o)
	case len(o.Hosts) > 0:
		return runStatusHosts(ctx, o)
	}
	if !o.All {
		if rows, ok := statusFromService(ctx, o); ok {
			return writeStatus(o, rows, o.Now())
		}
	}
	if o.RootsErr != nil {
		return o.RootsErr
	}
	roots := o.Roots
	sessions, warnings, err := watch.Scan(ctx, watch.Config{Roots: roots, Since: o.Since, Loc: o.Loc, Now: o.Now})
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "ccwake: warning: %s\n", termsafe.String(fmt.Sprint(w)))
	}
	rows := make([]statusRow, 0, len(sessions))
	for _, s := range sessions {
		if o.All || s.State == watch.Stalled {
			rows = append(rows, statusRow{Session: s})
		}
	}
	sortRows(rows)
	now := o.Now()
	annotate(ctx, rows, o, now, !o.Line)
	slices.SortStableFunc(rows, func(a, b statusRow) int { return resume.CompareStatus(a.status(), b.status()) })
	return writeStatus(o, rows, now)
}

// writeStatus prints rows as --json, --line or the table asks, and returns
// the exit status they make.
func writeStatus(o *Options, rows []statusRow, now time.Time) error {
	var err error
	stdout := o.Stdout
	switch {
	case o.JSON:
		err = writeJSON(stdout, rows, o.Settings())
	case o.Line:
		err = writeLine(stdout, termsafeRows(rows), now, o.Loc)
	default:
		width, wide := statusWidth(o)
		err = writeTable(stdout, termsafeRows(rows), tableCtx{now: now, loc: o.Loc}, width, wide)
	}
	if err != nil {
		return err
	}
	return statusExit(rows)
}

// statusWidth is the width the table must fit, or wide for every column:
// --wide; else a terminal on stdout gives its width; else $COLUMNS; else
// (a pipe or a file, read by a script or a pager) wide.
func statusWidth(o *Options) (int, bool) {
	if o.Wide {
		return 0, true
	}
	if f, ok := o.Stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w, false
		}
	}
	if n, err := strconv.Atoi(o.Getenv("COLUMNS")); err == nil && n > 0 {
		return n, false
	}
	return 0, true
}

// statusRow is one session plus what the resumer would do about it.
type statusRow struct {
	watch.Session
	Phase    resume.Phase // what the resumer would do: waiting, fatal, gave up; "" when working
	ResumeAt time.Time    // zero: nothing scheduled (working, fatal, gave up)
	Pane     string       // "" when unknown
	PaneErr  string       // why there is no pane
	// Reopen is the command reopening it would run ("" when there is no
	// claude to run or it is not stalled); HeldBy the live processes that
	// may hold it (reopening waits until there are none).
	Reopen string
	HeldBy []int
	// ReopenErr says why it cannot be reopened (its cwd is gone, its id is
	// not one Claude Code writes): a human has to act.
	ReopenErr string
	Host      string // the machine (status --host); "" for this one
}

// termsafeRows is rows made safe for a terminal: transcript text (error
// messages, cwds, ids) and the pane reasons that quote it lose their
// control characters. JSON escapes them itself.
func termsafeRows(rows []statusRow) []statusRow {
	out := make([]statusRow, len(rows))
	for i, r := range rows {
		r.Session = termsafe.Session(r.Session)
		r.Pane, r.PaneErr = termsafe.String(r.Pane), termsafe.String(r.PaneErr)
		out[i] = r
	}
	return out
}

// sortRows puts stalled sessions first, then the most recent.
func sortRows(rows []statusRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if (a.State == watch.Stalled) != (b.State == watch.Stalled) {
			return a.State == watch.Stalled
		}
		return a.LastAt.After(b.LastAt)
	})
}

// jsonSession is the documented shape of `status --json`: the fields the
// wire shares (remote.StatusFields), plus how reopening would go.
type jsonSession struct {
	remote.StatusFields
	// Reopen: what reopening this stalled session would run and which
	// processes hold it now (null when not stalled or no claude to run).
	Reopen *jsonSessionReopen `json:"reopen"`
}

type jsonSessionReopen struct {
	Command string `json:"command"`
	HeldBy  []int  `json:"held_by"`           // pids; empty: no live process holds it
	Refused string `json:"refused,omitempty"` // why it cannot be reopened (command is "")
}

func writeJSON(w io.Writer, rows []statusRow, settings any) error {
	out := struct {
		Sessions []jsonSession `json:"sessions"`
		Settings any           `json:"settings"`
	}{Sessions: make([]jsonSession, 0, len(rows)), Settings: settings}
	for _, r := range rows {
		var ro *jsonSessionReopen
		if r.Reopen != "" || r.ReopenErr != "" {
			ro = &jsonSessionReopen{Command: r.Reopen, HeldBy: append([]int{}, r.HeldBy...), Refused: r.ReopenErr}
		}
		out.Sessions = append(out.Sessions, jsonSession{
			StatusFields: remote.NewStatusFields(r.Session, r.ResumeAt, r.Pane, r.PaneErr),
			Reopen:       ro,
		})
	}
	return writeIndentedJSON(w, out)
}

// writeIndentedJSON writes v as indented JSON and a newline, with the C1
// and bidi controls encoding/json leaves raw escaped (termsafe.JSON): the
// output is often read on a terminal.
func writeIndentedJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	_, err = w.Write(append(termsafe.JSON(b), '\n'))
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func tries(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

func ago(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm ago", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
