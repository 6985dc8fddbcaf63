package resume

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/statefile"
	"github.com/ccwake/ccwake/watch"
)

// Restarts with a real watcher on real transcript files, a real state file
// and the fake actor (which never changes the transcript: the continue is
// "lost", so only the state file stands between a restart and a second
// continue for the same error).

func tUserLine(sid, uuid string, at time.Time, text string) string {
	return fmt.Sprintf(`{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":%q},"uuid":%q,"timestamp":%q,"cwd":"/home/dev/work","sessionId":%q,"version":"2.1.330"}`+"\n",
		text, uuid, at.UTC().Format(time.RFC3339Nano), sid)
}

func tErrorLine(sid, uuid string, at time.Time) string {
	return fmt.Sprintf(`{"parentUuid":"p","isSidechain":false,"type":"assistant","message":{"model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"}]},"isApiErrorMessage":true,"error":"rate_limit","apiErrorStatus":429,"uuid":%q,"timestamp":%q,"cwd":"/home/dev/work","sessionId":%q,"version":"2.1.330"}`+"\n",
		uuid, at.UTC().Format(time.RFC3339Nano), sid)
}

// stateWorld is a Claude root with one project dir and a state file path.
type stateWorld struct {
	t     *testing.T
	root  string
	proj  string
	state string
}

func newStateWorld(t *testing.T) *stateWorld {
	base := t.TempDir()
	w := &stateWorld{t: t, root: filepath.Join(base, "claude"), state: filepath.Join(base, "xdg-state", "ccwake", "state.json")}
	w.proj = filepath.Join(w.root, "projects", "-home-dev-work")
	if err := os.MkdirAll(w.proj, 0o755); err != nil {
		t.Fatal(err)
	}
	return w
}

// stalledTranscript writes file (in the project dir) whose newest entry is
// the 429 errUUID of session sid.
func (w *stateWorld) stalledTranscript(file, sid, errUUID string) string {
	now := time.Now()
	path := filepath.Join(w.proj, file)
	body := tUserLine(sid, "u-"+errUUID, now.Add(-20*time.Second), "say hi") + tErrorLine(sid, errUUID, now.Add(-10*time.Second))
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return path
}

type stateEngine struct {
	e     *Engine
	actor *fakeActor
	stop  func()
}

// start runs an engine with the real watcher on w.root, holding the root
// (as LockRoots would), the fake actor with sid in pane %1, and mod applied.
func (w *stateWorld) start(sid string, mod func(*Config)) *stateEngine {
	t := w.t
	cfg := DefaultConfig()
	cfg.Auto = true
	cfg.LockedRoots = []string{w.root}
	cfg.StateFile = w.state
	cfg.Throttle = Backoff{Base: 10 * time.Millisecond, Cap: 50 * time.Millisecond}
	cfg.BlockedBase, cfg.BlockedCap = 20*time.Millisecond, 100*time.Millisecond
	cfg.ConfirmWait, cfg.ConfirmFinal = 50*time.Millisecond, 100*time.Millisecond
	cfg.Seed = 1
	if mod != nil {
		mod(&cfg)
	}
	actor := newFakeActor()
	actor.addPane(sid, "%1")
	e := New(cfg, actor, RealClock{}, newTestLogger(t))
	wt, err := watch.New(watch.Config{Roots: []string{w.root}, Since: time.Hour, Loc: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	wdone, edone := make(chan error, 1), make(chan error, 1)
	go func() { wdone <- wt.Run(ctx) }()
	go func() { edone <- e.Run(ctx, wt.Events()) }()
	stopped := false
	se := &stateEngine{e: e, actor: actor}
	se.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-edone; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("engine: %v", err)
		}
		if err := <-wdone; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("watcher: %v", err)
		}
	}
	t.Cleanup(se.stop)
	return se
}

func (se *stateEngine) status(sid string) (Status, bool) {
	for _, st := range se.e.Snapshot().Sessions {
		if st.Session.ID == sid {
			return st, true
		}
	}
	return Status{}, false
}

