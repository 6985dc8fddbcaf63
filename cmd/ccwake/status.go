package main

import (
	"context"
	"encoding/json"
	"errors"
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

// runStatus is `ccwake status` with args parsed as on the command line, for
// tests that read its output: the exit status for scripts (3, 4) is not an
// error here; the CLI tests check it on the binary.
func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := &cli{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	err := c.exec(ctx, findCommand("status"), args)
	if _, ok := errors.AsType[exitStatus](err); ok {
		return nil
	}
	return err
}

// runStatusCmd is `ccwake status`: the running service's answer from its
// memory when one holds the lock of the roots (its phases, dismissals and
// pauses); else one cold scan. Print, exit. --all lists every transcript,
// which only a scan knows: it always scans.
func runStatusCmd(ctx context.Context, c *cli, o *options, _ []string) error {
	stderr := c.stderr
	switch {
	case o.follow && len(o.hosts) > 0:
		return usagef("status", "--follow is this machine's stream; the dashboard (ccwake --host) follows hosts")
	case o.json && o.line:
		return usagef("status", "--json and --line are two formats: choose one (--line is one short line for a status bar)")
	case o.follow:
		return followAttached(ctx, c, o)
	case len(o.hosts) > 0:
		return runStatusHosts(ctx, c, o)
	}
	if !o.all {
		if rows, ok := statusFromService(ctx, c, o); ok {
			return writeStatus(c, o, rows, time.Now())
		}
	}
	roots, err := resolveRoots(o.roots, c.getenv)
	if err != nil {
		return err
	}
	sessions, warnings, err := watch.Scan(ctx, watch.Config{Roots: roots, Since: o.since, Loc: time.Local, Now: time.Now})
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "ccwake: warning: %s\n", termsafe.String(fmt.Sprint(w)))
	}
	rows := make([]statusRow, 0, len(sessions))
	for _, s := range sessions {
		if o.all || s.State == watch.Stalled {
			rows = append(rows, statusRow{Session: s})
		}
	}
	sortRows(rows)
	now := time.Now()
	annotate(ctx, rows, o, now, !o.line)
	slices.SortStableFunc(rows, func(a, b statusRow) int { return resume.CompareStatus(a.status(), b.status()) })
	return writeStatus(c, o, rows, now)
}

// writeStatus prints rows as --json, --line or the table asks, and returns
// the exit status they make.
func writeStatus(c *cli, o *options, rows []statusRow, now time.Time) error {
	var err error
	stdout := c.stdout
	switch {
	case o.json:
		err = writeJSON(stdout, rows, o.jsonSettings(c))
	case o.line:
		err = writeLine(stdout, termsafeRows(rows), now, time.Local)
	default:
		width, wide := statusWidth(c, o)
		err = writeTable(stdout, termsafeRows(rows), tableCtx{now: now, loc: time.Local}, width, wide)
	}
	if err != nil {
		return err
	}
	return statusExit(rows)
}

// statusWidth is the width the table must fit, or wide for every column:
// --wide; else a terminal on stdout gives its width; else $COLUMNS; else
// (a pipe or a file, read by a script or a pager) wide.
func statusWidth(c *cli, o *options) (int, bool) {
	if o.wide {
		return 0, true
	}
	if f, ok := c.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w, false
		}
	}
	if n, err := strconv.Atoi(c.getenv("COLUMNS")); err == nil && n > 0 {
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

func writeJSON(w io.Writer, rows []statusRow, settings jsonSettings) error {
	out := struct {
		Sessions []jsonSession `json:"sessions"`
		Settings jsonSettings  `json:"settings"`
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
