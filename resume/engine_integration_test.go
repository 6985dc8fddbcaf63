package resume

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/statefile"
	"github.com/ccwake/ccwake/watch/classify"
)

// End-to-end scenarios: the fake Claude in real tmux panes on a private
// socket, the real watcher on a temp Claude root, the engine with the real
// pane.Actor and short backoffs. Assertions read the transcripts and the
// screens, never the engine's word alone.

// itEngine is one ccwake instance: its own watcher, actor and engine.
type itEngine struct {
	e     *Engine
	actor *recActor
	run   func()
}

// newEngine builds an instance on env's root; it locks the root (real flock
// in a temp runtime dir) unless another instance already did. run starts it.
func (env *itEnv) newEngine(clock Clock, mod func(*Config)) *itEngine {
	t := env.t
	locked, heldBy, release, err := LockRoots([]string{env.root})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
	cfg := DefaultConfig()
	cfg.Auto = true
	cfg.Roots = []string{env.root}
	cfg.LockedRoots, cfg.LockHeldBy = locked, heldBy
	cfg.Throttle = Backoff{Base: 200 * time.Millisecond, Cap: time.Second}
	cfg.ResetMargin = 2 * time.Second
	cfg.BlockedBase, cfg.BlockedCap = 200*time.Millisecond, time.Second
	cfg.NoPaneRecheck = time.Second // sessions no pane runs are looked for again each second
	cfg.Seed = 1
	// Real terminals on a loaded machine (these tests run side by side):
	// screen was seen to take over 5 s between the text and its Enter.
	// What the tests prove does not rest on the product's bounds; a test
	// that does sets them itself (mod).
	cfg.AttemptBudget, cfg.ConfirmFinal = time.Minute, 30*time.Second
	if mod != nil {
		mod(&cfg)
	}
	actor := newRecActor(pane.New(pane.Config{Socket: env.sock, Backends: env.backends, ScreenDir: env.screenDir, KittyListenOn: env.kittyTo}))
	ie := &itEngine{actor: actor}
	ie.e = New(cfg, actor, clock, newTestLogger(t))
	ie.run = func() { runWatched(t, ie.e, env.root) }
	return ie
}

func (ie *itEngine) status(id string) (Status, bool) {
	for _, st := range ie.e.Snapshot().Sessions {
		if st.Session.ID == id {
			return st, true
		}
	}
	return Status{}, false
}

func (ie *itEngine) phaseIs(id string, p Phase) func() bool {
	return func() bool { st, ok := ie.status(id); return ok && st.Phase == p }
}

// idle reports whether the engine has nothing scheduled.
func (ie *itEngine) idle() bool {
	ch := make(chan bool)
	ie.e.do(func() { ch <- ie.e.nextDue().IsZero() && ie.e.inflight == 0 })
	return <-ch
}

// dump shows everything a failed scenario needs: screens, typed texts,
// engine states.
func (env *itEnv) dump(sessions []fakeSession, engines ...*itEngine) func() string {
	return func() string {
		var b strings.Builder
		for _, s := range sessions {
			fmt.Fprintf(&b, "--- pane %s (session %s)\n%s\n--- user entries: %q\n", s.Pane, s.ID, env.screen(s.Pane), userTexts(env.t, s.Transcript))
		}
		for i, ie := range engines {
			for _, st := range ie.e.Snapshot().Sessions {
				fmt.Fprintf(&b, "--- engine %d: %s phase %s reason %q pane %q paneErr %q kind %s attempts %d\n", i, st.Session.ID,
					st.Phase, st.Reason, st.Pane, st.PaneErr, st.Session.Kind, st.Session.Attempts)
				for _, a := range st.History {
					fmt.Fprintf(&b, "    %s %s: %s\n", a.Time.Format("15:04:05.000"), a.What, a.Reason)
				}
			}
		}
		return b.String()
	}
}

// itTimeout is when a wait says it is still waiting; it gives up only at
// the test binary's deadline (waitUntil).
const itTimeout = 20 * time.Second

func TestIntegrationThrottleResumedAndConfirmed(t *testing.T) {
	env := newItEnv(t)
	ie := env.newEngine(RealClock{}, nil)
	ie.run()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "429,ok", "say hi")
	dump := env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "the stall to be resumed", ie.phaseIs(s.ID, Resumed), dump)
	waitUntil(t, itTimeout, "the reply on screen", func() bool {
		return strings.Contains(env.screen(s.Pane), "Hello from the fake (1).")
	}, dump)
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
	st, _ := ie.status(s.ID)
	if st.Pane != "tmux:"+s.Pane || !hasAction(st.History, "typed") || !hasAction(st.History, "confirmed") {
		t.Fatalf("status pane %q history %v, want pane %s typed+confirmed\n%s", st.Pane, whats(st.History), s.Pane, dump())
	}
	if ie.actor.n("enter") != 0 {
		t.Errorf("an extra Enter was needed: %d", ie.actor.n("enter"))
	}
}

