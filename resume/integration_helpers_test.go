package resume

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
)

// Helpers for engine_integration_test.go: a private tmux server, the fake
// Claude in its panes, a temp Claude root, and a clock that can jump ahead.

// itEnv is one scenario's world: a Claude root, a tmux server on a private
// socket, and the panes running the fake Claude.
type itEnv struct {
	t    *testing.T
	root string // Claude config root
	sock string // tmux socket
	bin  string // the fake Claude, built as <tmp>/claude
	n    int    // windows started
	// backends and screenDir configure the engine's actor (nil: tmux only).
	backends  []string
	screenDir string
	kittyTo   string
}

func newItEnv(t *testing.T) *itEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("real tmux and processes: skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (make test installs it)")
	}
	base := t.TempDir()
	env := &itEnv{t: t, root: filepath.Join(base, "claude-root"), sock: filepath.Join(base, "tmux.sock"),
		bin: fakeClaudeBinary(t)}
	for _, d := range []string{env.root + "/projects", env.root + "/sessions"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _, _ = env.tmuxOut("kill-server") })
	return env
}

func (env *itEnv) tmuxCmd(args ...string) *exec.Cmd {
	cmd := exec.Command("tmux", append([]string{"-S", env.sock, "-f", "/dev/null"}, args...)...)
	var keep []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") && !strings.HasPrefix(kv, "TMUX_PANE=") {
			keep = append(keep, kv)
		}
	}
	cmd.Env = keep
	return cmd
}

func (env *itEnv) tmuxOut(args ...string) (string, error) {
	out, err := env.tmuxCmd(args...).CombinedOutput()
	return string(out), err
}

// fakeSession is one fake Claude running in its own tmux window.
type fakeSession struct {
	ID, Cwd, Transcript, Pane string
}

// start runs the fake Claude for a new session in cwd and returns once its
// pane exists. script and first are fakeclaude's -script and -first.
func (env *itEnv) start(cwd, script, first string, extra ...string) fakeSession {
	env.t.Helper()
	return env.startIn(env.root, cwd, script, first, extra...)
}

// startIn is start for a Claude of another root (its CLAUDE_CONFIG_DIR).
func (env *itEnv) startIn(root, cwd, script, first string, extra ...string) fakeSession {
	env.t.Helper()
	return env.startAs(newUUID(), root, cwd, script, first, extra...)
}

// startAs is startIn for a session id of the test's choosing.
func (env *itEnv) startAs(id, root, cwd, script, first string, extra ...string) fakeSession {
	env.t.Helper()
	if err := os.MkdirAll(cwd, 0o755); err != nil {
		env.t.Fatal(err)
	}
	slug := strings.NewReplacer("/", "-", ".", "-").Replace(cwd)
	proj := filepath.Join(root, "projects", slug)
	for _, d := range []string{proj, filepath.Join(root, "sessions")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			env.t.Fatal(err)
		}
	}
	s := fakeSession{ID: id, Cwd: cwd}
	s.Transcript = filepath.Join(proj, s.ID+".jsonl")
	argv := append([]string{"env", "CLAUDE_CONFIG_DIR=" + root, env.bin, "-transcript", s.Transcript, "-session-id", s.ID, "-cwd", cwd,
		"-script", script, "-first", first, "-sessions-dir", filepath.Join(root, "sessions"),
		"-tmux-field", "auto"}, extra...)
	var args []string
	if env.n == 0 {
		args = []string{"new-session", "-d", "-s", "cc", "-x", "120", "-y", "40", "-c", cwd, "-P", "-F", "#{pane_id}"}
	} else {
		args = []string{"new-window", "-d", "-t", "cc", "-c", cwd, "-P", "-F", "#{pane_id}"}
	}
	env.n++
	out, err := env.tmuxOut(append(args, argv...)...)
	if err != nil {
		env.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	s.Pane = strings.TrimSpace(out)
	if env.n == 1 {
		_, _ = env.tmuxOut("set-option", "-g", "remain-on-exit", "on")
	}
	return s
}

// screen is what the pane shows.
func (env *itEnv) screen(pane string) string {
	out, err := env.tmuxOut("capture-pane", "-p", "-t", pane)
	if err != nil {
		return "capture-pane: " + err.Error() + ": " + out
	}
	return out
}

