package resume

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

func TestThrottleWaitsTypesConfirms(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.Throttle, 1, t0)
	h.send(s)
	st := h.wantPhase("s1", Waiting)
	if st.ResumeAt.Before(t0) || st.ResumeAt.After(t0.Add(time.Second)) {
		t.Fatalf("resume at %v, want within 1 s of the error", st.ResumeAt)
	}
	h.advanceTo(st.ResumeAt.Add(-time.Millisecond))
	h.wantCalls("", 0)
	h.advanceTo(st.ResumeAt)
	h.wantCalls("type %1 continue", 1)
	if got := h.actor.Calls(); len(got) != 3 || got[0] != "locate s1" || got[1] != "check %1" {
		t.Fatalf("calls %q, want locate, check, type", got)
	}
	h.wantPhase("s1", Resuming)
	h.send(working(s, "u-continue", h.clock.Now()))
	st = h.wantPhase("s1", Resumed)
	if !hasAction(st.History, "confirmed") || !hasAction(st.History, "typed") || !hasAction(st.History, "scheduled") {
		t.Fatalf("history %v", whats(st.History))
	}
	snap := h.e.Snapshot()
	if snap.ResumedDay != 1 {
		t.Errorf("ResumedDay %d, want 1", snap.ResumedDay)
	}
	// A later reply keeps it resumed and nothing more is sent.
	h.send(working(s, "a-reply", h.clock.Now()))
	h.advance(time.Hour)
	h.wantPhase("s1", Resumed)
	h.wantCalls("type", 1)
	h.wantCalls("enter", 0)
}

// The same seed gives the same schedule, a different seed another one.
func TestEngineJitterFollowsSeed(t *testing.T) {
	at := func(seed int64) time.Time {
		h := newHarness(t, func(c *Config) { c.Rand, c.Seed = nil, seed })
		h.send(stall("s1", "e1", classify.RateLimit, 3, t0))
		return h.status("s1").ResumeAt
	}
	a, b, c := at(5), at(5), at(6)
	if !a.Equal(b) {
		t.Fatalf("seed 5 gave %v and %v", a, b)
	}
	if a.Equal(c) {
		t.Fatalf("seeds 5 and 6 both gave %v", a)
	}
}

func TestUsageLimitWaitsForResetPlusMargin(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	reset := t0.Add(10 * time.Minute)
	h.send(usage("s1", "e1", t0, reset))
	st := h.wantPhase("s1", Waiting)
	if want := reset.Add(time.Minute); !st.ResumeAt.Equal(want) {
		t.Fatalf("resume at %v, want %v", st.ResumeAt, want)
	}
	h.advanceTo(reset.Add(time.Minute - time.Second))
	h.wantCalls("type", 0)
	// The read-only probe looked once, early; nothing else touched the pane.
	if got := h.actor.Calls(); len(got) != 2 || got[0] != "locate s1" || got[1] != "check %1" {
		t.Fatalf("calls before the reset %q, want one probe", got)
	}
	h.advance(time.Second)
	h.wantCalls("type %1 continue", 1)
}

func TestFatalNeverTyped(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.send(stall("s1", "e1", classify.Fatal, 1, t0))
	h.advance(24 * time.Hour)
	st := h.wantPhase("s1", Fatal)
	// Issue 18 item 5: one read-only Locate shows its pane; nothing checks
	// the screen or types.
	if got := h.actor.Calls(); len(got) != 1 || got[0] != "locate s1" {
		t.Fatalf("calls %q, want one locate to show the pane", got)
	}
	if st.Pane != "%1" {
		t.Fatalf("pane %q, want %%1 shown for the fatal session", st.Pane)
	}
	if !hasAction(st.History, "fatal") {
		t.Fatalf("history %v", whats(st.History))
	}
	h.e.Retry("s1")
	h.advance(time.Hour)
	if got := h.actor.Calls(); len(got) != 1 {
		t.Fatalf("calls %q after a retry of a fatal session, want only the first locate", got)
	}
}

func TestMaxAttemptsGivesUp(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxAttempts = 3 })
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e3", classify.Throttle, 3, t0)
	h.send(s)
	h.advance(time.Minute)
	h.wantCalls("type", 1) // error 3 of 3 is still resumed
	s = stall("s1", "e4", classify.Throttle, 4, h.clock.Now())
	h.send(s)
	st := h.wantPhase("s1", GaveUp)
	if !hasAction(st.History, "gave_up") || st.MaxTries != 3 {
		t.Fatalf("history %v, MaxTries %d", whats(st.History), st.MaxTries)
	}
	h.advance(time.Hour)
	h.wantCalls("type", 1)
}