func TestIntegrationUsageLimitWaitsForReset(t *testing.T) {
	env := newItEnv(t)
	clock := testkit.NewWallClock()
	ie := env.newEngine(clock, nil)
	ie.run()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "5h,ok", "say hi")
	dump := env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "the usage cap to be scheduled", func() bool {
		st, ok := ie.status(s.ID)
		return ok && st.Phase == Waiting && st.Session.Kind == classify.UsageLimit && !st.ResumeAt.IsZero()
	}, dump)
	st, _ := ie.status(s.ID)
	if want := st.Session.ResetsAt.Add(2 * time.Second); !st.ResumeAt.Equal(want) || st.ResumeAt.Before(time.Now().Add(30*time.Minute)) {
		t.Fatalf("resume at %v, want reset %v + 2 s margin, about an hour away", st.ResumeAt, st.Session.ResetsAt)
	}
	// An hour passes in a moment; stop 1.5 s short of the reset plus margin.
	clock.Advance(st.ResumeAt.Sub(clock.Now()) - 1500*time.Millisecond)
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 0 {
		t.Fatalf("typed before the reset\n%s", dump())
	}
	waitUntil(t, itTimeout, "the resume after the reset", ie.phaseIs(s.ID, Resumed), dump)
	st, _ = ie.status(s.ID)
	for _, a := range st.History {
		if a.What == "typed" && a.Time.Before(st.Session.ResetsAt.Add(2*time.Second)) {
			t.Fatalf("typed at %v, before reset+margin\n%s", a.Time, dump())
		}
	}
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
}

func TestIntegrationMaxAttemptsGivesUp(t *testing.T) {
	env := newItEnv(t)
	ie := env.newEngine(RealClock{}, func(c *Config) { c.MaxAttempts = 2 })
	ie.run()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "429,429,429,ok", "say hi")
	dump := env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "gave up", ie.phaseIs(s.ID, GaveUp), dump)
	if !ie.idle() {
		t.Fatalf("gave up but something is still scheduled\n%s", dump())
	}
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 2 {
		t.Fatalf("%d continue entries, want 2 (max attempts)\n%s", n, dump())
	}
	if st, _ := ie.status(s.ID); st.Session.Attempts != 3 {
		t.Fatalf("attempts %d, want 3 errors\n%s", st.Session.Attempts, dump())
	}
}

func TestIntegrationTwoSessionsOneCwd(t *testing.T) {
	env := newItEnv(t)
	ie := env.newEngine(RealClock{}, nil)
	ie.run()
	cwd := filepath.Join(t.TempDir(), "shared")
	quiet := env.start(cwd, "ok", "hello")
	stalled := env.start(cwd, "429,ok", "say hi")
	dump := env.dump([]fakeSession{stalled, quiet}, ie)
	waitUntil(t, itTimeout, "the stalled one resumed", ie.phaseIs(stalled.ID, Resumed), dump)
	if got := userTexts(t, quiet.Transcript); len(got) != 1 || got[0] != "hello" {
		t.Fatalf("the working session got %q\n%s", got, dump())
	}
	if strings.Contains(env.screen(quiet.Pane), "continue") {
		t.Fatalf("continue on the working session's screen\n%s", dump())
	}
	if n := countText(userTexts(t, stalled.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries in the stalled session, want 1\n%s", n, dump())
	}
}

func TestIntegrationSecondInstanceNeverTypes(t *testing.T) {
	env := newItEnv(t)
	first := env.newEngine(RealClock{}, nil)  // takes the lock
	second := env.newEngine(RealClock{}, nil) // finds it held
	second.run()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "429,ok", "say hi")
	dump := env.dump([]fakeSession{s}, first, second)
	waitUntil(t, itTimeout, "the second instance to watch the stall", second.phaseIs(s.ID, Watching), dump)
	if got, want := second.e.Snapshot().LockHeldBy, "pid "+strconv.Itoa(os.Getpid()); got != want {
		t.Fatalf("LockHeldBy %q, want %q", got, want)
	}
	first.run()
	waitUntil(t, itTimeout, "the first instance to resume", first.phaseIs(s.ID, Resumed), dump)
	waitUntil(t, itTimeout, "the second to see it working", second.phaseIs(s.ID, Idle), dump)
	for _, k := range []string{"locate", "type", "enter", "escape"} {
		if n := second.actor.n(k); n != 0 {
			t.Fatalf("second instance called %s %d times\n%s", k, n, dump())
		}
	}
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
}

