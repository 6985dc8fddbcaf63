package watch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/ccwake/ccwake/internal/testwait"
)

const ts = "2026-11-22T15:00:0"

// A running watcher sees appends, a line written in two parts, truncation,
// replacement by rename and deletion, each as the event it means.
func TestFollow(t *testing.T) { eachBackend(t, testFollow) }

func testFollow(t *testing.T, o options) {
	root, proj := newRoot(t)
	path := filepath.Join(proj, "s.jsonl")
	writeFile(t, path, []byte(userLine("u1", ts+"1.000Z", "hi")+replyLine("r1", ts+"2.000Z")))
	r := start(t, root, o)
	if s := r.w.Sessions(); len(s) != 1 || s[0].LastUUID != "r1" || s[0].State != Working {
		t.Fatalf("after cold start: %+v", s)
	}
	if n := r.w.Transcripts(); n != 1 {
		t.Fatalf("Transcripts() = %d", n)
	}

	// Append: the error makes it stalled.
	appendFile(t, path, []byte(errorLine("e1", ts+"3.000Z")+metaLine("e1")))
	e := r.wait(t, "stall after append", changedTo(path, "e1"))
	if e.Session.State != Stalled || e.Session.Attempts != 1 {
		t.Fatalf("after append: %+v", e.Session)
	}

	// A line written in two parts counts once it is complete.
	cont := userLine("u2", ts+"4.000Z", "continue")
	appendFile(t, path, []byte(cont[:40]))
	appendFile(t, path, []byte(cont[40:]))
	e = r.wait(t, "continue", changedTo(path, "u2"))
	if e.Session.LastError != "" {
		t.Errorf("a split line gave a parse error: %s", e.Session.LastError)
	}

	// Truncation: read again from the start.
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path, []byte(errorLine("e9", ts+"9.000Z")))
	e = r.wait(t, "state after truncation", changedTo(path, "e9"))
	if e.Session.State != Stalled || e.Session.Attempts != 1 {
		t.Errorf("after truncate: %+v", e.Session)
	}

	// Replacement by rename: another file, read from its start.
	tmp := filepath.Join(proj, ".tmp")
	writeFile(t, tmp, []byte(userLine("n1", ts+"1.000Z", "new")+replyLine("n2", ts+"2.000Z")))
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	e = r.wait(t, "state of the replacement", changedTo(path, "n2"))
	if e.Session.State != Working {
		t.Errorf("after replace: %+v", e.Session)
	}

	// Deletion: gone, and forgotten.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	e = r.wait(t, "SessionGone", func(e Event) bool { return e.Kind == SessionGone })
	if e.Session.Transcript != path || e.Session.LastUUID != "n2" {
		t.Errorf("gone: %+v", e.Session)
	}
	if s := r.w.Sessions(); len(s) != 0 || r.w.Transcripts() != 0 {
		t.Errorf("after delete: %d sessions, %d transcripts", len(s), r.w.Transcripts())
	}
}

// New project dirs and transcripts are picked up; non-JSONL files and
// deeper directories are not transcripts.
func TestNewProjectAndRoot(t *testing.T) { eachBackend(t, testNewProjectAndRoot) }

