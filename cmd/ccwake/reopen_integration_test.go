package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestDashboardReopenKey runs the real ccwake dashboard beside a session
// whose pane was killed at its stall (the terminal closed): the header says
// R reopens with which claude, R starts `claude --resume <id>` (the fake)
// in a new window, and ccwake types exactly one continue there, confirmed.
// The throttle backoff is 10 minutes, so only the key acts within the test.
func TestDashboardReopenKey(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 160, 40)
	s := e.startClaude(filepath.Join(e.home, "src", "gone"), "429,ok", "say hi")
	dump := e.dump([]string{s.Pane}, s)
	e.waitScreen(s.Pane, "the fake Claude to stall on a throttle", func(text string) bool {
		return strings.Contains(text, "Server is temporarily limiting requests") && strings.Contains(text, "❯\u00a0")
	}, dump)
	pid := e.panePID(s.Pane)
	e.must("kill-pane", "-t", s.Pane)
	waitCond(t, "the killed fake to exit", func() bool { return exited(pid) }, dump)

	cw := e.startCCWake("--throttle-base", "10m", "--throttle-cap", "10m", "--seed", "7", "--claude-bin", e.claude)
	dash := cw.Pane
	dump = e.dump([]string{dash}, s)
	screen := e.waitScreen(dash, "the stalled session's row and the reopen setting in the header", func(text string) bool {
		return strings.Contains(rowOf(text, s.ID), "WAITING") && strings.Contains(text, "reopen on R ("+e.claude+")")
	}, dump)
	if got := userEntries(s.Transcript); count(got, "continue") != 0 {
		t.Fatalf("typed before R was pressed: %q\n%s", got, dump())
	}

	e.must("send-keys", "-t", dash, "R")

	waitCond(t, "one continue in the transcript", func() bool { return count(userEntries(s.Transcript), "continue") == 1 }, dump)
	screen = e.waitScreen(dash, "reopened, typed and confirmed in the event log", func(text string) bool {
		return len(logLines(text, s.ID, "reopened")) == 1 && len(logLines(text, s.ID, "typed")) == 1 &&
			len(logLines(text, s.ID, "confirmed")) == 1
	}, dump)
	m := regexp.MustCompile(`\[(?:tmux:)?(%[0-9]+)\]`).FindStringSubmatch(logLines(screen, s.ID, "typed")[0])
	if m == nil {
		t.Fatalf("typed line names no pane:\n%s", screen)
	}
	e.waitScreen(m[1], "the reopened fake's reply to continue", func(text string) bool {
		return strings.Contains(text, "❯ say hi") && strings.Contains(text, "❯ continue") && strings.Contains(text, "Hello from the fake (1).")
	}, dump)
	if got := userEntries(s.Transcript); len(got) != 2 || got[1] != "continue" {
		t.Fatalf("user entries %q, want [say hi continue]\n%s", got, dump())
	}
	log, _ := os.ReadFile(e.logFile())
	if n := strings.Count(string(log), "msg=reopened"); n != 1 {
		t.Errorf("%d reopened lines in the log, want 1:\n%s", n, log)
	}
	t.Logf("dashboard after R:\n%s", screen)
	e.quit(cw, dump)
}

// exited reports whether pid is gone or a zombie not reaped yet (tmux 3.3a
// was seen to leave a killed pane's process unreaped for 30 s).
func exited(pid int) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && (f[0] == "Z" || f[0] == "X")
}
