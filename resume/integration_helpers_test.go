package resume

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
)

// Helpers for engine_integration_test.go: a private tmux server, the fake
// Claude in its panes and a temp Claude root (internal/testkit's), and a
// clock that can jump ahead.

// itEnv is one scenario's world: a Claude root, a tmux server on a private
// socket, and the panes running the fake Claude.
type itEnv struct {
	t    *testing.T
	root string        // Claude config root
	tmux *testkit.Tmux // started by the first fake (no other pane keeps it up)
	sock string        // tmux socket
	bin  string        // the fake Claude, built as <tmp>/claude
	// backends and screenDir configure the engine's actor (nil: tmux only).
	backends  []string
	screenDir string
	kittyTo   string
}

// newItEnv makes the world of one test, which then runs in parallel with
// the others: its server, root and fake are its own.
func newItEnv(t *testing.T) *itEnv {
	t.Helper()
	t.Parallel()
	srv := testkit.NewTmux(t, testkit.TmuxOpts{Lazy: true, RemainOnExit: true, Env: testkit.Environ("TMUX", "TMUX_PANE")})
	env := &itEnv{t: t, root: filepath.Join(t.TempDir(), "claude-root"), tmux: srv, sock: srv.Sock,
		bin: testkit.FakeClaude(t)}
	for _, d := range []string{env.root + "/projects", env.root + "/sessions"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return env
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
	slug := strings.NewReplacer("/", "-", ".", "-").Replace(cwd)
	c := env.tmux.RunClaude(env.bin, testkit.ClaudeOpts{Root: root, Cwd: cwd, ID: id,
		Transcript: filepath.Join(root, "projects", slug, id+".jsonl"), Script: script, First: first,
		SessionFile: true, TmuxField: "auto", ChdirFlag: true, Extra: extra})
	return fakeSession{ID: c.ID, Cwd: c.Cwd, Transcript: c.Transcript, Pane: c.Pane}
}

// screen is what the pane shows.
func (env *itEnv) screen(pane string) string { return env.tmux.Capture(pane) }

// userTexts lists the text of every main-thread user entry in a transcript.
func userTexts(_ *testing.T, path string) []string { return testkit.UserTexts(path) }

func countText(list []string, s string) int { return testkit.Count(list, s) }

// waitUntil is testkit.WaitFor: it gives up only at the test binary's
// deadline; the time each caller names is no limit (the kit's wait says
// once when it is slow).
func waitUntil(t *testing.T, _ time.Duration, what string, cond func() bool, dump func() string) {
	t.Helper()
	testkit.WaitFor(t, what, cond, dump)
}

func newUUID() string { return testkit.NewUUID() }

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