func TestIntegrationDryRunTypesNothing(t *testing.T) {
	env := newItEnv(t)
	ie := env.newEngine(RealClock{}, func(c *Config) { c.DryRun = true })
	ie.run()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "429,ok", "say hi")
	dump := env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "the dry-run decision", func() bool {
		st, ok := ie.status(s.ID)
		return ok && hasAction(st.History, "dry_run")
	}, dump)
	if !ie.idle() {
		t.Fatalf("dry run left something scheduled\n%s", dump())
	}
	for _, k := range []string{"type", "enter", "escape"} {
		if n := ie.actor.n(k); n != 0 {
			t.Fatalf("dry run called %s %d times\n%s", k, n, dump())
		}
	}
	if got := userTexts(t, s.Transcript); len(got) != 1 {
		t.Fatalf("user entries %q, want only the first prompt\n%s", got, dump())
	}
	if strings.Contains(env.screen(s.Pane), "continue") {
		t.Fatalf("continue on screen\n%s", dump())
	}
}

// 2.1.145 opens its own usage dialog at a cap: after the reset it gets one
// Escape, then the continue goes into the input line it uncovers.
func TestIntegrationUsageDialogEscapedAfterReset(t *testing.T) {
	env := newItEnv(t)
	clock := testkit.NewWallClock()
	ie := env.newEngine(clock, nil)
	ie.run()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "5h,ok", "say hi", "-usage-dialog")
	dump := env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "the usage cap to be scheduled", func() bool {
		st, ok := ie.status(s.ID)
		return ok && st.Phase == Waiting && !st.ResumeAt.IsZero()
	}, dump)
	waitUntil(t, itTimeout, "the probe to find the pane", func() bool {
		st, _ := ie.status(s.ID)
		return st.Pane == "tmux:"+s.Pane
	}, dump)
	if n := ie.actor.n("escape"); n != 0 {
		t.Fatalf("Escape before the reset\n%s", dump())
	}
	st, _ := ie.status(s.ID)
	clock.Advance(st.ResumeAt.Sub(clock.Now()) - 500*time.Millisecond)
	waitUntil(t, itTimeout, "the resume after the dialog", ie.phaseIs(s.ID, Resumed), dump)
	if n := ie.actor.n("escape"); n != 1 {
		t.Fatalf("%d Escapes, want 1\n%s", n, dump())
	}
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
}

// 2.1.330 waits out a cap by itself: the engine shows that, leaves the pane
// alone until reset plus margin, and steps in only when nothing happened.
func TestIntegrationAutoWaitSteppedInAfterMargin(t *testing.T) {
	env := newItEnv(t)
	clock := testkit.NewWallClock()
	ie := env.newEngine(clock, nil)
	ie.run()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "5h,ok", "say hi", "-auto-wait")
	dump := env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "the client's own wait to be shown", func() bool {
		st, ok := ie.status(s.ID)
		return ok && st.Phase == Waiting && strings.Contains(st.Reason, "client continues by itself")
	}, dump)
	st, _ := ie.status(s.ID)
	clock.Advance(st.Session.ResetsAt.Sub(clock.Now()) + time.Second) // past the reset, inside the margin
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 0 {
		t.Fatalf("typed during the client's own wait\n%s", dump())
	}
	waitUntil(t, itTimeout, "the step-in after reset+margin", ie.phaseIs(s.ID, Resumed), dump)
	st, _ = ie.status(s.ID)
	for _, a := range st.History {
		if a.What == "typed" && a.Time.Before(st.Session.ResetsAt.Add(2*time.Second)) {
			t.Fatalf("typed at %v, before reset+margin\n%s", a.Time, dump())
		}
	}
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
}

// lastEntryUUID is the uuid of a transcript's last line.
func lastEntryUUID(t *testing.T, path string) (uuid string, apiError bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var e struct {
		UUID     string `json:"uuid"`
		APIError bool   `json:"isApiErrorMessage"`
	}
	if json.Unmarshal([]byte(lines[len(lines)-1]), &e) != nil {
		return "", false
	}
	return e.UUID, e.APIError
}

