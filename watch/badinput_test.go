package watch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/internal/testwait"
)

// A line of six million "[" appended to a followed transcript used to kill
// the process with "fatal error: stack overflow" (gjson validates
// recursively, and recover cannot catch a stack overflow). Now the line is
// rejected as a parse problem and the error line after it still stalls the
// session: real file, real fsnotify.
func TestDeepLineFollowed(t *testing.T) { eachBackend(t, testDeepLineFollowed) }

func testDeepLineFollowed(t *testing.T, o options) {
	root, proj := newRoot(t)
	path := filepath.Join(proj, "s.jsonl")
	writeFile(t, path, []byte(userLine("u1", ts+"1.000Z", "hi")+replyLine("r1", ts+"2.000Z")))
	r := start(t, root, o)

	deep := append(bytes.Repeat([]byte("["), 6_000_000), '\n')
	appendFile(t, path, append(deep, errorLine("e1", ts+"3.000Z")...))
	e := r.waitFor(t, "the error after the deep line", time.Minute, changedTo(path, "e1"))
	if e.Session.State != Stalled || e.Session.Attempts != 1 {
		t.Fatalf("after the deep line: %+v", e.Session)
	}
	if !strings.Contains(e.Session.LastError, "nested too deeply") {
		t.Errorf("LastError = %q, want it to name the deep line", e.Session.LastError)
	}
	// And it keeps following.
	appendFile(t, path, []byte(userLine("u2", ts+"4.000Z", "continue")))
	r.wait(t, "the line after", changedTo(path, "u2"))
}

// A FIFO named *.jsonl, present at the start and touched or created while
// running, used to block the watcher in open(2) for good: every later event
// was lost and a stop never returned. Now it is warned about once and
// ignored, a stall in another transcript still gets through, and stopping
// returns promptly.
func TestFIFOTranscript(t *testing.T) { eachBackend(t, testFIFOTranscript) }