func testNewProjectAndRoot(t *testing.T, o options) {
	root := t.TempDir() // no projects/ yet
	r := start(t, root, o)

	proj := filepath.Join(root, "projects", "-tmp-a")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	p1 := filepath.Join(proj, "a.jsonl")
	writeFile(t, p1, []byte(errorLine("e1", ts+"1.000Z")))
	r.wait(t, "transcript in a new projects/ dir", changedTo(p1, "e1"))

	proj2 := filepath.Join(root, "projects", "-tmp-b")
	if err := os.Mkdir(proj2, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(proj2, "MEMORY.md"), []byte("# notes\n"))
	if err := os.MkdirAll(filepath.Join(proj2, "s-2", "subagents"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(proj2, "s-2", "subagents", "agent-1.jsonl"), []byte(replyLine("sub", ts+"5.000Z")))
	p2 := filepath.Join(proj2, "b.jsonl")
	writeFile(t, p2, []byte(replyLine("r1", ts+"1.000Z")))
	r.wait(t, "transcript in a new project dir", changedTo(p2, "r1"))
	for _, s := range r.w.Sessions() {
		if s.Transcript != p1 && s.Transcript != p2 {
			t.Errorf("not a transcript, yet in the table: %s", s.Transcript)
		}
	}
}

// A 50 MB line is read whole (written in pieces, as a writer would); a line
// over the cap is skipped with a warning, and what follows still counts.
func TestLongLines(t *testing.T) { eachBackend(t, testLongLines) }

func testLongLines(t *testing.T, o options) {
	root, proj := newRoot(t)
	path := filepath.Join(proj, "s.jsonl")
	writeFile(t, path, []byte(replyLine("r0", ts+"0.000Z")))
	var freed atomic.Int32
	r := start(t, root, o.withFree(func() { freed.Add(1) }))

	huge := `{"type":"user","isSidechain":false,"uuid":"big","timestamp":"` + ts + `1.000Z","message":{"role":"user","content":[{"type":"tool_result","content":"` + strings.Repeat("x", 50<<20) + `"}]}}` + "\n"
	for i := 0; i < len(huge); i += 4 << 20 {
		appendFile(t, path, []byte(huge[i:min(i+4<<20, len(huge))]))
	}
	e := r.waitFor(t, "the 50 MB line", 2*time.Minute, changedTo(path, "big"))
	if e.Session.LastError != "" {
		t.Fatalf("50 MB line: %s", e.Session.LastError)
	}
	if freed.Load() == 0 {
		t.Errorf("the 50 MB line's buffer was not handed back to the OS")
	}

	// Over the cap: a splitter with a small cap stands in for 64 MiB.
	s := &lineSplitter{max: 1 << 20}
	var lines []string
	var long []int64
	in := "a\n" + strings.Repeat("y", 3<<20) + "\nb\n"
	for i := 0; i < len(in); i += 100_000 {
		s.feed([]byte(in[i:min(i+100_000, len(in))]), int64(i), func(b []byte, off int64) { lines = append(lines, string(b)) },
			func(off int64, n int) { long = append(long, off) })
	}
	if strings.Join(lines, ",") != "a,b" || len(long) != 1 || long[0] != 2 || s.pending() != 0 {
		t.Errorf("lines %q, too long at %v, pending %d", lines, long, s.pending())
	}
}

// An unreadable project dir or transcript is a warning; the rest goes on.
// As root chmod 000 does not stop reads, so the file system seam denies
// access instead (the same error os.ReadDir/os.Open would return).
func TestUnreadable(t *testing.T) { eachBackend(t, testUnreadable) }

func testUnreadable(t *testing.T, o options) {
	root, proj := newRoot(t)
	bad := filepath.Join(root, "projects", "-locked")
	if err := os.Mkdir(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(bad, "x.jsonl"), []byte(errorLine("e1", ts+"1.000Z")))
	fsys := newCountingFS()
	if os.Geteuid() == 0 {
		fsys.deny(bad, true)
	} else {
		if err := os.Chmod(bad, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(bad, 0o755) })
	}
	good := filepath.Join(proj, "g.jsonl")
	writeFile(t, good, []byte(replyLine("r1", ts+"1.000Z")))

	r := launch(t, root, o.with(fsys))
	w := r.w
	r.wait(t, "a warning about the locked dir", func(e Event) bool {
		return e.Kind == Warning && errors.Is(e.Err, os.ErrPermission) && strings.Contains(e.Err.Error(), "-locked")
	})
	r.wait(t, "Ready", func(e Event) bool { return e.Kind == Ready })
	if s := w.Sessions(); len(s) != 1 || s[0].Transcript != good {
		t.Fatalf("sessions %+v", s)
	}

	// An unreadable transcript: a warning, then it is read once readable.
	fsys.deny(good, true)
	appendFile(t, good, []byte(errorLine("e2", ts+"2.000Z")))
	e := r.wait(t, "warning about the transcript", func(e Event) bool { return e.Kind == Warning && errors.Is(e.Err, os.ErrPermission) })
	if !strings.Contains(e.Err.Error(), "g.jsonl") {
		t.Errorf("warning %v does not name the file", e.Err)
	}
	fsys.deny(good, false)
	appendFile(t, good, []byte(metaLine("e2")))
	r.wait(t, "stall once readable", changedTo(good, "e2"))
}

