package watch

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
)

// testBackends are the backends the watcher tests run under: inotify (on
// Linux) and the poller, or only the one $CCWAKE_WATCH names.
func testBackends(t testing.TB) []Backend {
	t.Helper()
	if v := os.Getenv("CCWAKE_WATCH"); v != "" && v != string(Auto) {
		b, err := ParseBackend(v)
		if err != nil {
			t.Fatalf("$CCWAKE_WATCH=%q: %v", v, err)
		}
		return []Backend{b}
	}
	if runtime.GOOS == "linux" {
		return []Backend{Inotify, Poll}
	}
	return []Backend{Poll}
}

// testPoll is the poller's timing in tests: fast ticks and sweeps, so that
// a test waits on the watcher's logic rather than its default pace (the
// pace itself is measured by BenchmarkPoll10k).
var testPoll = pollConfig{tick: 10 * time.Millisecond, sweep: 200 * time.Millisecond}

// backendOptions are the options that run a watcher under b.
func backendOptions(b Backend) options {
	o := options{watch: b}
	if b == Poll {
		o.poll = testPoll
	}
	return o
}

// eachBackend runs body once per backend (testBackends), as parallel
// subtests named after them: a plain `go test ./watch/` covers both, in
// about the time of one.
func eachBackend(t *testing.T, body func(t *testing.T, o options)) {
	for _, b := range testBackends(t) {
		t.Run(string(b), func(t *testing.T) {
			t.Parallel()
			body(t, backendOptions(b))
		})
	}
}

// newRoot makes <tmp>/root/projects/<slug> and returns root and the project dir.
func newRoot(t testing.TB) (root, proj string) {
	t.Helper()
	root = filepath.Join(t.TempDir(), "root")
	proj = filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	return root, proj
}

// fixture reads a transcript from testdata/transcripts.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(transcripts, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t testing.TB, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

// Lines shaped like the real ones (2.1.330), with the fields ccwake reads.
func userLine(uuid, at, text string) string {
	return fmt.Sprintf(`{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":%q},"uuid":%q,"timestamp":%q,"cwd":"/home/dev/work","sessionId":"s-1","version":"2.1.330"}`+"\n", text, uuid, at)
}

func replyLine(uuid, at string) string {
	return fmt.Sprintf(`{"parentUuid":"p","isSidechain":false,"type":"assistant","message":{"model":"claude-x","role":"assistant","content":[{"type":"text","text":"hi"}]},"uuid":%q,"timestamp":%q,"cwd":"/home/dev/work","sessionId":"s-1","version":"2.1.330"}`+"\n", uuid, at)
}

func errorLine(uuid, at string) string {
	return fmt.Sprintf(`{"parentUuid":"p","isSidechain":false,"type":"assistant","message":{"model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"}]},"isApiErrorMessage":true,"error":"rate_limit","apiErrorStatus":429,"uuid":%q,"timestamp":%q,"cwd":"/home/dev/work","sessionId":"s-1","version":"2.1.330"}`+"\n", uuid, at)
}

// childErrorLine is errorLine with its parentUuid set.
func childErrorLine(uuid, parent, at string) string {
	return strings.Replace(errorLine(uuid, at), `"parentUuid":"p"`, fmt.Sprintf(`"parentUuid":%q`, parent), 1)
}

func metaLine(leaf string) string {
	return fmt.Sprintf(`{"type":"last-prompt","lastPrompt":"say hi","leafUuid":%q,"sessionId":"s-1"}`+"\n", leaf)
}

// countingFS counts the bytes read per file and can make paths unreadable
// (chmod 000 does not stop root, and tests may run as root).
type countingFS struct {
	osFS
	mu     sync.Mutex
	read   map[string]int64
	denied map[string]bool
	// hideHoles makes files report no holes (a file system without
	// SEEK_DATA), so a sparse file is read as zeros.
	hideHoles bool
}

func newCountingFS() *countingFS {
	return &countingFS{read: make(map[string]int64), denied: make(map[string]bool)}
}

