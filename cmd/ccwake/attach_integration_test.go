package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
)

// Issue 18: one engine, many views. A real `ccwake --auto` (the service)
// holds the lock; a real dashboard in a pane of the private tmux server and
// real `ccwake status` processes attach to it over the local socket.

// cliRun is one finished ccwake command.
type cliRun struct {
	code           int
	stdout, stderr string
}

// ccwakeCmd runs the ccwake binary with the panes' environment.
func (e *dashEnv) ccwakeCmd(args ...string) cliRun {
	e.t.Helper()
	cmd := exec.Command(e.ccwake, args...)
	cmd.Env = e.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := cliRun{stdout: out.String(), stderr: errb.String()}
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("ccwake %q: %v", args, err)
	}
	return r
}

// status runs `ccwake status` on the env's root.
func (e *dashEnv) status(args ...string) cliRun {
	return e.ccwakeCmd(append([]string{"status", "--claude-dir", e.root, "--tmux-socket", e.sock}, args...)...)
}

// startService runs the service and waits until it serves its socket.
func (e *dashEnv) startService() headless {
	e.t.Helper()
	svc := e.startHeadless("svc", e.root, e.env)
	waitCond(e.t, "the service to serve its local socket", func() bool {
		return strings.Contains(svc.logText(), "serving the dashboard and status on the local socket")
	}, svc.logText)
	return svc
}

// waitWithin is waitCond with the bound the issue sets for the condition.
func waitWithin(t *testing.T, bound time.Duration, what string, cond func() bool, dump func() string) {
	t.Helper()
	start := time.Now()
	waitCond(t, what, cond, dump)
	if d := time.Since(start); d > bound {
		t.Fatalf("%s took %s, want within %s\n%s", what, d.Round(time.Millisecond), bound, dump())
	}
}

func (e *dashEnv) dashLog() string { b, _ := os.ReadFile(e.logFile()); return string(b) }

// r in a dashboard attached to the service makes the service type exactly
// one continue for a session stalled on a usage cap (an hour away: only the
// key can resume it in the test), and the dashboard itself types nothing.
func TestAttachedDashboardRetryMakesServiceType(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 160, 40)
	s := e.startClaude(filepath.Join(e.home, "src", "capped"), "5h,ok", "say hi")
	dump := e.dump([]string{s.Pane}, s)
	e.waitScreen(s.Pane, "the fake Claude to stall on a usage cap", func(text string) bool {
		return strings.Contains(text, "5-hour limit") && strings.Contains(text, "❯\u00a0")
	}, dump)
	svc := e.startService()
	cw := e.startCCWake()
	dump = func() string {
		return e.dump([]string{cw.Pane, s.Pane}, s)() + "--- service log\n" + svc.logText() + "--- dashboard log\n" + e.dashLog()
	}

	e.waitScreen(cw.Pane, "the dashboard to show the service's row and say it is attached", func(text string) bool {
		return strings.Contains(rowOf(text, s.ID), "WAITING") && strings.Contains(text, "attached") && !strings.Contains(text, "WATCH ONLY")
	}, dump)
	if got := userEntries(s.Transcript); count(got, "continue") != 0 {
		t.Fatalf("typed before r: %q\n%s", got, dump())
	}
	e.must("send-keys", "-t", cw.Pane, "r")
	waitWithin(t, 10*time.Second, "the service to type continue after r", func() bool {
		return count(userEntries(s.Transcript), "continue") == 1
	}, dump)
	waitCond(t, "the service to confirm the continue", func() bool { return strings.Contains(svc.logText(), "msg=confirmed") }, dump)
	e.waitScreen(cw.Pane, "the dashboard to show the service's typed and confirmed lines", func(text string) bool {
		return len(logLines(text, s.ID, "typed")) == 1 && strings.Contains(rowOf(text, s.ID), "RESUMED")
	}, dump)
	if got := userEntries(s.Transcript); len(got) != 2 || got[1] != "continue" {
		t.Fatalf("user entries %q, want [say hi continue]\n%s", got, dump())
	}
	if strings.Contains(e.dashLog(), "msg=typed") {
		t.Fatalf("the attached dashboard typed itself\n%s", dump())
	}
	e.quit(cw, dump)
}

