package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Issue 18 item 11: `status --json --line` is refused (two formats), and
// an unreachable host does not hide a local session that needs a human
// from the exit status: 4 stays 4; with nothing that needs a human the
// failure is 1.
func TestCLIStatusFormatsAndHostExit(t *testing.T) {
	e := newCLIEnv(t)
	fatal := claudeRoot(t, "v2.1.145-key-429.jsonl", "extra/x-credit-balance.jsonl")
	stalled := claudeRoot(t, "v2.1.145-key-429.jsonl")
	dead := []string{"--host", "dead", "--ssh-command", "false"}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"json and line", []string{"status", "--json", "--line", "--claude-dir", stalled}, 2, "--json and --line"},
		{"json, line and follow", []string{"status", "--json", "--line", "--follow", "--claude-dir", stalled}, 2, "--json and --line"},
		{"needs a human, dead host", append([]string{"status", "--claude-dir", fatal, "--tmux-socket", e.sock}, dead...), exitNeedsHuman, "dead"},
		{"needs a human, dead host, json", append([]string{"status", "--json", "--claude-dir", fatal, "--tmux-socket", e.sock}, dead...), exitNeedsHuman, ""},
		{"stalled, dead host", append([]string{"status", "--claude-dir", stalled, "--tmux-socket", e.sock}, dead...), 1, "dead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.run(nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
				t.Fatalf("exit %d, want %d; stderr %q, want %q\nstdout:\n%s", r.code, tc.code, r.stderr, tc.stderr, r.stdout)
			}
		})
	}
}

// `status --host` prints the columns `status` prints, in the same layout
// for the same width, with HOST first.
func TestHostTableHasStatusColumns(t *testing.T) {
	now := time.Now()
	st := resume.Status{
		Session:  watch.Session{ID: "0123456789abcdef", State: watch.Stalled, Kind: classify.UsageLimit, Cwd: "/w/proj", Message: "You've hit your limit", Attempts: 1, StalledAt: now.Add(-time.Minute)},
		Phase:    resume.Waiting,
		ResumeAt: now.Add(time.Hour),
		Pane:     "tmux:%1",
	}
	for _, cols := range []string{"", "100"} {
		getenv := func(k string) string {
			if k == "COLUMNS" {
				return cols
			}
			return ""
		}
		var local, hosts bytes.Buffer
		c := &cli{stdout: &local, stderr: io.Discard, getenv: getenv}
		if err := writeStatus(c, &options{}, []statusRow{{Session: st.Session, Phase: st.Phase, ResumeAt: st.ResumeAt, Pane: st.Pane}}, now); err != nil {
			if _, ok := err.(exitStatus); !ok {
				t.Fatal(err)
			}
		}
		c.stdout = &hosts
		if err := writeHostTable(c, []hostStatus{{Host: "box", Sessions: []remote.Session{remote.FromStatus(st, 0)}}}, false); err != nil {
			t.Fatal(err)
		}
		lh := strings.Fields(strings.SplitN(local.String(), "\n", 2)[0])
		hh := strings.Fields(strings.SplitN(hosts.String(), "\n", 2)[0])
		if len(hh) == 0 || hh[0] != "HOST" || strings.Join(hh[1:], " ") != strings.Join(lh, " ") {
			t.Errorf("COLUMNS=%q: hosts header %q, want HOST then status's %q\n%s\n%s", cols, hh, lh, local.String(), hosts.String())
		}
		if !strings.Contains(hosts.String(), "box") || !strings.Contains(hosts.String(), "tmux:") {
			t.Errorf("hosts table:\n%s", hosts.String())
		}
	}
}