func TestUserTypingWaitsThenTypes(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.setScreen("%1", pane.ScreenDraft)
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advance(time.Second)
	st := h.wantPhase("s1", Blocked)
	if !contains(st.Reason, "user typing") {
		t.Fatalf("reason %q", st.Reason)
	}
	h.advance(30 * time.Second)
	h.wantCalls("type", 0)
	if n := h.actor.count("check"); n < 6 {
		t.Fatalf("%d checks in 30 s, want one every 5 s", n)
	}
	skips := 0
	for _, a := range h.status("s1").History {
		if a.What == "skipped" {
			skips++
		}
	}
	if skips != 1 {
		t.Fatalf("%d skipped actions for one streak, want 1", skips)
	}
	h.actor.setScreen("%1", pane.ScreenReady)
	h.advance(5 * time.Second)
	h.wantCalls("type %1 continue", 1)
}

func TestUsageDialogOneEscapeAfterReset(t *testing.T) {
	for _, after := range []pane.Screen{pane.ScreenReady, pane.ScreenUsageDialog} {
		t.Run("then "+string(after), func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.ResetMargin = 0 })
			h.actor.addPane("s1", "%1")
			h.actor.setScreen("%1", pane.ScreenUsageDialog)
			reset := t0.Add(time.Hour)
			h.send(usage("s1", "e1", t0, reset))
			h.e.Retry("s1") // early: skips the wait, never the reset rule
			h.advance(10 * time.Minute)
			h.wantCalls("escape", 0)
			h.wantPhase("s1", Waiting)
			h.actor.mu.Lock()
			h.actor.onCheck = nil
			h.actor.mu.Unlock()
			h.advanceTo(reset)
			h.wantCalls("escape %1", 1)
			h.actor.setScreen("%1", after)
			h.advance(10 * time.Minute)
			h.wantCalls("escape", 1)
			h.wantCalls("enter", 0)
			if after == pane.ScreenReady {
				h.wantCalls("type %1 continue", 1)
			} else {
				h.wantCalls("type", 0)
				h.wantPhase("s1", Blocked)
			}
		})
	}
}

func TestUsageDialogUnknownResetNeverEscaped(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.setScreen("%1", pane.ScreenUsageDialog)
	h.send(usage("s1", "e1", t0, time.Time{}))
	h.advance(time.Hour)
	h.wantCalls("escape", 0)
	h.wantCalls("type", 0)
	h.wantPhase("s1", Blocked)
}

func TestAutoWaitLeftAloneUntilResetPlusMargin(t *testing.T) {
	reset := t0.Add(10 * time.Minute)
	t.Run("client continues", func(t *testing.T) {
		h := newHarness(t, nil)
		h.actor.addPane("s1", "%1")
		h.actor.setScreen("%1", pane.ScreenAutoWait)
		s := usage("s1", "e1", t0, reset)
		h.send(s)
		h.advance(5 * time.Second) // the probe looked
		st := h.wantPhase("s1", Waiting)
		if !contains(st.Reason, "client continues by itself at") {
			t.Fatalf("reason %q", st.Reason)
		}
		h.advanceTo(reset.Add(30 * time.Second))
		h.send(working(s, "u-auto", h.clock.Now()))
		h.advance(time.Hour)
		h.wantCalls("type", 0)
		h.wantPhase("s1", Idle)
	})
	t.Run("client does not continue", func(t *testing.T) {
		h := newHarness(t, nil)
		h.actor.addPane("s1", "%1")
		h.actor.setScreen("%1", pane.ScreenAutoWait)
		h.send(usage("s1", "e1", t0, reset))
		h.advanceTo(reset.Add(time.Minute - time.Millisecond))
		h.wantCalls("type", 0)
		h.advance(time.Millisecond)
		h.wantCalls("type %1 continue", 1)
	})
}

func TestNeverTwicePerStall(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.Throttle, 1, t0)
	h.send(s)
	h.advance(2 * time.Second)
	h.wantCalls("type", 1)
	for range 5 { // the watcher re-sends the same view (metadata lines, rescans)
		s.ModTime = h.clock.Now()
		h.send(s)
		h.advance(10 * time.Second)
	}
	h.advance(time.Hour)
	h.wantCalls("type", 1)
	h.wantPhase("s1", Unconfirmed)
	h.e.Retry("s1") // not even by hand
	h.advance(time.Hour)
	h.wantCalls("type", 1)
	if !hasAction(h.status("s1").History, "retry_refused") {
		t.Fatalf("history %v", whats(h.status("s1").History))
	}
}