// userTexts lists the text of every main-thread user entry in a transcript.
func userTexts(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, `"type":"user"`) {
			continue
		}
		i := strings.Index(line, `"content":"`)
		if i < 0 {
			continue
		}
		rest := line[i+len(`"content":"`):]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			out = append(out, rest[:j])
		}
	}
	return out
}

func countText(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

// waitUntil polls cond until it holds. It says once that it is still
// waiting after slow, and gives up only at the test binary's deadline
// (testwait), never after a fixed time a loaded machine can overrun; on
// failure it dumps what dump says (screens, transcripts, engine state).
func waitUntil(t *testing.T, slow time.Duration, what string, cond func() bool, dump func() string) {
	t.Helper()
	start, deadline, said := time.Now(), testwait.Deadline(t), false
	for !cond() {
		if now := time.Now(); now.After(deadline) {
			t.Fatalf("gave up waiting for %s after %v, at the test's deadline\n%s", what, now.Sub(start).Round(time.Millisecond), dump())
		} else if !said && now.Sub(start) > slow {
			said = true
			t.Logf("still waiting for %s after %v", what, slow)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// recActor wraps an Actor and counts the calls that send keys, so a test can
// prove an engine never typed.
type recActor struct {
	Actor
	mu    sync.Mutex
	calls map[string]int
}

func newRecActor(a Actor) *recActor { return &recActor{Actor: a, calls: map[string]int{}} }

func (r *recActor) inc(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[k]++
}

func (r *recActor) n(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[k]
}

func (r *recActor) Locate(ctx context.Context, s watch.Session) (pane.Target, error) {
	r.inc("locate")
	return r.Actor.Locate(ctx, s)
}

func (r *recActor) Type(ctx context.Context, t pane.Target, msg string) error {
	r.inc("type")
	return r.Actor.Type(ctx, t, msg)
}

func (r *recActor) Enter(ctx context.Context, t pane.Target) error {
	r.inc("enter")
	return r.Actor.Enter(ctx, t)
}

func (r *recActor) Escape(ctx context.Context, t pane.Target) error {
	r.inc("escape")
	return r.Actor.Escape(ctx, t)
}

// jumpClock is the wall clock plus an offset the test can move forward, so
// a scenario can wait "an hour" for a usage cap in a moment. Jumping wakes
// every timer; the engine re-arms from the new time.
type jumpClock struct {
	mu     sync.Mutex
	off    time.Duration
	timers map[*jumpTimer]bool
}

func newJumpClock() *jumpClock { return &jumpClock{timers: map[*jumpTimer]bool{}} }

func (c *jumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *jumpClock) NewTimer(d time.Duration) Timer {
	jt := &jumpTimer{c: c, ch: make(chan time.Time, 1)}
	c.mu.Lock()
	c.timers[jt] = true
	c.mu.Unlock()
	jt.t = time.AfterFunc(d, jt.fire)
	return jt
}

// Jump moves the clock forward by d.
func (c *jumpClock) Jump(d time.Duration) {
	c.mu.Lock()
	c.off += d
	var all []*jumpTimer
	for jt := range c.timers {
		all = append(all, jt)
	}
	c.mu.Unlock()
	for _, jt := range all {
		jt.fire()
	}
}

type jumpTimer struct {
	c  *jumpClock
	t  *time.Timer
	ch chan time.Time
}

func (jt *jumpTimer) fire() {
	select {
	case jt.ch <- jt.c.Now():
	default:
	}
}

func (jt *jumpTimer) C() <-chan time.Time { return jt.ch }

func (jt *jumpTimer) Stop() bool {
	jt.c.mu.Lock()
	delete(jt.c.timers, jt)
	jt.c.mu.Unlock()
	return jt.t.Stop()
}

// newTestLogger writes log lines through t.Log (shown with -v or on failure).
func newTestLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// runWatched runs e fed by a real watcher on root until the test ends; the
// cleanup stops both and reports their errors.
func runWatched(t *testing.T, e *Engine, root string) {
	t.Helper()
	w, err := watch.New(watch.Config{Roots: []string{root}, Since: time.Hour, Loc: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	wdone, edone := make(chan error, 1), make(chan error, 1)
	go func() { wdone <- w.Run(ctx) }()
	go func() { edone <- e.Run(ctx, w.Events()) }()
	t.Cleanup(func() {
		cancel()
		if err := <-edone; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("engine: %v", err)
		}
		if err := <-wdone; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("watcher: %v", err)
		}
	})
}
