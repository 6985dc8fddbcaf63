package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/attach"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// memSource is a service's engine as the socket shows it: its snapshot is
// set by the test.
type memSource struct {
	mu   sync.Mutex
	snap resume.Snapshot
}

func (m *memSource) Snapshot() resume.Snapshot { m.mu.Lock(); defer m.mu.Unlock(); return m.snap }
func (m *memSource) set(f func(*resume.Snapshot)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f(&m.snap)
}
func (m *memSource) Retry(string)       {}
func (m *memSource) Pause(string, bool) {}
func (m *memSource) Dismiss(string)     {}
func (m *memSource) Reopen(string)      {}
func (m *memSource) SetAuto(bool)       {}

// serveMemory serves src on root's socket under run/ccwake, as the holder
// memService is a service holding an empty root (so a scan would find
// nothing) whose memory has three sessions: a fatal one, one a guard
// blocked, and one the user dismissed. It returns the root, the runtime
// dir its socket will be under, and its memory for serveMemory.
func memService(t *testing.T) (root, run string, src *memSource) {
	t.Helper()
	root = t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "projects"), 0o700); err != nil {
		t.Fatal(err)
	}
	run, err := os.MkdirTemp("", "cca") // short: a socket path fits 108 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(run) })
	now := time.Now()
	stalled := func(id string, kind classify.Kind) watch.Session {
		return watch.Session{ID: id, Transcript: "/gone/" + id + ".jsonl", Cwd: "/w/" + id, State: watch.Stalled, Kind: kind, StalledAt: now.Add(-time.Minute)}
	}
	src = &memSource{snap: resume.Snapshot{Auto: true, Roots: []string{root}, Sessions: []resume.Status{
		{Session: stalled("fatal-1", classify.Fatal), Phase: resume.Fatal, Pane: "tmux:%7", Reason: "authentication failed"},
		{Session: stalled("blocked-1", classify.Throttle), Phase: resume.Blocked, Pane: "tmux:%8", Reason: "a dialog is open"},
		{Session: stalled("dismissed-1", classify.Fatal), Phase: resume.Dismissed},
	}}}
	return root, run, src
}

// of the lock does; it returns the change signal.
func serveMemory(t *testing.T, run, root string, src *memSource) chan<- struct{} {
	t.Helper()
	id, err := attach.RootID(root)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := attach.Listen([]string{filepath.Join(run, "ccwake")}, []string{id}, nil)
	if err != nil {
		t.Fatal(err)
	}
	changes := make(chan struct{}, 1)
	hub := remote.NewHub(changes)
	go hub.Run()
	srv := &remote.Server{Src: src, Hello: remote.Hello{Proto: remote.Proto, Version: "test", PID: os.Getpid(), RootIDs: []string{id}},
		Build: wire().ServeUpdate, Key: remote.UpdateKey}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ln.Serve(ctx, srv, hub.Subscribe) }()
	t.Cleanup(func() { cancel(); <-done; close(changes) })
	return changes
}

// Issue 18 items 2 and 4: with a service holding the root, `status`,
// `--json`, `--line` and `--json --follow` answer from its memory: its
// phases (FATAL, a guard's BLOCKED), without the session it dismissed,
// and without scanning the tree — the tree here is empty, so a scan would
// find nothing stalled.
func TestStatusAnswersFromServiceMemory(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	root, run, src := memService(t)
	changes := serveMemory(t, run, root, src)
	env := []string{"XDG_RUNTIME_DIR=" + run}

	r := e.run(env, "status", "--line", "--claude-dir", root)
	if r.code != status.ExitNeedsHuman || strings.TrimSpace(r.stdout) != "⚠ 2 needs you · ⏸ 2 stalled" {
		t.Fatalf("--line: exit %d %q %s", r.code, r.stdout, r.stderr)
	}
	r = e.run(env, "status", "--claude-dir", root)
	if r.code != status.ExitNeedsHuman || !strings.Contains(r.stdout, "FATAL") || !strings.Contains(r.stdout, "BLOCKED") || strings.Contains(r.stdout, "dismisse") {
		t.Fatalf("table: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = e.run(env, "status", "--json", "--claude-dir", root)
	var js struct{ Sessions []remote.StatusFields }
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || len(js.Sessions) != 2 || js.Sessions[0].Pane == nil {
		t.Fatalf("--json: %v\n%s", err, r.stdout)
	}

	// --follow: a line now, another when the service's state changes.
	cmd := exec.Command(e.bin, "status", "--json", "--follow", "--claude-dir", root)
	cmd.Env = append(append([]string{}, e.env...), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	next := func() remote.Update {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("follow ended: %v", lines.Err())
		}
		var u remote.Update
		if err := json.Unmarshal(lines.Bytes(), &u); err != nil {
			t.Fatalf("follow line %q: %v", lines.Text(), err)
		}
		return u
	}
	if u := next(); len(u.Sessions) != 2 || !u.Auto {
		t.Fatalf("first follow line: %+v", u)
	}
	src.set(func(s *resume.Snapshot) { s.Sessions[0].Phase = resume.Dismissed })
	changes <- struct{}{}
	if u := next(); len(u.Sessions) != 1 || u.Sessions[0].SessionID != "blocked-1" {
		t.Fatalf("follow line after the dismissal: %+v", u)
	}
	_ = stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("follow after stdin closed: %v", err)
	}
}
