package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch/classify"
)

// TestNotifierEndToEnd runs the Notifier on an injected clock against a real
// HTTP server, a real command and the bell: each event reaches every sink
// once, a blocked session only after five minutes, and a storm becomes a
// few notifications and one summary.
func TestNotifierEndToEnd(t *testing.T) {
	r := newReceiver(t)
	dir := t.TempDir()
	lines := filepath.Join(dir, "events.jsonl")
	script := writeScript(t, dir, "hook.sh", `cat >> "$1"`)
	u, err := NewURL(r.URL+"/hook", FormatJSON, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rings atomic.Int32
	clock := newFakeClock(t0)
	src := &mutableSource{}
	fatalA := status(stalled("aaaa0001", classify.Fatal, "fa", t0), resume.Fatal, time.Time{}, "credit balance too low")
	capB := stalled("bbbb0002", classify.UsageLimit, "ub", t0)
	waitB := status(capB, resume.Waiting, t0.Add(4*time.Hour), "usage cap")
	blockedC := status(stalled("cccc0003", classify.RateLimit, "rc", t0), resume.Blocked, time.Time{}, "no pane for this session")
	src.set(snapshot(fatalA, waitB, blockedC))

	n := New(Config{Clock: clock, Poll: time.Minute, RateMax: 4, RateWindow: time.Minute, Host: "box"}, src,
		u, Command{Cmd: script + " " + lines}, Bell{Ring: func() { rings.Add(1) }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	// tick lets one poll happen (the Notifier arms its next timer after each).
	tick := func() {
		t.Helper()
		waitFor(t, "the notifier to poll", func() bool { return len(clock.Pending()) == 1 })
		clock.Advance(time.Minute)
		waitFor(t, "the notifier to poll", func() bool { return len(clock.Pending()) == 1 })
	}
	received := func() []Kind {
		var out []Kind
		for _, p := range r.got() {
			var ev Event
			if err := json.Unmarshal([]byte(p.body), &ev); err != nil {
				t.Fatalf("bad JSON %q: %v", p.body, err)
			}
			out = append(out, ev.Event)
		}
		return out
	}
	expect := func(want ...Kind) {
		t.Helper()
		waitFor(t, fmt.Sprintf("%d posts", len(want)), func() bool { return len(r.got()) >= len(want) })
		if got := received(); !slices.Equal(got, want) {
			t.Fatalf("posts: %v, want %v", got, want)
		}
	}

	expect(Fatal, Stalled)
	for range 4 { // t0+4m: C blocked for 4 minutes; A and B are not repeated
		tick()
	}
	tick() // t0+5m
	expect(Fatal, Stalled, Blocked)

	var storm []resume.Status
	for i := range 6 {
		storm = append(storm, status(stalled(fmt.Sprintf("dddd%04d", i), classify.Fatal, fmt.Sprintf("fd%d", i), clock.Now()), resume.Fatal, time.Time{}, ""))
	}
	src.set(snapshot(append([]resume.Status{fatalA, waitB, blockedC}, storm...)...))
	tick() // t0+6m: four go out, two are held
	expect(Fatal, Stalled, Blocked, Fatal, Fatal, Fatal, Fatal)
	tick() // t0+7m: the window passed: one summary
	expect(Fatal, Stalled, Blocked, Fatal, Fatal, Fatal, Fatal, Summary)
	for range 3 {
		tick()
	}
	// B resumes: its all-clear comes, and nothing was repeated before it.
	src.set(snapshot(append([]resume.Status{fatalA, status(working(capB, "reply", clock.Now()), resume.Resumed, time.Time{}, "resumed"), blockedC}, storm...)...))
	tick()
	expect(Fatal, Stalled, Blocked, Fatal, Fatal, Fatal, Fatal, Summary, Resumed)

	waitFor(t, "the command to get all 9", func() bool {
		b, _ := os.ReadFile(lines)
		return strings.Count(string(b), "\n") >= 9
	})
	b, _ := os.ReadFile(lines)
	if got := strings.Count(string(b), "\n"); got != 9 {
		t.Fatalf("command got %d events, want 9:\n%s", got, b)
	}
	waitFor(t, "7 rings", func() bool { return rings.Load() >= 7 })
	if got := rings.Load(); got != 7 { // fatal, blocked, 4 fatal, summary
		t.Fatalf("bell rang %d times, want 7", got)
	}
}