// x on a FATAL row in the attached dashboard is the service's state:
// `ccwake status` stops exiting 4 and --line stops saying "needs you".
// Before it, status answers with the service's phase and the row shows the
// pane the service will not type into.
func TestAttachedDismissReachesStatus(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 160, 40)
	s := e.startClaude(filepath.Join(e.home, "src", "authfail"), "401", "say hi")
	dump := e.dump([]string{s.Pane}, s)
	e.waitScreen(s.Pane, "the fake Claude to fail on a 401", func(text string) bool {
		return strings.Contains(text, "authentication_error") && strings.Contains(text, "❯\u00a0")
	}, dump)
	svc := e.startService()
	cw := e.startCCWake()
	dump = func() string {
		return e.dump([]string{cw.Pane, s.Pane}, s)() + "--- service log\n" + svc.logText() + "--- dashboard log\n" + e.dashLog()
	}

	e.waitScreen(cw.Pane, "the FATAL row", func(text string) bool {
		return strings.Contains(rowOf(text, s.ID), "FATAL")
	}, dump)
	if r := e.status(); r.code != status.ExitNeedsHuman {
		t.Fatalf("status before x: exit %d, want %d\n%s%s\n%s", r.code, status.ExitNeedsHuman, r.stdout, r.stderr, dump())
	}
	if r := e.status("--line"); !strings.Contains(r.stdout, "1 needs you") {
		t.Fatalf("status --line before x: %q\n%s", r.stdout, dump())
	}
	e.waitScreen(cw.Pane, "the FATAL row to show its pane", func(text string) bool {
		return strings.Contains(rowOf(text, s.ID), "tmux:"+s.Pane)
	}, dump)

	// o jumps to the FATAL session's pane (the pane the service matched),
	// although nothing is ever typed there.
	active := func() string { return e.must("display-message", "-p", "-t", s.Pane, "#{window_active}#{pane_active}") }
	if active() == "11" {
		t.Fatalf("the fake's window is already active: the jump would prove nothing\n%s", dump())
	}
	e.must("send-keys", "-t", cw.Pane, "o")
	waitCond(t, "o to make the FATAL session's pane active", func() bool { return active() == "11" }, dump)

	e.must("send-keys", "-t", cw.Pane, "x")
	waitCond(t, "status to stop exiting 4 after x", func() bool { return e.status().code != status.ExitNeedsHuman }, dump)
	if r := e.status("--line"); strings.Contains(r.stdout, "needs you") {
		t.Fatalf("status --line after x: %q\n%s", r.stdout, dump())
	}
	if r := e.status("--json"); strings.Contains(r.stdout, s.ID) {
		t.Fatalf("status --json after x still lists the dismissed session:\n%s", r.stdout)
	}
	e.waitScreen(cw.Pane, "the row to leave the dashboard", func(text string) bool {
		return strings.Contains(text, "no stalled sessions") && !strings.Contains(text, "FATAL")
	}, dump)
	e.quit(cw, dump)
}

// The service stopped, the attached dashboard takes the lock within 2 s
// and resumes a new stall itself within 20 s.
func TestAttachedDashboardTakesOverWhenServiceStops(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 160, 40)
	svc := e.startService()
	cw := e.startCCWake("--throttle-base", "200ms", "--throttle-cap", "500ms")
	dump := func() string {
		return e.dump([]string{cw.Pane})() + "--- service log\n" + svc.logText() + "--- dashboard log\n" + e.dashLog()
	}
	waitCond(t, "the dashboard to attach", func() bool { return strings.Contains(e.dashLog(), "attached to the ccwake that holds the lock") }, dump)

	if err := svc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = svc.cmd.Wait()
	waitWithin(t, 2*time.Second, "the dashboard to take the lock", func() bool {
		return strings.Contains(e.dashLog(), "took the lock")
	}, dump)
	if !strings.Contains(e.dashLog(), "serving the dashboard and status on the local socket") {
		t.Errorf("the dashboard that took over does not serve the socket\n%s", dump())
	}

	s := e.startClaude(filepath.Join(e.home, "src", "later"), "429,ok", "say hi")
	dump = func() string { return e.dump([]string{cw.Pane, s.Pane}, s)() + "--- dashboard log\n" + e.dashLog() }
	waitWithin(t, 20*time.Second, "the dashboard to resume the new stall", func() bool {
		return count(userEntries(s.Transcript), "continue") == 1
	}, dump)
	// status now attaches to the dashboard, which holds the lock.
	waitCond(t, "status to see the session resumed", func() bool {
		r := e.status()
		return r.code == 0
	}, dump)
	e.quit(cw, dump)
}
