package resume

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
)

// A tmux server stopped with SIGSTOP is a hung tmux: it accepts the client's
// connection and never answers. One session's attempt waits for it up to its
// budget; the engine meanwhile handles commands, follows other sessions and
// publishes snapshots, then retries the hung session after a backoff.
func TestIntegrationHungTmuxServer(t *testing.T) {
	t.Parallel() // its own server, socket and root
	srv := testkit.NewTmux(t, testkit.TmuxOpts{})
	pid, err := strconv.Atoi(srv.Must("display-message", "-p", "#{pid}"))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "claude")
	idA := placeTranscript(t, root, "v2.1.145-oauth-throttle.jsonl", "/work/a", time.Now())
	idB := placeTranscript(t, root, "v2.1.330-key-ok.jsonl", "/work/b", time.Now())
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGCONT) }) // before the kit's kill-server

	cfg := DefaultConfig()
	cfg.Auto, cfg.Seed = true, 1
	cfg.Roots, cfg.LockedRoots = []string{root}, []string{root}
	cfg.Throttle = Backoff{Base: 100 * time.Millisecond, Cap: 200 * time.Millisecond}
	cfg.BlockedBase, cfg.BlockedCap = time.Second, 2*time.Second
	// The per-call timeout is far longer than the attempt's budget, so what
	// ends the hung attempt is its one deadline.
	actor := newTimingActor(pane.New(pane.Config{Socket: srv.Sock, CallTimeout: time.Minute}))
	e := New(cfg, actor, RealClock{}, newTestLogger(t))
	runWatched(t, e, root)
	status := func(id string) (Status, bool) {
		for _, st := range e.Snapshot().Sessions {
			if st.Session.ID == id {
				return st, true
			}
		}
		return Status{}, false
	}
	dump := func() string {
		var b strings.Builder
		for _, st := range e.Snapshot().Sessions {
			fmt.Fprintf(&b, "%s %s %s: %q %v\n", st.Session.ID, st.Session.State, st.Phase, st.Reason, whats(st.History))
		}
		fmt.Fprintf(&b, "locate calls: %v\n", actor.all())
		return b.String()
	}

	// 1. A's first attempt hangs in list-panes.
	waitUntil(t, 10*time.Second, "A's first attempt", func() bool { return len(actor.of(idA)) >= 1 }, dump)

	// 2. Meanwhile a command and another session's new stall are handled.
	e.Pause(idB, true)
	idC := placeTranscript(t, root, "v2.1.330-key-529.jsonl", "/work/c", time.Now())
	waitUntil(t, 10*time.Second, "B paused and C's stall shown", func() bool {
		b, okB := status(idB)
		c, okC := status(idC)
		return okB && b.Phase == Paused && okC && c.Session.State == watch.Stalled
	}, dump)
	if first := actor.of(idA)[0]; !first.end.IsZero() {
		t.Fatalf("A's attempt ended (after %v) before B and C were handled: the engine waited for it\n%s",
			first.end.Sub(first.start), dump())
	} else if taken := e.Snapshot().Taken; !taken.After(first.start) {
		t.Fatalf("snapshot taken %s, before the hung call started at %s", taken, first.start)
	}

	// 3. The attempt ends by its deadline and says so.
	waitUntil(t, 20*time.Second, "A's attempt timed out", func() bool {
		st, ok := status(idA)
		return ok && hasAction(st.History, "tmux_timeout")
	}, dump)
	if st, _ := status(idA); !strings.Contains(st.Reason, "tmux did not answer within 5s") || st.Phase != Blocked {
		t.Fatalf("A: phase %s reason %q", st.Phase, st.Reason)
	}
	first := actor.of(idA)[0]
	if d := first.end.Sub(first.start); d > 30*time.Second {
		t.Fatalf("the hung attempt took %v: its budget did not bound it", d)
	}

	// 4. Retried after the backoff, never two at once, nothing typed.
	waitUntil(t, 20*time.Second, "A's second attempt", func() bool { return len(actor.of(idA)) >= 2 }, dump)
	if gap := actor.of(idA)[1].start.Sub(first.end); gap < 900*time.Millisecond {
		t.Fatalf("second attempt %v after the first ended, want the 1s backoff", gap)
	}
	if n := actor.maxInFlight(); n > 1 {
		t.Fatalf("%d attempts of one session ran at once", n)
	}
	if n := actor.typed(); n != 0 {
		t.Fatalf("%d Type calls against a hung server", n)
	}
}

