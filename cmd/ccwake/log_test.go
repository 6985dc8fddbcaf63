package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
)

// `ccwake log` prints the recent lines of the log file and its rotated
// predecessors, oldest first, text and JSON alike, in the local zone with a
// date when not today.
func TestLogCommand(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	state := filepath.Join(e.dir, "state")
	path := filepath.Join(state, "ccwake", "ccwake.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	// Real slog output: yesterday's lines (JSON) rotated, today's (text) current.
	tz := time.FixedZone("X", 2*3600)
	now := time.Now().In(tz)
	yesterday := now.Add(-24 * time.Hour)
	write := func(p string, h func(*bytes.Buffer) slog.Handler, at time.Time, lines ...[]any) {
		var buf bytes.Buffer
		log := slog.New(h(&buf))
		for i, l := range lines {
			rec := slog.NewRecord(at.Add(time.Duration(i)*time.Second), slog.LevelInfo, l[0].(string), 0)
			rec.Add(l[1:]...)
			if l[0] == "gave_up" {
				rec.Level = slog.LevelWarn
			}
			_ = log.Handler().Handle(context.Background(), rec)
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	jsonH := func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }
	textH := func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }
	write(path+".1", jsonH, yesterday,
		[]any{"ccwake started", "auto", true},
		[]any{"typed", "reason", `typed "continue", attempt 1 of 6`, "session", "8341723d-aaaa", "pane", "%3", "kind", "throttle"})
	write(path, textH, now,
		[]any{"confirmed", "reason", "the transcript shows the session working again", "session", "8341723d-aaaa", "pane", "%3", "kind", "throttle"},
		[]any{"gave_up", "reason", "6 errors in this stall", "session", "0fe6f74d-bbbb", "pane", "", "kind", "rate_limit"},
		[]any{"skipped:no_stall", "reason", "", "session", "0fe6f74d-bbbb", "pane", "%4", "kind", "rate_limit"},
		[]any{"retry_refused", "reason", "already typed for this error", "session", "0fe6f74d-bbbb", "pane", "", "kind", "rate_limit"})

	r := e.run([]string{"XDG_STATE_HOME=" + state, "TZ=Etc/GMT-2"}, "log")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	want := []string{
		yesterday.Format("Jan 02 15:04:05") + "        ccwake started  auto=true",
		yesterday.Add(time.Second).Format("Jan 02 15:04:05") + `        typed           8341723d  %3    typed "continue", attempt 1 of 6`,
		now.Format("15:04:05") + "               confirmed       8341723d  %3    the transcript shows the session working again",
		now.Add(time.Second).Format("15:04:05") + "         WARN  gave up         0fe6f74d  -     6 errors in this stall",
		now.Add(2*time.Second).Format("15:04:05") + "               not typed       0fe6f74d  %4    the error is not the last message on screen",
		now.Add(3*time.Second).Format("15:04:05") + "               retry refused   0fe6f74d  -     already typed for this error",
	}
	if yesterday.Year() != now.Year() {
		t.Skip("yesterday was last year: the date format differs")
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("ccwake log:\n%s\nwant:\n%s", r.stdout, strings.Join(want, "\n"))
	}
	if r = e.run([]string{"XDG_STATE_HOME=" + state, "TZ=Etc/GMT-2"}, "log", "--lines", "1"); strings.Count(r.stdout, "\n") != 1 || !strings.Contains(r.stdout, "retry refused") {
		t.Fatalf("--lines 1: %q", r.stdout)
	}
	if r = e.run(nil, "log"); r.code != 1 || !strings.Contains(r.stderr, "no log at "+filepath.Join(e.home, ".local", "state", "ccwake", "ccwake.log")) {
		t.Fatalf("no log yet: exit %d, %q", r.code, r.stderr)
	}
}

// `ccwake --auto` without --log-file writes its log to the default file
// under $XDG_STATE_HOME as well as to stderr.
func TestAutoWritesDefaultLog(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: --auto refuses to start without it")
	}
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.330-key-ok.jsonl")
	state := filepath.Join(e.dir, "state")
	cmd := exec.Command(e.bin, "--auto", "--claude-dir", root, "--tmux-socket", e.sock)
	cmd.Env = append(append([]string{}, e.env...), "XDG_STATE_HOME="+state)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	path := filepath.Join(state, "ccwake", "ccwake.log")
	waitCond(t, "ccwake started in the default log file", func() bool {
		b, _ := os.ReadFile(path)
		return strings.Contains(string(b), "ccwake started")
	}, func() string { return stderr.String() })
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ccwake --auto after SIGTERM: %v\n%s", err, stderr.String())
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "ccwake stopped") || !strings.Contains(stderr.String(), "ccwake started") {
		t.Fatalf("log file:\n%s\nstderr:\n%s", b, stderr.String())
	}
}

// The real binary with --log-file /dev/full: one notice on stderr however
// many lines are dropped, and it still stops cleanly.
func TestLogFileFullBinary(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the real ccwake binary: skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: ccwake refuses to start without it")
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	dir := t.TempDir()
	p := startAuto(t, raceBinary(t), dir, "/dev/full")
	waitCond(t, "the notice on stderr", func() bool { return strings.Contains(readFile(p.errFile), "/dev/full") },
		func() string { return readFile(p.errFile) })
	// The stop logs more lines ("ccwake stopped"), dropped too.
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-testwait.After(t):
		t.Fatal("ccwake still running 30 s after SIGTERM")
	}
	if p.waitErr != nil {
		t.Errorf("ccwake: %v; stderr:\n%s", p.waitErr, readFile(p.errFile))
	}
	if n := strings.Count(readFile(p.errFile), "ccwake: log file"); n != 1 {
		t.Errorf("%d notices about the log file, want 1:\n%s", n, readFile(p.errFile))
	}
}