func (c *countingFS) deny(path string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.denied[path] = on
}

func (c *countingFS) isDenied(path string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.denied[path]
}

func (c *countingFS) bytes(path string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.read[path]
}

func (c *countingFS) Open(name string) (file, error) {
	if c.isDenied(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	f, err := c.osFS.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingFile{file: f, c: c, path: name, hideHoles: c.hideHoles}, nil
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if c.isDenied(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return c.osFS.ReadDir(name)
}

type countingFile struct {
	file
	c         *countingFS
	path      string
	hideHoles bool
}

// DataFrom reports no holes when the countingFS hides them, like a file
// system without SEEK_DATA: zeros are read.
func (f *countingFile) DataFrom(off, size int64) int64 {
	if f.hideHoles {
		return off
	}
	return f.file.DataFrom(off, size)
}

func (f *countingFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := f.file.ReadAt(p, off)
	f.c.mu.Lock()
	f.c.read[f.path] += int64(n)
	f.c.mu.Unlock()
	return n, err
}

// running is a watcher started by start, with everything it sent.
type running struct {
	w      *Watcher
	cancel context.CancelFunc
	done   chan error
	events []Event
}

// start runs a watcher on root and waits for Ready.
func start(t *testing.T, root string, o options) *running {
	t.Helper()
	r := launch(t, root, o)
	r.wait(t, "Ready", func(e Event) bool { return e.Kind == Ready })
	return r
}

// launch runs a watcher on root, for tests that look at what comes before
// Ready; it is stopped and drained at cleanup.
func launch(t *testing.T, root string, o options) *running {
	t.Helper()
	return launchCfg(t, Config{Roots: []string{root}, Loc: time.UTC}, o)
}

// launchCfg is launch with a Config of the test's own.
func launchCfg(t *testing.T, cfg Config, o options) *running {
	t.Helper()
	w, err := newWatcher(cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{w: w, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		for range w.Events() {
		}
		if err := <-r.done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return r
}

// wait reads events until one satisfies ok, failing after a deadline with
// everything seen. It is how tests sequence: never by sleeping.
func (r *running) wait(t *testing.T, what string, ok func(Event) bool) Event {
	t.Helper()
	return r.waitFor(t, what, 20*time.Second, ok)
}

// waitFor is wait for slow work (a 50 MB line under -race on a shared
// machine): it says once that it is still waiting after d, and gives up
// only at the test binary's deadline (testwait), never after a fixed time
// a loaded machine can overrun.
func (r *running) waitFor(t *testing.T, what string, d time.Duration, ok func(Event) bool) Event {
	t.Helper()
	slow, deadline := time.After(d), testwait.After(t)
	for {
		select {
		case e, open := <-r.w.Events():
			if !open {
				t.Fatalf("events closed while waiting for %s; seen:\n%s", what, r.dump())
			}
			r.events = append(r.events, e)
			if ok(e) {
				return e
			}
		case <-slow:
			t.Logf("still waiting for %s after %v", what, d)
		case <-deadline:
			t.Fatalf("no %s by the test's deadline; seen:\n%s", what, r.dump())
		}
	}
}

func (r *running) dump() string {
	var b strings.Builder
	for _, e := range r.events {
		fmt.Fprintf(&b, "  kind=%d state=%s path=%s last=%s err=%v lastErr=%q\n", e.Kind, e.Session.State, e.Session.Transcript, e.Session.LastUUID, e.Err, e.Session.LastError)
	}
	return b.String()
}

// changedTo matches a SessionChanged of path whose newest entry is uuid.
func changedTo(path, uuid string) func(Event) bool {
	return func(e Event) bool {
		return e.Kind == SessionChanged && e.Session.Transcript == path && e.Session.LastUUID == uuid
	}
}

// with is o reading through fsys.
func (o options) with(fsys fileSystem) options {
	o.fsys = fsys
	return o
}

// withFree is o with its own freeMemory.
func (o options) withFree(f func()) options {
	o.freeMemory = f
	return o
}