// A ccwake stopped between its text and its Enter leaves "continue" in
// the prompt and a pending record in its state file. The next ccwake
// recognises its own text and sends the one missing Enter: the fake Claude
// receives exactly one continue.
func TestIntegrationPendingTextFinishedAfterRestart(t *testing.T) {
	env := newItEnv(t)
	s := env.start(filepath.Join(t.TempDir(), "proj"), "429,ok", "say hi")
	dump := env.dump([]fakeSession{s})
	var errUUID string
	waitUntil(t, itTimeout, "the 429 in the transcript and on screen", func() bool {
		u, isErr := lastEntryUUID(t, s.Transcript)
		errUUID = u
		return isErr && pane.ClassifyScreen(env.screen(s.Pane), "").InputBox
	}, dump)

	// The stop: the record is written, the text typed, the Enter never sent.
	state := filepath.Join(t.TempDir(), "state", "state.json")
	st, err := statefile.Open(state, statefile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := st.Update(func(d *statefile.Data) error {
		d.MarkTyped(statefile.Typed{File: s.Transcript, UUID: errUUID, At: now, Pane: s.Pane})
		d.SetPending(statefile.Pending{File: s.Transcript, UUID: errUUID, Text: "continue", Pane: s.Pane, At: now})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if out, err := env.tmux.Run("send-keys", "-t", s.Pane, "-l", "continue"); err != nil {
		t.Fatalf("send-keys: %v %s", err, out)
	}
	waitUntil(t, itTimeout, "continue in the input line", func() bool {
		return pane.ClassifyScreen(env.screen(s.Pane), "").Draft == "continue"
	}, dump)

	ie := env.newEngine(RealClock{}, func(c *Config) { c.StateFile = state })
	ie.run()
	dump = env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "the finished continue confirmed", ie.phaseIs(s.ID, Resumed), dump)
	waitUntil(t, itTimeout, "the reply on screen", func() bool {
		return strings.Contains(env.screen(s.Pane), "Hello from the fake (1).")
	}, dump)
	if got := userTexts(t, s.Transcript); countText(got, "continue") != 1 || len(got) != 2 {
		t.Fatalf("user entries %q, want the prompt and exactly one continue\n%s", got, dump())
	}
	if ie.actor.n("type") != 0 || ie.actor.n("enter") != 1 {
		t.Fatalf("type %d enter %d, want only the one missing Enter\n%s", ie.actor.n("type"), ie.actor.n("enter"), dump())
	}
}

// The reproduction: root R1's session A stalled on a throttle and
// its Claude quit; in the same cwd a Claude of root R2 shows the same
// throttle for its session B. The engine watching R1 must not type into B.
func TestIntegrationQuitSessionNeverTypedIntoAnotherRoot(t *testing.T) {
	env := newItEnv(t)
	cwd := filepath.Join(t.TempDir(), "proj")
	a := env.start(cwd, "429", "say hi")
	waitUntil(t, itTimeout, "A's stall", func() bool { return pane.ClassifyScreen(env.screen(a.Pane), throttle2x).StallShown },
		func() string { return env.screen(a.Pane) })
	if _, err := env.tmux.Run("send-keys", "-t", a.Pane, "C-d"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, itTimeout, "A's Claude to quit", func() bool {
		out, err := env.tmux.Run("display-message", "-p", "-t", a.Pane, "#{pane_dead}")
		return err == nil && strings.TrimSpace(out) == "1"
	}, func() string { return env.screen(a.Pane) })
	r2 := filepath.Join(t.TempDir(), "r2")
	b := env.startIn(r2, cwd, "429,ok", "say hi")
	waitUntil(t, itTimeout, "B's stall", func() bool { return pane.ClassifyScreen(env.screen(b.Pane), throttle2x).StallShown },
		func() string { return env.screen(b.Pane) })

	ie := env.newEngine(RealClock{}, nil)
	ie.run()
	dump := env.dump([]fakeSession{a, b}, ie)
	waitUntil(t, itTimeout, "the engine to find no pane for A, saying why", func() bool {
		st, ok := ie.status(a.ID)
		return ie.actor.n("type") > 0 || ok && ie.actor.n("locate") >= 2 && strings.Contains(st.PaneErr, "runs under Claude root "+r2)
	}, dump)
	if n := ie.actor.n("type"); n != 0 {
		t.Fatalf("the engine typed %d times\n%s", n, dump())
	}
	if got := userTexts(t, b.Transcript); len(got) != 1 || got[0] != "say hi" {
		t.Fatalf("B's session got %q\n%s", got, dump())
	}
}