// fakeNotifier wraps the real one: it can fail every Add as if inotify
// watches were used up, and lets a test inject errors such as an overflow.
type fakeNotifier struct {
	notifier
	noSpace bool
	errs    chan error
}

func (f *fakeNotifier) Add(p string) error {
	if f.noSpace {
		return &os.PathError{Op: "inotify_add_watch", Path: p, Err: syscall.ENOSPC}
	}
	return f.notifier.Add(p)
}

func (f *fakeNotifier) Errors() <-chan error { return f.errs }

func fakeNotify(noSpace bool) (*fakeNotifier, func() (notifier, error)) {
	f := &fakeNotifier{noSpace: noSpace, errs: make(chan error, 1)}
	return f, func() (notifier, error) {
		n, err := newFSNotifier()
		f.notifier = n
		return f, err
	}
}

// After an overflow, events were lost: a rescan finds what changed.
func TestOverflowRescan(t *testing.T) {
	root, proj := newRoot(t)
	path := filepath.Join(proj, "s.jsonl")
	writeFile(t, path, []byte(replyLine("r1", ts+"1.000Z")))
	f, newN := fakeNotify(false)
	r := start(t, root, options{newNotifier: newN})
	// Make a change fsnotify will not report (the watch is removed), then
	// tell the watcher events were lost.
	if err := f.notifier.Remove(proj); err != nil {
		t.Fatal(err)
	}
	p2 := filepath.Join(proj, "t.jsonl")
	writeFile(t, p2, []byte(errorLine("e2", ts+"2.000Z")))
	appendFile(t, path, []byte(errorLine("e1", ts+"3.000Z")))
	f.errs <- fsnotify.ErrEventOverflow
	r.wait(t, "overflow warning", func(e Event) bool { return e.Kind == Warning && errors.Is(e.Err, fsnotify.ErrEventOverflow) })
	// The rescan reports both, in no particular order.
	appended, created := changedTo(path, "e1"), changedTo(p2, "e2")
	var sawAppend, sawNew bool
	r.wait(t, "the appended error and the new file", func(e Event) bool {
		sawAppend = sawAppend || appended(e)
		sawNew = sawNew || created(e)
		return sawAppend && sawNew
	})
}

// When inotify watches run out, directories are polled, and a warning says so.
func TestPollingFallback(t *testing.T) {
	root, proj := newRoot(t)
	path := filepath.Join(proj, "s.jsonl")
	writeFile(t, path, []byte(replyLine("r1", ts+"1.000Z")))
	_, newN := fakeNotify(true)
	r := launch(t, root, options{newNotifier: newN, pollEvery: 20 * time.Millisecond})
	e := r.wait(t, "ENOSPC warning", func(e Event) bool { return e.Kind == Warning && errors.Is(e.Err, syscall.ENOSPC) })
	if !strings.Contains(e.Err.Error(), "max_user_watches") {
		t.Errorf("warning does not say what to do: %v", e.Err)
	}
	r.wait(t, "Ready", func(e Event) bool { return e.Kind == Ready })
	appendFile(t, path, []byte(errorLine("e1", ts+"2.000Z")))
	r.wait(t, "polled append", changedTo(path, "e1"))
	proj2 := filepath.Join(root, "projects", "-new")
	if err := os.Mkdir(proj2, 0o755); err != nil {
		t.Fatal(err)
	}
	p2 := filepath.Join(proj2, "n.jsonl")
	writeFile(t, p2, []byte(replyLine("n1", ts+"1.000Z")))
	r.wait(t, "polled new project", changedTo(p2, "n1"))
	warns := 0
	for _, e := range r.events {
		if e.Kind == Warning {
			warns++
		}
	}
	if warns != 1 {
		t.Errorf("%d warnings, want one for all unwatchable dirs:\n%s", warns, r.dump())
	}
}