func TestNewErrorAfterContinueBacksOffAgain(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advance(time.Second)
	h.wantCalls("type", 1)
	// The continue went in; the API throttled again.
	errAt := h.clock.Now().Add(200 * time.Millisecond)
	h.advance(200 * time.Millisecond)
	s2 := stall("s1", "e2", classify.Throttle, 2, errAt)
	s2.StalledAt = t0
	h.send(s2)
	st := h.wantPhase("s1", Waiting)
	if !hasAction(st.History, "confirmed") {
		t.Fatalf("the new error did not confirm delivery: %v", whats(st.History))
	}
	if st.ResumeAt.Before(errAt) || st.ResumeAt.After(errAt.Add(2*time.Second)) {
		t.Fatalf("resume at %v, want within the 2nd attempt's 2 s ceiling after %v", st.ResumeAt, errAt)
	}
	h.advanceTo(st.ResumeAt)
	h.wantCalls("type", 2)
	if h.e.Snapshot().ResumedDay != 0 {
		t.Fatal("a delivered continue that failed again counted as resumed")
	}
}

func TestUnconfirmedOneMoreEnter(t *testing.T) {
	for _, holds := range []bool{true, false} {
		name := map[bool]string{true: "text still in input", false: "input empty"}[holds]
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.actor.addPane("s1", "%1")
			h.actor.setHolds(holds)
			h.send(stall("s1", "e1", classify.Throttle, 1, t0))
			h.advanceTo(h.status("s1").ResumeAt)
			h.wantCalls("type", 1)
			typedAt := h.clock.Now()
			h.advanceTo(typedAt.Add(1400 * time.Millisecond))
			h.wantCalls("holds", 0)
			h.advanceTo(typedAt.Add(1500 * time.Millisecond))
			h.wantCalls("holds %1", 1)
			want := map[bool]int{true: 1, false: 0}[holds]
			h.wantCalls("enter %1", want)
			h.wantPhase("s1", Resuming)
			h.advance(time.Hour)
			st := h.wantPhase("s1", Unconfirmed)
			h.wantCalls("enter", want)
			h.wantCalls("type", 1)
			if !hasAction(st.History, "unconfirmed") {
				t.Fatalf("history %v", whats(st.History))
			}
			// A late entry still confirms it.
			h.send(working(h.status("s1").Session, "u-late", h.clock.Now()))
			h.wantPhase("s1", Resumed)
		})
	}
}

func TestTypeErrorNoExtraEnterNoRetype(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.setHolds(true)
	h.actor.typeErr = errors.New("pane guard failed before Enter")
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advance(time.Hour)
	h.wantCalls("type", 1)
	h.wantCalls("enter", 0)
	st := h.wantPhase("s1", Unconfirmed)
	if !hasAction(st.History, "type_failed") {
		t.Fatalf("history %v", whats(st.History))
	}
}

// A new entry that lands while the guards look stops the typing.
func TestTranscriptMovedDuringCheckNoType(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.Throttle, 1, t0)
	h.actor.onCheck = func(watch.Session) { h.sendAsync(working(s, "u-human", t0)) }
	h.send(s)
	h.advance(time.Hour)
	h.wantCalls("check", 1)
	h.wantCalls("type", 0)
	h.wantPhase("s1", Idle)
}

func TestNoPaneBacksOffBounded(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.BlockedBase, c.BlockedCap = 5*time.Second, 20*time.Second })
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advance(time.Second)
	st := h.wantPhase("s1", Blocked)
	if st.PaneErr == "" || !hasAction(st.History, "no_pane") {
		t.Fatalf("pane err %q history %v", st.PaneErr, whats(st.History))
	}
	// 5 + 10 + 20 + 20 + 20 … : about 3 + (120-35)/20 locates in two minutes.
	h.advance(2 * time.Minute)
	if n := h.actor.count("locate"); n < 6 || n > 9 {
		t.Fatalf("%d locates in 2 min, want a 5 s → 20 s bounded backoff", n)
	}
	h.actor.addPane("s1", "%7") // the user started it in tmux
	h.advance(30 * time.Second)
	h.wantCalls("type %7", 1)
}

func TestTwoSessionsOnlyStalledTyped(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.addPane("s2", "%2")
	w := working(stall("s2", "x", classify.Throttle, 1, t0), "a2", t0)
	h.send(w)
	h.send(stall("s1", "e1", classify.Overloaded, 1, t0))
	h.advance(time.Hour)
	h.wantCalls("type %1", 1)
	h.wantCalls("locate s2", 0)
	h.wantCalls("check %2", 0)
}

// A human typed between the text and Enter: no Enter, no retype, said so.
func TestHumanInputNeverSubmittedNorRetyped(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.actor.setHolds(true)
	h.actor.typeErr = fmt.Errorf("type into pane %%1: %q typed, Enter not sent: %w", "continue", pane.ErrHumanInput)
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advance(time.Hour)
	h.advance(time.Hour)
	h.wantCalls("type", 1)
	h.wantCalls("enter", 0)
	st := h.wantPhase("s1", Blocked)
	if st.Reason != "a human typed into the prompt; not submitting" || !hasAction(st.History, "human_input") {
		t.Fatalf("reason %q, history %v", st.Reason, whats(st.History))
	}
}
