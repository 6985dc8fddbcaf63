package resume

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// fakeReopener is the Spawner and HolderFinder of the unit tests: it
// records spawns, answers holders from what the test set, and (comeUp) puts
// the spawned session in a ready pane of the fake actor, like a client that
// started and shows its prompt.
type fakeReopener struct {
	mu      sync.Mutex
	actor   *fakeActor
	holders []procs.Holder
	err     error
	spawns  []mux.SpawnSpec
	comeUp  bool
	n       int
	onSpawn func() // runs inside Spawn (on the job's goroutine)
}

func (f *fakeReopener) Holders(context.Context, watch.Session) ([]procs.Holder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.holders), f.err
}

func (f *fakeReopener) Spawn(_ context.Context, spec mux.SpawnSpec) (string, error) {
	f.mu.Lock()
	f.spawns = append(f.spawns, spec)
	f.n++
	pane := "%new" + string(rune('0'+f.n))
	up, hook := f.comeUp, f.onSpawn
	f.mu.Unlock()
	if hook != nil {
		hook()
	}
	if up {
		id := strings.TrimPrefix(spec.Argv[len(spec.Argv)-1], "--resume=")
		f.actor.addPane(id, pane)
	}
	return pane, nil
}

func (f *fakeReopener) spawned() []mux.SpawnSpec {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.spawns)
}

func (f *fakeReopener) set(hs []procs.Holder, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.holders, f.err = hs, err
}

// The sessions of these tests: ids of the shape Claude Code writes.
const (
	sid1 = "5e551017-0000-4000-8000-000000000001"
	sid2 = "5e551017-0000-4000-8000-000000000002"
)

// rstall is stall with a cwd that exists: reopening runs only there.
func rstall(t *testing.T, id, errUUID string, kind classify.Kind, attempts int, errAt time.Time) watch.Session {
	t.Helper()
	s := stall(id, errUUID, kind, attempts, errAt)
	s.Cwd = filepath.Join(t.TempDir(), "proj")
	if err := os.Mkdir(s.Cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	return s
}

// reopenHarness is a harness whose engine may reopen (auto: --reopen).
func reopenHarness(t *testing.T, auto bool, mod func(*Config)) (*harness, *fakeReopener) {
	t.Helper()
	r := &fakeReopener{comeUp: true}
	h := newHarness(t, func(c *Config) {
		c.Reopen = ReopenConfig{Auto: auto, ClaudeBin: "/opt/claude/bin/claude", Home: "/home/dev", Spawner: r, Holders: r}
		if mod != nil {
			mod(c)
		}
	})
	r.actor = h.actor
	return h, r
}

func TestReopenResumesASessionWhoseProcessIsGone(t *testing.T) {
	h, r := reopenHarness(t, true, nil)
	s := rstall(t, sid1, "e1", classify.Throttle, 1, t0)
	h.send(s)
	h.advance(2 * time.Minute)
	sp := r.spawned()
	if len(sp) != 1 {
		t.Fatalf("%d spawns, want 1", len(sp))
	}
	want := mux.SpawnSpec{Cwd: s.Cwd, Env: []string{"CLAUDE_CONFIG_DIR=" + testRoot}, Argv: []string{"/opt/claude/bin/claude", "--resume=" + sid1}}
	if !slices.Equal(sp[0].Argv, want.Argv) || sp[0].Cwd != want.Cwd || !slices.Equal(sp[0].Env, want.Env) {
		t.Fatalf("spawned %+v, want %+v", sp[0], want)
	}
	h.wantCalls("type %new1 continue", 1)
	st := h.status(sid1)
	if !hasAction(st.History, "reopened") {
		t.Fatalf("no reopened action: %v", whats(st.History))
	}
	if !strings.Contains(st.Reopen, "claude --resume="+sid1) {
		t.Fatalf("status shows reopen command %q", st.Reopen)
	}
	h.send(working(s, "u2", t0.Add(3*time.Minute)))
	h.wantPhase(sid1, Resumed)
}

// The decision: when reopening may happen, and how often.
func TestReopenDecision(t *testing.T) {
	held := []procs.Holder{{PID: 4242, Why: "it runs in the session's cwd under its root"}}
	cases := []struct {
		name     string
		auto     bool
		ask      bool // the user's key (Engine.Reopen)
		kind     classify.Kind
		holders  []procs.Holder
		err      error
		dryRun   bool
		comeUp   bool
		spawns   int
		why      string // in the reason or the history
		typeCall int
	}{
		{name: "auto, nothing holds it", auto: true, kind: classify.Throttle, comeUp: true, spawns: 1, typeCall: 1},
		{name: "a live process holds it", auto: true, kind: classify.Throttle, holders: held, why: "pid 4242"},
		{name: "holders unknown", auto: true, kind: classify.Throttle, err: errors.New("proc: permission denied"), why: "unknown"},
		{name: "fatal error", auto: true, ask: true, kind: classify.Fatal},
		{name: "not asked", kind: classify.Throttle},
		{name: "asked by key", ask: true, kind: classify.Throttle, comeUp: true, spawns: 1, typeCall: 1},
		{name: "asked, but held", ask: true, kind: classify.Throttle, holders: held, why: "pid 4242"},
		{name: "dry run", auto: true, kind: classify.Throttle, dryRun: true, why: "would reopen"},
		{name: "never comes up: once per stall", auto: true, kind: classify.Throttle, spawns: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, r := reopenHarness(t, c.auto, func(cfg *Config) { cfg.DryRun = c.dryRun })
			r.comeUp = c.comeUp
			r.set(c.holders, c.err)
			h.send(rstall(t, sid1, "e1", c.kind, 1, t0))
			if c.ask {
				h.e.Reopen(sid1)
			}
			h.advance(30 * time.Minute) // many guard re-checks
			if got := len(r.spawned()); got != c.spawns {
				t.Fatalf("%d spawns, want %d; history %v", got, c.spawns, whats(h.status(sid1).History))
			}
			h.wantCalls("type", c.typeCall)
			if c.why != "" {
				st := h.status(sid1)
				text := st.Reason
				for _, a := range st.History {
					text += "\n" + a.Reason
				}
				if !strings.Contains(text, c.why) {
					t.Fatalf("reason and history do not say %q:\n%s", c.why, text)
				}
			}
		})
	}
}

