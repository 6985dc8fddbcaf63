package main

import (
	"strings"
	"testing"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
)

// Issue 18 item 11: `status --json --line` is refused (two formats), and
// an unreachable host does not hide a local session that needs a human
// from the exit status: 4 stays 4; with nothing that needs a human the
// failure is 1.
func TestCLIStatusFormatsAndHostExit(t *testing.T) {
	t.Parallel()
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
		{"needs a human, dead host", append([]string{"status", "--claude-dir", fatal, "--tmux-socket", e.sock}, dead...), status.ExitNeedsHuman, "dead"},
		{"needs a human, dead host, json", append([]string{"status", "--json", "--claude-dir", fatal, "--tmux-socket", e.sock}, dead...), status.ExitNeedsHuman, ""},
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
