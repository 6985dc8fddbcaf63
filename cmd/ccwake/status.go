package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ccwake/ccwake/watch"
)

// runStatus is `ccwake status` with args parsed as on the command line.
func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := &cli{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	return c.exec(ctx, findCommand("status"), args)
}

// runStatusCmd is `ccwake status`: one cold scan, print, exit.
func runStatusCmd(ctx context.Context, c *cli, o *options, _ []string) error {
	stdout, stderr := c.stdout, c.stderr
	roots, err := resolveRoots(o.roots, c.getenv)
	if err != nil {
		return err
	}
	sessions, warnings, err := watch.Scan(ctx, watch.Config{Roots: roots, Since: o.since, Loc: time.Local, Now: time.Now})
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "ccwake: warning: %v\n", w)
	}
	rows := make([]statusRow, 0, len(sessions))
	for _, s := range sessions {
		if o.all || s.State == watch.Stalled {
			rows = append(rows, statusRow{Session: s})
		}
	}
	sortRows(rows)
	now := time.Now()
	annotate(ctx, rows, o, now)
	if o.json {
		return writeJSON(stdout, rows)
	}
	return writeTable(stdout, rows, now)
}

// statusRow is one session plus what the resumer would do about it.
type statusRow struct {
	watch.Session
	ResumeAt time.Time // zero: nothing scheduled (working, fatal, gave up)
	Pane     string    // "" when unknown
	PaneErr  string    // why there is no pane
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

// jsonSession is the documented shape of `status --json`. Absent values are
// null, never "" or 0001-01-01, so scripts can test for them.
type jsonSession struct {
	SessionID  string  `json:"session_id"`
	Cwd        string  `json:"cwd"`
	Transcript string  `json:"transcript"`
	State      string  `json:"state"`
	Kind       *string `json:"kind"`
	Limit      *string `json:"limit"`
	Message    *string `json:"message"`
	Attempts   int     `json:"attempts"`
	StalledAt  *string `json:"stalled_at"`
	ResetsAt   *string `json:"resets_at"`
	ResumeAt   *string `json:"resume_at"`
	Pane       *string `json:"pane"`
	PaneError  *string `json:"pane_error"`
}

func writeJSON(w io.Writer, rows []statusRow) error {
	out := struct {
		Sessions []jsonSession `json:"sessions"`
	}{Sessions: make([]jsonSession, 0, len(rows))}
	for _, r := range rows {
		out.Sessions = append(out.Sessions, jsonSession{
			SessionID:  r.ID,
			Cwd:        r.Cwd,
			Transcript: r.Transcript,
			State:      string(r.State),
			Kind:       str(string(r.Kind)),
			Limit:      str(string(r.Limit)),
			Message:    str(r.Message),
			Attempts:   r.Attempts,
			StalledAt:  rfc3339(r.StalledAt),
			ResetsAt:   rfc3339(r.ResetsAt),
			ResumeAt:   rfc3339(r.ResumeAt),
			Pane:       str(r.Pane),
			PaneError:  str(r.PaneErr),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// writeTable prints an aligned table, one session a line.
func writeTable(w io.Writer, rows []statusRow, now time.Time) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "no stalled sessions")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tKIND\tTRIES\tSTALLED\tRESETS\tRESUME\tPANE\tSESSION\tCWD\tMESSAGE")
	for _, r := range rows {
		kind := string(r.Kind)
		if r.Limit != "" {
			kind += "/" + string(r.Limit)
		}
		pane := r.Pane
		if pane == "" && r.PaneErr != "" {
			pane = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			r.State, dash(kind), tries(r.Attempts), ago(r.StalledAt, now), clock(r.ResetsAt, now),
			clock(r.ResumeAt, now), dash(pane), short(r.ID, 8), r.Cwd, short(firstLine(r.Message), 60))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Say why there is no pane, once per distinct reason.
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
		if _, err := fmt.Fprintf(w, "no pane (%d): %s\n", count[why], why); err != nil {
			return err
		}
	}
	return nil
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

// clock shows a time of day, with the weekday when it is not today.
func clock(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	t = t.Local()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04:05")
	}
	return t.Format("Mon 15:04")
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