// A new error is a new stall: it may be reopened once more.
func TestReopenOncePerStallAgainForANewStall(t *testing.T) {
	h, r := reopenHarness(t, true, nil)
	r.comeUp = false
	h.send(rstall(t, sid1, "e1", classify.Throttle, 1, t0))
	h.advance(20 * time.Minute)
	h.send(rstall(t, sid1, "e2", classify.Throttle, 2, t0.Add(20*time.Minute)))
	h.advance(20 * time.Minute)
	if got := len(r.spawned()); got != 2 {
		t.Fatalf("%d spawns over two stalls, want 2", got)
	}
	h.wantCalls("type", 0)
}

// The reopen is in the state file before the window starts: a restarted
// ccwake does not reopen the same stall again.
func TestReopenPersistedAcrossRestart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	s := rstall(t, sid1, "e1", classify.Throttle, 1, t0)
	h1, r1 := reopenHarness(t, true, func(c *Config) { c.StateFile = state })
	r1.comeUp = false
	h1.send(s)
	h1.advance(5 * time.Minute)
	if got := len(r1.spawned()); got != 1 {
		t.Fatalf("first run: %d spawns, want 1", got)
	}
	h2, r2 := reopenHarness(t, true, func(c *Config) { c.StateFile = state })
	r2.comeUp = false
	h2.send(s)
	h2.advance(30 * time.Minute)
	if got := len(r2.spawned()); got != 0 {
		t.Fatalf("after a restart: %d spawns, want 0", got)
	}
	h2.e.Reopen(sid1)
	h2.advance(5 * time.Minute)
	if got := len(r2.spawned()); got != 0 {
		t.Fatalf("after a restart and the key: %d spawns, want 0", got)
	}
}

// claude --resume may write a new file whose copied entries carry the
// error's uuid: that file is the continuation, and the user's ask goes
// with it even with auto-resume off; the old file stops acting.
func TestReopenFollowsTheNewTranscript(t *testing.T) {
	h, r := reopenHarness(t, false, func(c *Config) { c.Auto = false })
	r.comeUp = false
	old := rstall(t, sid1, "e1", classify.Throttle, 1, t0)
	h.send(old)
	h.e.Reopen(sid1)
	h.advance(10 * time.Second)
	if got := len(r.spawned()); got != 1 {
		t.Fatalf("%d spawns, want 1", got)
	}
	cont := old
	cont.ID, cont.Transcript = sid2, "/t/s2.jsonl"
	h.actor.addPane(sid2, "%new1")
	before := h.actor.count("locate " + sid1)
	h.send(cont)
	h.advance(time.Minute)
	h.wantCalls("type %new1 continue", 1)
	h.advance(10 * time.Minute)
	h.wantCalls("locate "+sid1, before) // the old file no longer looks for a pane
	st := h.status(sid1)
	if st.Phase != Watching || !strings.Contains(st.Reason, "/t/s2.jsonl") {
		t.Fatalf("old file: %s (%s), want watching, continues in /t/s2.jsonl", st.Phase, st.Reason)
	}
	if got := len(r.spawned()); got != 1 {
		t.Fatalf("%d spawns, want 1", got)
	}
}

