package resume

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Every screen that is not "ready" keeps the keyboard untouched; the engine
// looks again later with a bounded backoff and types once the screen clears.
func TestRefusingScreensNeverTyped(t *testing.T) {
	for _, sc := range []pane.Screen{pane.ScreenDialog, pane.ScreenBusy, pane.ScreenVimNormal, pane.ScreenNoStall, pane.ScreenUnknown, ""} {
		t.Run(string(sc), func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.BlockedBase, c.BlockedCap = 5*time.Second, 40*time.Second })
			h.actor.addPane("s1", "%1")
			h.actor.setScreen("%1", sc)
			h.send(stall("s1", "e1", classify.Throttle, 1, t0))
			h.advance(10 * time.Minute)
			h.wantCalls("type", 0)
			h.wantCalls("enter", 0)
			h.wantCalls("escape", 0)
			st := h.wantPhase("s1", Blocked)
			if st.Reason == "" {
				t.Fatal("blocked without a reason")
			}
			// 5, 10, 20, 40, 40 … s: bounded, neither a busy loop nor silence.
			if n := h.actor.count("check"); n < 15 || n > 20 {
				t.Fatalf("%d checks in 10 min, want a 5 s → 40 s backoff", n)
			}
			h.actor.setScreen("%1", pane.ScreenReady)
			h.advance(40 * time.Second)
			h.wantCalls("type %1 continue", 1)
		})
	}
}

func TestAutoWaitUnknownResetNeverTyped(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.setScreen("%1", pane.ScreenAutoWait)
	h.send(usage("s1", "e1", t0, time.Time{}))
	h.advance(6 * time.Hour)
	h.wantCalls("type", 0)
	st := h.wantPhase("s1", Waiting)
	if !contains(st.Reason, "client continues by itself") {
		t.Fatalf("reason %q", st.Reason)
	}
}

// Pausing while a continue is being confirmed stops the extra Enter.
func TestPauseDuringConfirmNoExtraEnter(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.setHolds(true)
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advanceTo(h.status("s1").ResumeAt)
	h.wantCalls("type", 1)
	h.e.Pause("s1", true)
	h.advance(time.Hour)
	h.wantCalls("enter", 0)
	h.wantCalls("type", 1)
}

type escapeFails struct{ *fakeActor }

func (escapeFails) Escape(context.Context, pane.Target) error { return errors.New("pane vanished") }

func TestEscapeFailureBlocksWithoutRetyping(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.ResetMargin = 0 })
	h.e.actor = escapeFails{h.actor} // set before the first event; Run reads it on its goroutine
	h.actor.addPane("s1", "%1")
	h.actor.setScreen("%1", pane.ScreenUsageDialog)
	h.send(usage("s1", "e1", t0, t0.Add(time.Minute)))
	h.advance(time.Hour)
	st := h.wantPhase("s1", Blocked)
	if !hasAction(st.History, "escape_failed") {
		t.Fatalf("history %v", whats(st.History))
	}
	h.wantCalls("type", 0)
}

// A zero Config is usable: every field falls back to its default.
func TestZeroConfigDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	d := DefaultConfig()
	if c.Throttle != d.Throttle || c.RateLimit != d.RateLimit || c.MaxAttempts != 6 || c.Message != "continue" ||
		c.ConfirmWait != 1500*time.Millisecond || c.HistoryLen != d.HistoryLen || c.ResetMargin != 0 {
		t.Fatalf("defaults %+v", c)
	}
	if d.ResetMargin != time.Minute || d.Overloaded.Cap != time.Minute || d.RateLimit.Cap != 5*time.Minute {
		t.Fatalf("DefaultConfig %+v", d)
	}
}

func TestRunEnds(t *testing.T) {
	e := New(Config{}, newFakeActor(), newFakeClock(t0), nil)
	events := make(chan watch.Event)
	done := make(chan error, 1)
	go func() { done <- e.Run(context.Background(), events) }()
	close(events)
	if err := <-done; err != nil {
		t.Fatalf("closed events: %v, want nil", err)
	}
	for range e.Changes() { // drains the last signal, then sees it closed
	}
	for range 100 { // commands after the end neither block nor panic
		e.Retry("x")
		e.SetAuto(true)
	}
	e = New(Config{}, newFakeActor(), newFakeClock(t0), nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- e.Run(ctx, make(chan watch.Event)) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v, want context.Canceled", err)
	}
}
