package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
	"github.com/charmbracelet/x/ansi"
)

// Issue 10 item 10: the table fits the width it is given ($COLUMNS when
// stdout is not a terminal), in the dashboard's words; --wide has every
// column; a pipe without $COLUMNS gets every column too.
func TestCLIStatusFitsTheWidth(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	var files []string
	for _, v := range []string{"v2.1.145", "v2.1.330"} {
		for _, k := range []string{"key-429", "key-500", "key-529", "oauth-5h", "oauth-7d", "oauth-throttle"} {
			if _, err := os.Stat(filepath.Join("..", "..", "testdata", "transcripts", v+"-"+k+".jsonl")); err == nil {
				files = append(files, v+"-"+k+".jsonl")
			}
		}
	}
	root := claudeRoot(t, files...)
	for _, width := range []int{80, 100, 60} {
		r := e.run([]string{"COLUMNS=" + itoa(width)}, "status", "--claude-dir", root, "--tmux-socket", e.sock)
		if r.code != status.ExitStalled {
			t.Fatalf("exit %d, want %d\n%s", r.code, status.ExitStalled, r.stderr)
		}
		lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
		if len(lines) < len(files) {
			t.Fatalf("%d lines for %d stalled sessions:\n%s", len(lines), len(files), r.stdout)
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line of %d cells: %q", width, w, l)
			}
		}
		head := strings.Fields(lines[0])
		if width >= 80 && strings.Join(head[:6], " ") != "STATE SESSION PROJECT KIND RESUME PANE" {
			t.Errorf("width %d: header %q", width, lines[0])
		}
		for _, l := range lines[1 : len(files)+1] {
			// The dashboard's words: a phase label, an 8-character id, a short kind.
			if !regexp.MustCompile(`^(WAITING|FATAL|GAVE UP) +[0-9a-f]{8} +dev/work +(throttle|rate limit|overloaded|server err|usage 5h|usage 7d) `).MatchString(l) {
				t.Errorf("width %d: row %q not in the dashboard's words", width, l)
			}
		}
	}
	for _, args := range [][]string{{"--wide"}, {}} {
		env := []string{"COLUMNS=80"}
		if len(args) == 0 {
			env = nil // a pipe, no $COLUMNS: every column
		}
		r := e.run(env, append([]string{"status", "--claude-dir", root, "--tmux-socket", e.sock}, args...)...)
		head := strings.Fields(strings.SplitN(r.stdout, "\n", 2)[0])
		if strings.Join(head, " ") != "STATE KIND TRIES STALLED RESETS RESUME PANE SESSION CWD MESSAGE" {
			t.Errorf("%v: header %q, want every column", args, head)
		}
		if !strings.Contains(r.stdout, "/home/dev/work") {
			t.Errorf("%v: the full working directory is missing:\n%s", args, r.stdout)
		}
	}
}

// Issue 10 item 11: times are local (TZ), a reset on another day carries
// its date, and a resume time that has come reads "due".
func TestCLIStatusTimes(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.145-oauth-5h.jsonl", "v2.1.145-key-429.jsonl")
	zone := "Asia/Kolkata"
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	r := e.run([]string{"TZ=" + zone}, "status", "--json", "--claude-dir", root, "--tmux-socket", e.sock)
	var doc struct {
		Sessions []struct {
			ID       string  `json:"session_id"`
			Kind     string  `json:"kind"`
			ResetsAt *string `json:"resets_at"`
			ResumeAt *string `json:"resume_at"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Sessions) != 2 {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	r = e.run([]string{"TZ=" + zone}, "status", "--wide", "--claude-dir", root, "--tmux-socket", e.sock)
	for _, s := range doc.Sessions {
		row := ""
		for _, l := range strings.Split(r.stdout, "\n") {
			if strings.Contains(l, s.ID[:8]) {
				row = l
			}
		}
		if s.ResetsAt != nil {
			reset, err := time.Parse(time.RFC3339, *s.ResetsAt)
			if err != nil {
				t.Fatal(err)
			}
			// The fixture's reset is days ago: dated, in the zone, never a bare weekday.
			if want := reset.In(loc).Format("Jan 2 15:04:05"); !strings.Contains(row, want) {
				t.Errorf("row %q lacks the local, dated reset %q", row, want)
			}
		}
		if s.ResumeAt != nil {
			at, _ := time.Parse(time.RFC3339, *s.ResumeAt)
			if !at.After(time.Now()) && !regexp.MustCompile(`\bdue\b`).MatchString(row) {
				t.Errorf("row %q: resume time %v has come, want due", row, at)
			}
		}
	}
}

// Issue 10 item 12: exit status 0 when nothing is stalled, 3 when ccwake
// would resume everything, 4 when something needs a human; --line for a
// status bar, empty when nothing is stalled.
func TestCLIStatusExitAndLine(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	for _, tc := range []struct {
		name  string
		files []string
		code  int
		line  string // regexp
	}{
		{"working", []string{"v2.1.330-key-ok.jsonl"}, 0, `^$`},
		{"stalled", []string{"v2.1.145-key-429.jsonl", "v2.1.330-key-ok.jsonl"}, status.ExitStalled, `^⏸ 1 stalled · (due now|next (\w+ \d+ )?\d\d:\d\d)$`},
		{"needs a human", []string{"v2.1.145-key-429.jsonl", "extra/x-credit-balance.jsonl"}, status.ExitNeedsHuman, `^⚠ 1 needs you · ⏸ 2 stalled · (due now|next .+)$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := claudeRoot(t, tc.files...)
			for _, args := range [][]string{{}, {"--json"}, {"--line"}} {
				r := e.run(nil, append([]string{"status", "--claude-dir", root, "--tmux-socket", e.sock}, args...)...)
				if r.code != tc.code {
					t.Errorf("%v: exit %d, want %d (stderr %q)", args, r.code, tc.code, r.stderr)
				}
				if r.stderr != "" {
					t.Errorf("%v: stderr %q, want nothing", args, r.stderr)
				}
				if len(args) == 1 && args[0] == "--line" && !regexp.MustCompile(tc.line).MatchString(strings.TrimSuffix(r.stdout, "\n")) {
					t.Errorf("--line = %q, want %s", r.stdout, tc.line)
				}
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