// settled: sid is tracked with error errUUID as its newest entry and the
// engine has nothing scheduled.
func (se *stateEngine) settled(sid, errUUID string) func() bool {
	return func() bool {
		st, ok := se.status(sid)
		if !ok || st.Session.LastUUID != errUUID {
			return false
		}
		ch := make(chan bool, 1)
		se.e.do(func() { ch <- se.e.nextDue().IsZero() })
		select {
		case idle := <-ch:
			return idle
		case <-time.After(time.Second):
			return false
		}
	}
}

func (se *stateEngine) dump(sid string) func() string {
	return func() string {
		var b strings.Builder
		fmt.Fprintf(&b, "actor calls: %q\n", se.actor.Calls())
		if st, ok := se.status(sid); ok {
			fmt.Fprintf(&b, "phase %s reason %q\n", st.Phase, st.Reason)
			for _, a := range st.History {
				fmt.Fprintf(&b, "  %s: %s\n", a.What, a.Reason)
			}
		}
		for _, a := range se.e.Snapshot().Log {
			if a.SessionID == "" {
				fmt.Fprintf(&b, "log %s: %s\n", a.What, a.Reason)
			}
		}
		return b.String()
	}
}

func TestStateNoSecondContinueAfterRestart(t *testing.T) {
	w := newStateWorld(t)
	path := w.stalledTranscript("sess-a.jsonl", "sess-a", "err-1")
	first := w.start("sess-a", nil)
	waitUntil(t, 10*time.Second, "the first continue", func() bool { return first.actor.count("type") == 1 }, first.dump("sess-a"))
	waitUntil(t, 10*time.Second, "the first engine to give up confirming", first.settled("sess-a", "err-1"), first.dump("sess-a"))
	first.stop()

	// Restart: a new engine, the same state file.
	second := w.start("sess-a", nil)
	waitUntil(t, 10*time.Second, "the restarted engine to settle", second.settled("sess-a", "err-1"), second.dump("sess-a"))
	if n := second.actor.count("type"); n != 0 {
		t.Fatalf("restarted engine typed %d times for the same error\n%s", n, second.dump("sess-a")())
	}
	if st, _ := second.status("sess-a"); st.Phase != Unconfirmed || !strings.Contains(st.Reason, "before a restart") {
		t.Fatalf("phase %s reason %q, want unconfirmed, typed before a restart", st.Phase, st.Reason)
	}

	goneAndBack(t, second, path, "sess-a", "err-1")
	second.stop()

	// A new error in the same file is a new stall: typed once, as ever.
	appendLine(t, path, tErrorLine("sess-a", "err-2", time.Now()))
	third := w.start("sess-a", nil)
	waitUntil(t, 10*time.Second, "the continue for the new error", func() bool { return third.actor.count("type") == 1 }, third.dump("sess-a"))
	waitUntil(t, 10*time.Second, "settled", third.settled("sess-a", "err-2"), third.dump("sess-a"))
	if n := third.actor.count("type"); n != 1 {
		t.Fatalf("%d continues for the new error, want 1\n%s", n, third.dump("sess-a")())
	}
}

// claude --resume writes a second file with the same session id and the
// old error entries copied in: an error typed for in one file is never
// typed for in its copy.
func TestStateCopiedErrorInAnotherFile(t *testing.T) {
	w := newStateWorld(t)
	orig := w.stalledTranscript("orig.jsonl", "sess-b", "err-9")
	first := w.start("sess-b", nil)
	waitUntil(t, 10*time.Second, "the continue", func() bool { return first.actor.count("type") == 1 }, first.dump("sess-b"))
	waitUntil(t, 10*time.Second, "settled", first.settled("sess-b", "err-9"), first.dump("sess-b"))
	first.stop()

	// The original file moves out of the root; its copy (same entries,
	// same uuids) is what the next engine sees.
	b, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, os.Rename(orig, filepath.Join(t.TempDir(), "orig.jsonl")))
	mustDo(t, os.WriteFile(filepath.Join(w.proj, "copy.jsonl"), b, 0o644))
	second := w.start("sess-b", nil)
	waitUntil(t, 10*time.Second, "settled on the copy", second.settled("sess-b", "err-9"), second.dump("sess-b"))
	st, _ := second.status("sess-b")
	if n := second.actor.count("type"); n != 0 || !strings.HasSuffix(st.Session.Transcript, "copy.jsonl") {
		t.Fatalf("typed %d times into the copy (%s)\n%s", n, st.Session.Transcript, second.dump("sess-b")())
	}
	if !strings.Contains(st.Reason, "orig.jsonl") {
		t.Fatalf("reason %q does not name the file typed for", st.Reason)
	}
}