func testFIFOTranscript(t *testing.T, o options) {
	for _, atStart := range []bool{true, false} {
		name := "created while running"
		if atStart {
			name = "present at start, then touched"
		}
		t.Run(name, func(t *testing.T) {
			root, proj := newRoot(t)
			fifo := filepath.Join(proj, "fifo.jsonl")
			path := filepath.Join(proj, "s.jsonl")
			writeFile(t, path, []byte(userLine("u1", ts+"1.000Z", "hi")+replyLine("r1", ts+"2.000Z")))
			mkfifo := func() {
				if err := syscall.Mkfifo(fifo, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if atStart {
				mkfifo()
			}
			w, err := newWatcher(Config{Roots: []string{root}, Loc: time.UTC}, o)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			r := &running{w: w, cancel: cancel, done: make(chan error, 1)}
			go func() { r.done <- w.Run(ctx) }()
			t.Cleanup(func() {
				cancel()
				// A watcher stuck opening the FIFO (the bug) is let go by
				// opening its other end, so a failing run ends instead of
				// hanging the test binary.
				if f, err := os.OpenFile(fifo, os.O_RDWR, 0); err == nil {
					f.Close()
				}
				for range w.Events() {
				}
				<-r.done
			})
			r.wait(t, "Ready", func(e Event) bool { return e.Kind == Ready })

			if atStart {
				now := time.Now()
				if err := os.Chtimes(fifo, now, now); err != nil {
					t.Fatal(err)
				}
			} else {
				mkfifo()
			}
			// Touched again: still one warning.
			now := time.Now()
			if err := os.Chtimes(fifo, now, now); err != nil {
				t.Fatal(err)
			}
			// The watcher is not stuck: the stall in the other file gets
			// through.
			appendFile(t, path, []byte(errorLine("e1", ts+"3.000Z")))
			e := r.wait(t, "the stall in the other file", changedTo(path, "e1"))
			if e.Session.State != Stalled {
				t.Fatalf("other file: %+v", e.Session)
			}
			for _, ev := range r.events {
				if ev.Kind == SessionChanged && ev.Session.Transcript == fifo {
					t.Errorf("the FIFO was reported as a session: %+v", ev.Session)
				}
			}
			isWarning := func(e Event) bool {
				return e.Kind == Warning && strings.Contains(e.Err.Error(), fifo) && strings.Contains(e.Err.Error(), "named pipe")
			}
			warned := 0
			for _, ev := range r.events {
				if isWarning(ev) {
					warned++
				}
			}
			if warned == 0 { // it may come in the same batch, after the stall
				r.wait(t, "a warning about the FIFO", isWarning)
				warned++
			}
			if warned != 1 {
				t.Errorf("%d warnings about the FIFO, want 1", warned)
			}

			stopped := time.Now()
			cancel()
			go func() {
				for range w.Events() {
				}
			}()
			select {
			case err := <-r.done:
				r.done <- err // for the cleanup
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-testwait.After(t): // a hang, not a slow machine
				t.Fatalf("Run still running at the test's deadline after the stop")
			}
			t.Logf("stopping took %v", time.Since(stopped))
		})
	}
}

// A transcript that grows by gigabytes at once (here `truncate -s 64G`,
// read as zeros as on a file system that does not report holes: a runaway
// or hostile writer) is read in bounded steps: another file's stall still
// gets through promptly and a stop returns at once, instead of after the
// whole file was read.
func TestHugeGrowthDoesNotHoldTheWatcher(t *testing.T) {
	eachBackend(t, testHugeGrowthDoesNotHoldTheWatcher)
}

func testHugeGrowthDoesNotHoldTheWatcher(t *testing.T, o options) {
	root, proj := newRoot(t)
	huge := filepath.Join(proj, "huge.jsonl")
	other := filepath.Join(proj, "other.jsonl")
	writeFile(t, huge, []byte(replyLine("h1", ts+"1.000Z")))
	writeFile(t, other, []byte(replyLine("o1", ts+"1.000Z")))
	fsys := newCountingFS()
	fsys.hideHoles = true
	w, err := newWatcher(Config{Roots: []string{root}, Loc: time.UTC}, o.with(fsys))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{w: w, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- w.Run(ctx) }()
	defer func() {
		cancel()
		for range w.Events() {
		}
	}()
	r.wait(t, "Ready", func(e Event) bool { return e.Kind == Ready })

	if err := os.Truncate(huge, 64<<30); err != nil {
		t.Skipf("cannot make a 64 GiB sparse file here: %v", err)
	}
	testkit.WaitFor(t, "the growth to be read", func() bool { return fsys.bytes(huge) >= 1<<20 },
		func() string { return fmt.Sprintf("%d bytes read", fsys.bytes(huge)) })
	appendFile(t, other, []byte(errorLine("e1", ts+"2.000Z")))
	e := r.waitFor(t, "the stall in the other file", 10*time.Second, changedTo(other, "e1"))
	if e.Session.State != Stalled {
		t.Fatalf("other file: %+v", e.Session)
	}

	stopped := time.Now()
	cancel()
	go func() {
		for range w.Events() {
		}
	}()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-testwait.After(t): // a hang; that the stop came at once is the bytes read, checked below
		t.Fatalf("Run still running at the test's deadline after the stop (%d bytes of the huge file read)", fsys.bytes(huge))
	}
	t.Logf("stopping took %v", time.Since(stopped))
	if n := fsys.bytes(huge); n >= 64<<30 {
		t.Errorf("read all %d bytes before stopping", n)
	}
}

// A sparse hole appended to a transcript (`truncate -s 64G`) is skipped
// with SEEK_DATA, not read: the line it lies in is dropped with one
// warning, and the error line written after the hole is seen at once,
// having read almost nothing of the 64 GiB.
func TestSparseHoleIsSkipped(t *testing.T) { eachBackend(t, testSparseHoleIsSkipped) }

func testSparseHoleIsSkipped(t *testing.T, o options) {
	root, proj := newRoot(t)
	huge := filepath.Join(proj, "huge.jsonl")
	writeFile(t, huge, []byte(replyLine("h1", ts+"1.000Z")))
	fsys := newCountingFS()
	w, err := newWatcher(Config{Roots: []string{root}, Loc: time.UTC}, o.with(fsys))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{w: w, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- w.Run(ctx) }()
	defer func() {
		cancel()
		for range w.Events() {
		}
		<-r.done
	}()
	r.wait(t, "Ready", func(e Event) bool { return e.Kind == Ready })
	if err := os.Truncate(huge, 64<<30); err != nil {
		t.Skipf("cannot make a 64 GiB sparse file here: %v", err)
	}
	appendFile(t, huge, []byte("\n"+errorLine("e1", ts+"2.000Z")))
	e := r.waitFor(t, "the error after the hole", 10*time.Second, changedTo(huge, "e1"))
	if e.Session.State != Stalled {
		t.Fatalf("after the hole: %+v", e.Session)
	}
	if n := fsys.bytes(huge); n >= 4<<20 {
		t.Errorf("read %d bytes of the hole, want it skipped", n)
	}
	// The warning may come before the error (the truncation read on its
	// own, on a loaded machine) or after it (both read in one pass).
	holeWarning := func(e Event) bool { return e.Kind == Warning && strings.Contains(e.Err.Error(), "hole") }
	if !slices.ContainsFunc(r.events, holeWarning) {
		r.wait(t, "a warning about the hole", holeWarning)
	}
}
