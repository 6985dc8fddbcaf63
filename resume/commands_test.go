package resume

import (
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch/classify"
)

func TestDryRunNeverActs(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.DryRun = true })
	h.actor.addPane("s1", "%1")
	h.actor.addPane("s2", "%2")
	h.actor.setScreen("%2", pane.ScreenUsageDialog)
	h.actor.setHolds(true)
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.send(usage("s2", "e2", t0, t0.Add(time.Minute)))
	h.advance(time.Hour)
	h.wantCalls("type", 0)
	h.wantCalls("enter", 0)
	h.wantCalls("escape", 0)
	st := h.wantPhase("s1", Watching)
	if !hasAction(st.History, "dry_run") || !contains(st.Reason, "would have typed") {
		t.Fatalf("history %v reason %q", whats(st.History), st.Reason)
	}
	st2 := h.wantPhase("s2", Watching)
	if !hasAction(st2.History, "dry_run") || !contains(st2.Reason, "Escape") {
		t.Fatalf("s2 history %v reason %q", whats(st2.History), st2.Reason)
	}
	if n := h.actor.count("check %2"); n != 2 { // the probe, then the decision; no re-checks after it
		t.Fatalf("%d checks of the dialog pane, want 2", n)
	}
}

func TestNoLockNeverActs(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.LockedRoots, c.LockHeldBy = nil, "pid 4242" })
	h.actor.addPane("s1", "%1")
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.e.Retry("s1")
	h.advance(time.Hour)
	h.wantCalls("", 0)
	st := h.wantPhase("s1", Watching)
	if !contains(st.Reason, "pid 4242") {
		t.Fatalf("reason %q", st.Reason)
	}
	if got := h.e.Snapshot().LockHeldBy; got != "pid 4242" {
		t.Fatalf("LockHeldBy %q", got)
	}
}

// Another root's lock is not ours: the root is compared by its clean path.
func TestLockedRootsMatchOnlyTheirRoot(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.LockedRoots = []string{testRoot + "/"} })
	h.actor.addPane("s1", "%1")
	h.actor.addPane("s2", "%2")
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	other := stall("s2", "e2", classify.Throttle, 1, t0)
	other.Root = "/elsewhere/.claude"
	h.send(other)
	h.advance(time.Hour)
	h.wantCalls("type %1", 1)
	h.wantCalls("type %2", 0)
	h.wantCalls("locate s2", 0)
}

func TestRetrySkipsWaitNotGuards(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.setScreen("%1", pane.ScreenDialog)
	h.send(stall("s1", "e1", classify.RateLimit, 6, t0)) // up to 5 min away
	h.e.Retry("s1")
	h.settle()
	h.wantCalls("check %1", 1)
	h.wantCalls("type", 0)
	h.wantPhase("s1", Blocked)
	h.actor.setScreen("%1", pane.ScreenReady)
	h.advance(5 * time.Second) // the guard's re-check
	h.wantCalls("type %1", 1)
	if h.clock.Now().After(t0.Add(10 * time.Second)) {
		t.Fatal("clock ran too far for this test to prove anything")
	}
}

func TestRetryResumesGaveUpOnce(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxAttempts = 1 })
	h.actor.addPane("s1", "%1")
	h.send(stall("s1", "e2", classify.Throttle, 2, t0))
	h.wantPhase("s1", GaveUp)
	h.e.Retry("s1")
	h.settle()
	h.wantCalls("type %1", 1)
	h.advance(time.Hour)
	h.wantCalls("type", 1)
}

func TestPauseAndDismiss(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.Throttle, 1, t0)
	h.send(s)
	h.e.Pause("s1", true)
	h.advance(time.Hour)
	h.wantPhase("s1", Paused)
	h.wantCalls("", 0)
	h.e.Pause("s1", false)
	h.settle()
	h.wantCalls("type %1", 1)

	// Dismiss holds until a different error is the newest.
	s2 := stall("s1", "e2", classify.Throttle, 2, h.clock.Now())
	h.send(s2)
	h.e.Dismiss("s1")
	h.advance(time.Hour)
	h.wantPhase("s1", Dismissed)
	h.wantCalls("type", 1)
	h.send(s2) // re-sent: still dismissed
	h.wantPhase("s1", Dismissed)
	s3 := stall("s1", "e3", classify.Throttle, 1, h.clock.Now())
	h.send(s3) // it stalled again
	h.wantPhase("s1", Waiting)
	h.advance(time.Minute)
	h.wantCalls("type", 2)
}

func TestAutoOffWatchesUntilOn(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Auto = false })
	h.actor.addPane("s1", "%1")
	h.actor.addPane("s2", "%2")
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.send(stall("s2", "e2", classify.Throttle, 1, t0))
	h.advance(time.Hour)
	h.wantPhase("s1", Watching)
	h.wantCalls("", 0)
	if h.e.Snapshot().Auto {
		t.Fatal("snapshot says auto on")
	}
	h.e.Retry("s2") // a human asked for this one
	h.settle()
	h.wantCalls("type %2", 1)
	h.wantCalls("type %1", 0)
	h.e.SetAuto(true)
	h.settle()
	h.wantCalls("type %1", 1)
	if !h.e.Snapshot().Auto {
		t.Fatal("snapshot says auto off")
	}
}