// Run returns nil on cancel, closes Events, and New refuses a missing root.
func TestRunLifecycle(t *testing.T) { eachBackend(t, testRunLifecycle) }

func testRunLifecycle(t *testing.T, o options) {
	if _, err := New(Config{Roots: []string{filepath.Join(t.TempDir(), "nope")}}); !errors.Is(err, ErrNoRoot) {
		t.Fatalf("New on a missing root: %v", err)
	}
	root, _ := newRoot(t)
	w, err := newWatcher(Config{Roots: []string{root}}, o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	if e := <-w.Events(); e.Kind != Ready {
		t.Fatalf("first event %+v, want Ready", e)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-testwait.After(t):
		t.Fatal("Run did not return after cancel")
	}
	if _, open := <-w.Events(); open {
		t.Error("Events not closed")
	}
}

// A transcript whose last line is still being written and is longer than
// the cold-start budget: the follower drops the rest of that line and reads
// what follows. Old transcripts are not read at start, only once they change.
func TestFollowAfterColdStart(t *testing.T) { eachBackend(t, testFollowAfterColdStart) }

func testFollowAfterColdStart(t *testing.T, o options) {
	root, proj := newRoot(t)
	path := filepath.Join(proj, "s.jsonl")
	head := `{"type":"user","isSidechain":false,"uuid":"big","timestamp":"` + ts + `1.000Z","message":{"role":"user","content":"`
	writeFile(t, path, []byte(errorLine("e0", ts+"0.000Z")+head+strings.Repeat("x", 200<<10)))
	old := filepath.Join(proj, "old.jsonl")
	writeFile(t, old, []byte(errorLine("o1", ts+"0.000Z")))
	long := time.Now().Add(-60 * 24 * time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	fsys := newCountingFS()
	r := launchCfg(t, Config{Roots: []string{root}, Since: 7 * 24 * time.Hour, Loc: time.UTC}, o.with(fsys))
	w := r.w
	r.wait(t, "Ready", func(e Event) bool { return e.Kind == Ready })
	if n := fsys.bytes(path); n > coldBudget {
		t.Errorf("cold start read %d bytes", n)
	}
	if n := fsys.bytes(old); n != 0 {
		t.Errorf("cold start read %d bytes of an old transcript", n)
	}
	if w.Transcripts() != 2 || len(w.Sessions()) != 1 {
		t.Errorf("%d transcripts, %d sessions; want 2 followed, 1 read", w.Transcripts(), len(w.Sessions()))
	}

	// Readers of the table race with the watcher (checked under -race).
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				_ = w.Sessions()
				_ = w.Transcripts()
			}
		}
	}()

	appendFile(t, path, []byte(`"}}`+"\n"+errorLine("e1", ts+"2.000Z")))
	// e0 lies before the long line, beyond the budget: unseen, so one attempt.
	e := r.wait(t, "the error after the long line", changedTo(path, "e1"))
	if e.Session.LastError != "" || e.Session.Attempts != 1 {
		t.Errorf("after the long line: attempts %d, problem %q", e.Session.Attempts, e.Session.LastError)
	}
	appendFile(t, old, []byte(metaLine("o1")))
	e = r.wait(t, "the old transcript once it changed", changedTo(old, "o1"))
	if e.Session.State != Stalled {
		t.Errorf("old transcript: %+v", e.Session)
	}
}