// A state file that cannot be read back (here truncated, no second copy) is
// never "nothing was typed": the stall that predates the start is left to a
// human and said so; an error that comes after the start is typed for once;
// and the loss survives the write that repairs the file and a restart.
func TestStateLostLeavesOlderStallsToHuman(t *testing.T) {
	for name, content := range map[string]string{"truncated": `{"version":1,"typed":[{"file":`, "empty": "", "garbage": "\x00\xff"} {
		t.Run(name, func(t *testing.T) {
			w := newStateWorld(t)
			file := w.stalledTranscript("sess-c.jsonl", "sess-c", "err-3")
			mustDo(t, os.MkdirAll(filepath.Dir(w.state), 0o700))
			mustDo(t, os.WriteFile(w.state, []byte(content), 0o600))
			se := w.start("sess-c", nil)
			warned := func() bool {
				for _, a := range se.e.Snapshot().Log {
					if a.What == "warning" && strings.Contains(a.Reason, w.state) && strings.Contains(a.Reason, "lost") {
						return true
					}
				}
				return false
			}
			if !warned() {
				t.Fatalf("no warning about the unreadable file\n%s", se.dump("sess-c")())
			}
			if p := se.e.Snapshot().StateProblem; !strings.Contains(p, "lost") || !strings.Contains(p, w.root) {
				t.Fatalf("snapshot's state problem %q: want the loss under %s (the dashboard's banner)", p, w.root)
			}
			left := func(se *stateEngine) func() bool {
				return func() bool {
					st, ok := se.status("sess-c")
					return ok && st.Session.LastUUID == "err-3" && st.Phase == Unconfirmed && strings.Contains(st.Reason, "resume it yourself")
				}
			}
			waitUntil(t, 10*time.Second, "the old stall left to a human", left(se), se.dump("sess-c"))
			waitUntil(t, 10*time.Second, "settled", se.settled("sess-c", "err-3"), se.dump("sess-c"))
			if n := se.actor.count("type"); n != 0 {
				t.Fatalf("typed %d times for a stall that predates the loss", n)
			}
			// A new error after the start is ccwake's: typed for once.
			now := time.Now()
			f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
			mustDo(t, err)
			_, err = f.WriteString(tUserLine("sess-c", "u-err-4", now, "go on") + tErrorLine("sess-c", "err-4", now.Add(time.Millisecond)))
			mustDo(t, err)
			mustDo(t, f.Close())
			waitUntil(t, 10*time.Second, "the continue for the new error", func() bool { return se.actor.count("type") == 1 }, se.dump("sess-c"))
			waitUntil(t, 10*time.Second, "settled", se.settled("sess-c", "err-4"), se.dump("sess-c"))
			se.stop()

			st, err := statefile.Open(w.state, statefile.Options{Warn: func(err error) { t.Errorf("still unreadable: %v", err) }})
			mustDo(t, err)
			if rec, ok := st.Data().TypedFor("err-4"); !ok || rec.Pane != "%1" || st.Data().Lost.IsZero() {
				t.Fatalf("record after the repair: %+v %v, lost %v: want err-4 typed and the loss kept", rec, ok, st.Data().Lost)
			}
			// A restart: the file reads back now, the loss is still known,
			// and nothing is typed again.
			se2 := w.start("sess-c", nil)
			waitUntil(t, 10*time.Second, "settled after the restart", se2.settled("sess-c", "err-4"), se2.dump("sess-c"))
			if n := se2.actor.count("type"); n != 0 {
				t.Fatalf("typed %d times after the restart", n)
			}
			if p := se2.e.Snapshot().StateProblem; !strings.Contains(p, "lost") {
				t.Fatalf("the loss was forgotten by the restart: %q", p)
			}
		})
	}
}

// A state file that exists but cannot be read: what was typed before is
// unknown, so nothing is typed.
func TestStateUnusableNeverTypes(t *testing.T) {
	w := newStateWorld(t)
	w.stalledTranscript("sess-d.jsonl", "sess-d", "err-4")
	mustDo(t, os.MkdirAll(w.state, 0o700)) // a directory where the file should be
	se := w.start("sess-d", nil)
	waitUntil(t, 10*time.Second, "the refusal", func() bool {
		st, ok := se.status("sess-d")
		return ok && st.Phase == Blocked && strings.Contains(st.Reason, "unusable, so not typing")
	}, se.dump("sess-d"))
	if n := se.actor.count("type"); n != 0 {
		t.Fatalf("typed %d times without a usable state file", n)
	}
}