// timingActor records when each Locate started and ended, per session, and
// how many ran at once for one session.
type timingActor struct {
	Actor
	mu       sync.Mutex
	calls    []*timedCall
	inflight map[string]int
	most     int
	types    int
}

type timedCall struct {
	id         string
	start, end time.Time
}

func (c timedCall) String() string {
	if c.end.IsZero() {
		return c.id[:8] + " running"
	}
	return c.id[:8] + " " + c.end.Sub(c.start).Round(time.Millisecond).String()
}

func newTimingActor(a Actor) *timingActor { return &timingActor{Actor: a, inflight: map[string]int{}} }

func (a *timingActor) Locate(ctx context.Context, s watch.Session) (pane.Target, error) {
	c := &timedCall{id: s.ID, start: time.Now()}
	a.mu.Lock()
	a.calls = append(a.calls, c)
	a.inflight[s.ID]++
	a.most = max(a.most, a.inflight[s.ID])
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		c.end = time.Now()
		a.inflight[s.ID]--
		a.mu.Unlock()
	}()
	return a.Actor.Locate(ctx, s)
}

func (a *timingActor) Type(ctx context.Context, t pane.Target, msg string) error {
	a.mu.Lock()
	a.types++
	a.mu.Unlock()
	return a.Actor.Type(ctx, t, msg)
}

// of returns copies of session id's Locate calls, oldest first.
func (a *timingActor) of(id string) []timedCall {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []timedCall
	for _, c := range a.calls {
		if c.id == id {
			out = append(out, *c)
		}
	}
	return out
}

func (a *timingActor) all() []timedCall {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]timedCall, len(a.calls))
	for i, c := range a.calls {
		out[i] = *c
	}
	return out
}

func (a *timingActor) maxInFlight() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.most
}

func (a *timingActor) typed() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.types
}

var (
	fixtureTS  = regexp.MustCompile(`"timestamp":"([^"]+)"`)
	fixtureSID = regexp.MustCompile(`"sessionId":"([^"]+)"`)
)

// placeTranscript copies testdata/transcripts/name into root as the
// transcript of a session in cwd whose newest entry was written at newest
// (every timestamp moves by the same amount) and returns the session id.
func placeTranscript(t *testing.T, root, name, cwd string, newest time.Time) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "transcripts", name))
	if err != nil {
		t.Fatal(err)
	}
	var last time.Time
	for _, m := range fixtureTS.FindAllSubmatch(data, -1) {
		if ts, err := time.Parse(time.RFC3339Nano, string(m[1])); err == nil && ts.After(last) {
			last = ts
		}
	}
	shift := newest.Sub(last)
	data = fixtureTS.ReplaceAllFunc(data, func(m []byte) []byte {
		ts, err := time.Parse(time.RFC3339Nano, string(fixtureTS.FindSubmatch(m)[1]))
		if err != nil {
			return m
		}
		return []byte(`"timestamp":"` + ts.Add(shift).UTC().Format("2006-01-02T15:04:05.000Z") + `"`)
	})
	data = bytes.ReplaceAll(data, []byte(`"cwd":"/home/dev/work"`), []byte(`"cwd":"`+cwd+`"`))
	m := fixtureSID.FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s: no sessionId", name)
	}
	dir := filepath.Join(root, "projects", strings.NewReplacer("/", "-", ".", "-").Replace(cwd))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, string(m[1])+".jsonl"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return string(m[1])
}
