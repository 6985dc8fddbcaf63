package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
)

// freshTranscript copies a fixture into a new Claude root with its
// timestamps moved so the last entry is a few seconds old: notifications
// skip stalls from before ccwake started.
func freshTranscript(t *testing.T, fixture string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", fixture))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"timestamp":"([^"]+)"`)
	var last time.Time
	for _, m := range re.FindAllSubmatch(b, -1) {
		if ts, err := time.Parse(time.RFC3339Nano, string(m[1])); err == nil && ts.After(last) {
			last = ts
		}
	}
	shift := time.Since(last) - 5*time.Second
	b = re.ReplaceAllFunc(b, func(m []byte) []byte {
		ts, err := time.Parse(time.RFC3339Nano, string(re.FindSubmatch(m)[1]))
		if err != nil {
			return m
		}
		return []byte(`"timestamp":"` + ts.Add(shift).UTC().Format("2006-01-02T15:04:05.000Z07:00") + `"`)
	})
	root := t.TempDir()
	writeFresh(t, root, fixture, b)
	return root
}

// writeFresh writes a transcript into root's projects.
func writeFresh(t *testing.T, root, fixture string, b []byte) {
	t.Helper()
	dir := filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(fixture)), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// autoEnv is the environment of a ccwake run in process: this process's,
// with $XDG_RUNTIME_DIR (its socket) and $XDG_STATE_HOME (its log file and
// state) in temp dirs of t. It is the cli's getenv, not set with t.Setenv,
// so that the test can run in parallel with others.
func autoEnv(t *testing.T) func(string) string {
	run, state := t.TempDir(), t.TempDir()
	return func(k string) string {
		switch k {
		case "XDG_RUNTIME_DIR":
			return run
		case "XDG_STATE_HOME":
			return state
		}
		return os.Getenv(k)
	}
}

// runMainEnv is runMain with getenv for the environment.
func runMainEnv(ctx context.Context, getenv func(string) string, args []string, stdout, stderr io.Writer) error {
	c := &cli{stdout: stdout, stderr: stderr, getenv: getenv}
	return c.exec(ctx, findCommand(""), args)
}

// TestAutoNotifiesAFatalStall runs `ccwake --auto` in process on a
// transcript that ends in a credit-balance error (fatal): the notification
// reaches a real command and a local HTTP server (once per stall is
// notify's TestNotifierEndToEnd).
func TestAutoNotifiesAFatalStall(t *testing.T) {
	t.Parallel()
	env := autoEnv(t)
	root := freshTranscript(t, "extra/x-credit-balance.jsonl")
	var mu sync.Mutex
	var posts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, r.Header.Get("Content-Type")+" "+string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	got := filepath.Join(t.TempDir(), "events.jsonl")

	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- runMainEnv(ctx, env, []string{"--auto", "--claude-dir", root, "--tmux-socket", filepath.Join(t.TempDir(), "none"),
			"--notify-cmd", "cat >> " + got, "--notify-url", srv.URL + "/hook"}, io.Discard, &stderr)
	}()
	deadline := testwait.Deadline(t)
	for {
		mu.Lock()
		n := len(posts)
		mu.Unlock()
		b, _ := os.ReadFile(got)
		if n >= 1 && bytes.Count(b, []byte("\n")) >= 1 {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("no notification: %d posts, command got %q\nlog:\n%s", n, b, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("runMain: %v", err)
	}

	b, _ := os.ReadFile(got)
	var ev map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(b), &ev); err != nil {
		t.Fatalf("command got %q: %v", b, err)
	}
	if ev["event"] != "fatal" || ev["session_id"] != "2d7e4da5-f9dc-4b24-b008-40295a8a5c1f" || ev["cwd"] != "/home/dev/work" {
		t.Errorf("event: %v", ev)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(posts) != 1 || !strings.HasPrefix(posts[0], "application/json {") || !strings.Contains(posts[0], `"event":"fatal"`) {
		t.Errorf("posts: %q", posts)
	}
	if !strings.Contains(stderr.String(), "msg=notify") {
		t.Errorf("the log does not say what was notified:\n%s", stderr.String())
	}
}

// TestAutoRetriesAFailedPost: `ccwake --auto` whose --notify-url server
// answers 503 (restarting) posts the notification again after the backoff
// (5 s on the wall clock: this is the real wiring) and gets it through,
// with no failure in the log.
func TestAutoRetriesAFailedPost(t *testing.T) {
	t.Parallel()
	env := autoEnv(t)
	root := freshTranscript(t, "extra/x-credit-balance.jsonl")
	var mu sync.Mutex
	var statuses []int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		defer mu.Unlock()
		status := http.StatusOK
		if len(statuses) == 0 {
			status = http.StatusServiceUnavailable
		}
		statuses = append(statuses, status)
		w.WriteHeader(status)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- runMainEnv(ctx, env, []string{"--auto", "--claude-dir", root, "--tmux-socket", filepath.Join(t.TempDir(), "none"),
			"--notify-url", srv.URL + "/hook"}, io.Discard, &stderr)
	}()
	deadline := time.Now().Add(60 * time.Second) // patience, not a timing: the backoff is 5 s
	for {
		mu.Lock()
		n := len(statuses)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("the failed POST was not tried again: %d requests\nlog:\n%s", n, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("runMain: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(statuses) != 2 || statuses[1] != http.StatusOK {
		t.Fatalf("requests answered %v, want [503 200]", statuses)
	}
	if strings.Contains(stderr.String(), "delivery failed") {
		t.Errorf("a delivery that got through logged a failure:\n%s", stderr.String())
	}
}

func TestNotifyFlagsFailAtStart(t *testing.T) {
	t.Parallel()
	env := autoEnv(t)
	root := freshTranscript(t, "extra/x-credit-balance.jsonl")
	for _, args := range [][]string{
		{"--notify-url", "ftp://example.com/x"},
		{"--notify-url", "https://ntfy.sh/x", "--notify-format", "xml"},
	} {
		err := runMainEnv(context.Background(), env, append([]string{"--auto", "--claude-dir", root}, args...), io.Discard, io.Discard)
		if err == nil || errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "notify") {
			t.Errorf("%v: want a notify error at start, got %v", args, err)
		}
	}
}

// TestDashboardRingsTheBellOnAFatalStall runs the real dashboard in a
// private tmux server: a fatal stall rings the terminal bell, which tmux
// records as the window's bell flag (the session is not attached).
func TestDashboardRingsTheBellOnAFatalStall(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 35)
	src := freshTranscript(t, "extra/x-credit-balance.jsonl")
	b, err := os.ReadFile(filepath.Join(src, "projects", "-home-dev-work", "x-credit-balance.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	writeFresh(t, e.root, "x-credit-balance.jsonl", b)
	cw := e.startCCWake()
	dump := e.dump([]string{cw.Pane})
	e.waitScreen(cw.Pane, "the fatal row", func(text string) bool { return strings.Contains(text, "FATAL") }, dump)
	waitCond(t, "the bell flag of the dashboard's window", func() bool {
		return e.must("display-message", "-p", "-t", cw.Pane, "#{window_bell_flag}") == "1"
	}, dump)
	e.quit(cw, dump)
}