func TestReopenSpecRoot(t *testing.T) {
	s := watch.Session{ID: sid1, Cwd: "/home/dev/my proj"}
	for _, c := range []struct {
		root string
		env  []string
		line string
	}{
		{"/home/dev/.claude", nil, "cd '/home/dev/my proj' && /usr/bin/claude --resume=" + sid1},
		{"/home/dev/.claude-work", []string{"CLAUDE_CONFIG_DIR=/home/dev/.claude-work"},
			"cd '/home/dev/my proj' && CLAUDE_CONFIG_DIR=/home/dev/.claude-work /usr/bin/claude --resume=" + sid1},
	} {
		s.Root = c.root
		spec, err := ReopenSpec(s, "/usr/bin/claude", "/home/dev")
		if err != nil || !slices.Equal(spec.Env, c.env) || spec.String() != c.line {
			t.Errorf("root %s: env %q line %q (%v), want %q %q", c.root, spec.Env, spec.String(), err, c.env, c.line)
		}
	}
}

func TestProcHolders(t *testing.T) {
	root := t.TempDir()
	s := watch.Session{ID: "sess-1", Cwd: "/work/p", Root: root}
	other := filepath.Join(t.TempDir(), "other-root")
	cases := []struct {
		name   string
		env    []string
		cwd    string
		cwdErr error
		want   int
	}{
		{"same cwd, same root", []string{"CLAUDE_CONFIG_DIR=" + root}, "/work/p", nil, 1},
		{"same cwd, root unknown", nil, "/work/p", nil, 1},
		{"same cwd, another root", []string{"CLAUDE_CONFIG_DIR=" + other}, "/work/p", nil, 0},
		{"another cwd", []string{"CLAUDE_CONFIG_DIR=" + root}, "/work/q", nil, 0},
		{"exited, not reaped (cwd unreadable)", nil, "", nil, 0},
		{"live, cwd unreadable (another user's): a doubt", nil, "/work/p", errors.New("permission denied"), 1},
		{"exiting (its fs released)", nil, "/work/p", fmt.Errorf("cwd: %w", procs.ErrExiting), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			table := newFakeProcs()
			table.Add(procs.Proc{PID: 10, PPID: 1, Comm: "claude", Start: "100", Exited: c.cwd == ""}, c.cwd)
			table.Add(procs.Proc{PID: 11, PPID: 1, Comm: "bash", Start: "100"}, "/work/p")
			if c.env != nil {
				table.EnvOf[10] = c.env
			}
			if c.cwdErr != nil {
				table.CwdErr = map[int]error{10: c.cwdErr}
			}
			hs, err := procs.HolderFinder{Procs: table}.Holders(context.Background(), s)
			if err != nil || len(hs) != c.want {
				t.Fatalf("holders %+v, %v; want %d", hs, err, c.want)
			}
		})
	}
}

// The resumed client may write its new file before Spawn returns: the old
// file must not go on looking for a pane once the new one took over.
func TestReopenNewFileBeforeSpawnReturns(t *testing.T) {
	h, r := reopenHarness(t, true, nil)
	r.comeUp = false
	old := rstall(t, sid1, "e1", classify.Throttle, 1, t0)
	cont := old
	cont.ID, cont.Transcript = sid2, "/t/s2.jsonl"
	r.onSpawn = func() {
		h.actor.addPane(sid2, "%new1")
		h.sendAsync(cont)
	}
	h.send(old)
	h.advance(time.Minute)
	h.wantCalls("type %new1 continue", 1)
	before := h.actor.count("locate " + sid1)
	h.advance(10 * time.Minute)
	h.wantCalls("locate "+sid1, before)
	if st := h.status(sid1); st.Phase != Watching {
		t.Fatalf("old file: %s (%s), want watching", st.Phase, st.Reason)
	}
}
