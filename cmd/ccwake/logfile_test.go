package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The log file rotates past its size: the newest lines stay in the file,
// older ones move to .1, .2, … and no more than keep old files remain.
func TestRotatingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ccwake", "ccwake.log")
	r, err := openRotating(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 39) + "\n" // 40 bytes: two fit in 100, a third does not
	for i := 0; i < 9; i++ {
		if _, err := fmt.Fprintf(r, "%d%s", i, line[1:]); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			return "missing"
		}
		var firsts []string
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			firsts = append(firsts, l[:1])
		}
		return strings.Join(firsts, "")
	}
	got := []string{read(path), read(path + ".1"), read(path + ".2"), read(path + ".3")}
	// 100 bytes hold two 40-byte lines: 0 1 | 2 3 | 4 5 | 6 7 | 8.
	want := []string{"8", "67", "45", "missing"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("files hold %v, want %v", got, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("log file mode: %v %v", fi, err)
	}

	// A second writer on the same file (a second ccwake) that finds it
	// rotated by the first reopens it instead of rotating again.
	a, _ := openRotating(path, 100, 2)
	b, _ := openRotating(path, 100, 2)
	fmt.Fprint(a, line, line) // a rotates: "8" goes to .1
	fmt.Fprint(b, line)       // b's file was rotated away: it reopens the new one
	a.Close()
	b.Close()
	if got := read(path + ".1"); !strings.HasPrefix(got, "8") {
		t.Fatalf(".1 = %q: the second writer rotated again", got)
	}
}

// `ccwake log` prints the recent lines of the log file and its rotated
// predecessors, oldest first, text and JSON alike, in the local zone with a
// date when not today.
func TestLogCommand(t *testing.T) {
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
