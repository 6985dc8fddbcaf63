package main

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// countdownRe is the RESUME cell of a session waiting less than an hour.
var countdownRe = regexp.MustCompile(`\b(\d+):(\d\d)\b`)

// TestDashboardRetryResumesThrottledSession runs the real ccwake binary's
// dashboard in one tmux pane beside the fake Claude stalled on a server
// throttle in another, presses r, and checks the pane got `continue`: in the
// transcript, on the fake's screen, and in the dashboard's event log. The
// throttle backoff is 10 minutes, so only the key can resume within the
// test. Then q must end ccwake with status 0.
func TestDashboardRetryResumesThrottledSession(t *testing.T) {
	e := newDashEnv(t, 120, 40)
	s := e.startClaude(filepath.Join(e.home, "src", "myproj"), "429,ok", "say hi")
	dump := e.dump([]string{s.Pane}, s)
	e.waitScreen(s.Pane, "the fake Claude to stall on a throttle", func(text string) bool {
		return strings.Contains(text, "Server is temporarily limiting requests") && strings.Contains(text, "❯\u00a0")
	}, dump)

	dash := e.startCCWake("--throttle-base", "10m", "--throttle-cap", "10m", "--seed", "7")
	ccwakePID := e.panePID(dash)
	dump = e.dump([]string{dash, s.Pane}, s)

	screen := e.waitScreen(dash, "the stalled session with kind throttle and a countdown", func(text string) bool {
		row := rowOf(text, s.ID)
		return strings.Contains(row, "WAITING") && strings.Contains(row, "throttle") && countdownRe.MatchString(row)
	}, dump)
	row := rowOf(screen, s.ID)
	if !strings.Contains(row, "src/myproj") {
		t.Fatalf("row %q: want project src/myproj\n%s", row, dump())
	}
	if m := countdownRe.FindStringSubmatch(row); m[1] == "0" {
		t.Fatalf("countdown %s in row %q: the seed must give a wait of minutes, or auto-resume races the key\n%s", m[0], row, dump())
	}
	if !strings.Contains(screen, "watching ~/.claude") {
		t.Errorf("header does not say which root it watches:\n%s", screen)
	}
	if got := userEntries(s.Transcript); count(got, "continue") != 0 {
		t.Fatalf("typed before r was pressed: user entries %q\n%s", got, dump())
	}

	e.must("send-keys", "-t", dash, "r")

	waitCond(t, "one main-thread user entry \"continue\" in the transcript", func() bool {
		return count(userEntries(s.Transcript), "continue") == 1
	}, dump)
	e.waitScreen(s.Pane, "the fake's reply to continue", func(text string) bool {
		return strings.Contains(text, "❯ continue") && strings.Contains(text, "Hello from the fake (1).")
	}, dump)
	screen = e.waitScreen(dash, "typed and confirmed in the event log, the row RESUMED", func(text string) bool {
		return len(logLines(text, s.ID, "typed")) == 1 && len(logLines(text, s.ID, "confirmed")) == 1 &&
			strings.Contains(rowOf(text, s.ID), "RESUMED")
	}, dump)
	if row := rowOf(screen, s.ID); !strings.Contains(row, " "+s.Pane+" ") {
		t.Errorf("resumed row %q does not show pane %s", row, s.Pane)
	}
	if typed := logLines(screen, s.ID, "typed")[0]; !strings.Contains(typed, "continue") || !strings.Contains(typed, "["+s.Pane+"]") {
		t.Errorf("typed line %q: want the message and pane [%s]\n%s", typed, s.Pane, dump())
	}
	t.Logf("dashboard after r:\n%s", screen)
	if len(logLines(screen, s.ID, "retry")) != 1 {
		t.Errorf("the event log does not show the retry the key asked for:\n%s", screen)
	}
	if got := userEntries(s.Transcript); len(got) != 2 || got[0] != "say hi" || got[1] != "continue" {
		t.Fatalf("user entries %q, want [say hi continue]\n%s", got, dump())
	}

	e.must("send-keys", "-t", dash, "q")
	waitCond(t, "ccwake to exit after q", func() bool {
		out, err := e.tmux("display-message", "-p", "-t", dash, "#{pane_dead} #{pane_dead_status}")
		return err == nil && strings.TrimSpace(out) != "0 " && strings.HasPrefix(out, "1")
	}, dump)
	if out := e.must("display-message", "-p", "-t", dash, "#{pane_dead_status}"); out != "0" {
		t.Errorf("ccwake exited with status %s after q, want 0\n%s", out, dump())
	}
	if err := syscall.Kill(ccwakePID, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("ccwake pid %d still exists after q (kill 0: %v)", ccwakePID, err)
	}
}