// Pause and dismissal survive a restart.
func TestStatePauseAndDismissSurviveRestart(t *testing.T) {
	w := newStateWorld(t)
	w.stalledTranscript("p.jsonl", "sess-p", "err-5")
	w.stalledTranscript("d.jsonl", "sess-d2", "err-6")
	mod := func(c *Config) { c.Auto = false } // nothing typed while the user decides
	first := w.start("sess-p", mod)
	waitUntil(t, 10*time.Second, "both seen", func() bool {
		_, a := first.status("sess-p")
		_, b := first.status("sess-d2")
		return a && b
	}, first.dump("sess-p"))
	first.e.Pause("sess-p", true)
	first.e.Dismiss("sess-d2")
	waitUntil(t, 10*time.Second, "paused and dismissed", func() bool {
		a, _ := first.status("sess-p")
		b, _ := first.status("sess-d2")
		return a.Phase == Paused && b.Phase == Dismissed
	}, first.dump("sess-p"))
	first.stop()

	second := w.start("sess-p", nil) // auto on now
	second.actor.addPane("sess-d2", "%2")
	waitUntil(t, 10*time.Second, "paused and dismissed after the restart", func() bool {
		a, _ := second.status("sess-p")
		b, _ := second.status("sess-d2")
		return a.Phase == Paused && b.Phase == Dismissed
	}, second.dump("sess-p"))
	if n := second.actor.count("type"); n != 0 {
		t.Fatalf("typed %d times into a paused or dismissed session", n)
	}
	second.e.Pause("sess-p", false)
	waitUntil(t, 10*time.Second, "the unpaused session resumed", func() bool { return second.actor.count("type %1") == 1 }, second.dump("sess-p"))
	second.stop()
	st, err := statefile.Open(w.state, statefile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := st.Data(); d.IsPaused(filepath.Join(w.proj, "p.jsonl")) || !d.IsDismissed(filepath.Join(w.proj, "d.jsonl"), "err-6") {
		t.Fatalf("state after unpause: %+v", d)
	}
}

// goneAndBack renames the transcript away and back, then deletes it and
// writes it again, and checks that se never types for it.
func goneAndBack(t *testing.T, se *stateEngine, path, sid, errUUID string) {
	t.Helper()
	away := filepath.Join(t.TempDir(), "away.jsonl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before := se.actor.count("type")
	for _, gone := range []func(){
		func() { mustDo(t, os.Rename(path, away)) },
		func() { mustDo(t, os.Remove(path)) },
	} {
		gone()
		waitUntil(t, 10*time.Second, "the transcript to be gone", func() bool { _, ok := se.status(sid); return !ok }, se.dump(sid))
		if _, err := os.Stat(away); err == nil {
			mustDo(t, os.Rename(away, path))
		} else {
			mustDo(t, os.WriteFile(path, b, 0o644))
		}
		waitUntil(t, 10*time.Second, "the transcript back", se.settled(sid, errUUID), se.dump(sid))
		if n := se.actor.count("type") - before; n != 0 {
			t.Fatalf("typed %d times after the transcript went and came back\n%s", n, se.dump(sid)())
		}
	}
}

// Within one run: a transcript deleted or renamed away and back is the
// same error, typed for once.
func TestStateTranscriptGoneAndBack(t *testing.T) {
	w := newStateWorld(t)
	path := w.stalledTranscript("sess-g.jsonl", "sess-g", "err-7")
	se := w.start("sess-g", nil)
	waitUntil(t, 10*time.Second, "the continue", func() bool { return se.actor.count("type") == 1 }, se.dump("sess-g"))
	waitUntil(t, 10*time.Second, "settled", se.settled("sess-g", "err-7"), se.dump("sess-g"))
	goneAndBack(t, se, path, "sess-g", "err-7")
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func appendLine(t *testing.T, path, line string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(line); err != nil {
		t.Fatal(err)
	}
}
