package resume

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch/classify"
)

// Issue 8 item 7: a usage cap that states no reset is probed on the cap's
// own scale (15 min, doubling up to its window) and shows when the next
// probe is; max attempts abandons it only once the stall outlasted the window.
func TestUndatedCapProbedOnItsScale(t *testing.T) {
	cases := []struct {
		name    string
		text    string
		window  time.Duration
		gaveUpN int // the error number that gives up (0: none within the test)
	}{
		{name: "session cap", text: "You've hit your session limit", window: 5 * time.Hour, gaveUpN: 7},
		{name: "weekly cap", text: "You've hit your weekly limit", window: 7 * 24 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.actor.addPane("s1", "%1")
			c := newCapTranscript(t, filepath.Join(t.TempDir(), "root"), "s1", "2.1.145", t0.Add(-2*time.Second))
			c.fail(capErr{at: t0, text: tc.text})
			h.send(c.session())
			errAt, wait := t0, 15*time.Minute
			for n := 1; n <= 7; n++ {
				if n == tc.gaveUpN {
					st := h.wantPhase("s1", GaveUp)
					if !contains(st.Reason, "window") {
						t.Fatalf("error %d gave up with %q", n, st.Reason)
					}
					h.advance(24 * time.Hour)
					h.wantCalls("type", n-1)
					return
				}
				st := h.wantPhase("s1", Waiting)
				at := errAt.Add(min(wait, tc.window))
				if !st.ResumeAt.Equal(at) {
					t.Fatalf("error %d: resume at %v, want %v (%v after it)", n, st.ResumeAt, at, min(wait, tc.window))
				}
				if want := "probing: no reset stated; next probe at " + HumanTime(at, h.clock.Now(), time.Local); !contains(st.Reason, want) {
					t.Fatalf("error %d: reason %q lacks %q", n, st.Reason, want)
				}
				h.advanceTo(at.Add(-time.Second))
				h.wantCalls("type", n-1)
				h.advanceTo(at)
				h.wantCalls("type %1 continue", n)
				// The continue met the same cap, still without a reset.
				errAt = at.Add(2 * time.Second)
				h.advanceTo(errAt)
				c.resumed(at.Add(time.Second), capErr{at: errAt, text: tc.text})
				s := c.session()
				if s.Attempts != n+1 {
					t.Fatalf("the watcher counts %d errors, want %d", s.Attempts, n+1)
				}
				h.send(s)
				wait *= 2
			}
		})
	}
}

// Issue 8 item 11: a cap that outlives its reset is followed to its new
// reset; a new error whose reset is not later than itself waits on the probe
// scale (no tight loop), and max attempts does not abandon it in its window.
func TestCapOutlivingItsResetIsFollowed(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxAttempts = 2 })
	h.actor.addPane("s1", "%1")
	c := newCapTranscript(t, filepath.Join(t.TempDir(), "root"), "s1", "2.1.330", t0.Add(-2*time.Second))
	reset1 := t0.Add(time.Hour + 36*time.Second)
	c.fail(capErr{at: t0, text: "You've hit your 5-hour limit · resets 1:00pm (UTC)", resets: reset1, window: "five_hour"})
	h.send(c.session())
	step := func(n int, want time.Time, why string) {
		t.Helper()
		st := h.wantPhase("s1", Waiting)
		if !st.ResumeAt.Equal(want) || !contains(st.Reason, why) {
			t.Fatalf("error %d: resume at %v (%q), want %v (%q)", n, st.ResumeAt, st.Reason, want, why)
		}
		h.advanceTo(want.Add(-time.Second))
		h.wantCalls("type", n-1)
		h.advanceTo(want)
		h.wantCalls("type %1 continue", n)
	}
	step(1, reset1.Add(time.Minute), "usage limit resets")

	// At the reset the same cap answers with a later reset: follow it.
	reset2 := reset1.Add(2 * time.Hour)
	err2 := reset1.Add(62 * time.Second)
	h.advanceTo(err2)
	c.resumed(reset1.Add(61*time.Second), capErr{at: err2, text: "You've hit your 5-hour limit · resets 3:00pm (UTC)", resets: reset2, window: "five_hour"})
	h.send(c.session())
	step(2, reset2.Add(time.Minute), "usage limit resets")

	// Error 3 (past --max-attempts 2, inside the 5 h window) restates the
	// reset that just passed: probe on the cap's scale (the stall's second
	// retry: 30 min), not at once.
	err3 := reset2.Add(62 * time.Second)
	h.advanceTo(err3)
	c.resumed(reset2.Add(61*time.Second), capErr{at: err3, text: "You've hit your 5-hour limit · resets 3:00pm (UTC)", resets: reset2, window: "five_hour"})
	h.send(c.session())
	step(3, err3.Add(30*time.Minute), "still held")
	if hist := h.status("s1").History; !contains(hist[len(hist)-1].Reason, "past 2: a usage cap is given up only after its 5h0m0s window") {
		t.Fatalf("typed note %q", hist[len(hist)-1].Reason)
	}

	// Error 4 states an earlier reset still: the probe doubles.
	err4 := err3.Add(30*time.Minute + 2*time.Second)
	h.advanceTo(err4)
	c.resumed(err3.Add(30*time.Minute+time.Second), capErr{at: err4, text: "You've hit your 5-hour limit · resets 3:00pm (UTC)", resets: reset2.Add(-time.Minute), window: "five_hour"})
	h.send(c.session())
	step(4, err4.Add(time.Hour), "next probe at "+err4.Add(time.Hour).Format(time.TimeOnly))
}

// Issue 8 item 8: a resume due while the laptop slept (wall clock moved on,
// timers stood still) happens at the first wall-clock re-check after waking,
// not hours later when the monotonic timer would fire.
func TestDeadlinePassedDuringSuspendMetAfterWake(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	reset := t0.Add(time.Hour)
	h.send(usage("s1", "e1", t0, reset))
	h.advance(10 * time.Minute) // the probe looked; the resume is 51 min away
	h.sync()
	h.wantCalls("type", 0)
	recheck := DefaultConfig().WallRecheck
	for _, at := range h.clock.Pending() {
		if at.After(h.clock.Now().Add(recheck)) {
			t.Fatalf("a timer waits until %v, more than the %v re-check away", at, recheck)
		}
	}
	h.clock.Suspend(3 * time.Hour)
	wake := h.clock.Now()
	h.clock.Advance(recheck) // monotonic time runs again: the first re-check
	waitUntil(t, 5*time.Second, "the resume due during the sleep", func() bool { return h.actor.count("type") == 1 },
		func() string { return fmt.Sprintf("calls %q", h.actor.Calls()) })
	for _, a := range h.status("s1").History {
		if a.What == "typed" && a.Time.After(wake.Add(30*time.Second)) {
			t.Fatalf("typed at %v, more than 30 s after waking at %v", a.Time, wake)
		}
	}
}

// With nothing scheduled the engine keeps no timer: an idle ccwake does not tick.
func TestIdleEngineKeepsNoTimer(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.Fatal, 1, t0)
	h.send(s)
	h.sync()
	if got := h.clock.Pending(); len(got) != 0 {
		t.Fatalf("idle engine has timers at %v", got)
	}
}

// The engine's clock compares wall-clock instants only.
func TestEngineClockHasNoMonotonicReading(t *testing.T) {
	e := New(DefaultConfig(), newFakeActor(), RealClock{}, nil)
	if now := e.clock.Now(); now != now.Round(0) {
		t.Fatalf("engine clock reading %v carries a monotonic reading", now)
	}
}

// Issue 8 item 10: `r` on a session whose client counts down its own
// auto-continue types now when the screen beneath the countdown is ready;
// a draft or a screen without the stall still stops it.
func TestRetryOverridesClientAutoWait(t *testing.T) {
	reset := t0.Add(time.Hour)
	cases := []struct {
		name    string
		beneath pane.Screen
		typed   int
		phase   Phase
	}{
		{name: "ready beneath", beneath: pane.ScreenReady, typed: 1, phase: Resuming},
		{name: "draft beneath", beneath: pane.ScreenDraft, typed: 0, phase: Blocked},
		{name: "stall not shown beneath", beneath: pane.ScreenNoStall, typed: 0, phase: Blocked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.actor.addPane("s1", "%1")
			h.actor.setVerdict("%1", pane.Verdict{Screen: pane.ScreenAutoWait, Beneath: tc.beneath, Reason: "Continuing automatically at 1:00pm"})
			h.send(usage("s1", "e1", t0, reset))
			h.advance(5 * time.Second) // the probe saw the client's own wait
			st := h.wantPhase("s1", Waiting)
			if !contains(st.Reason, "client continues by itself") {
				t.Fatalf("reason %q", st.Reason)
			}
			h.e.Retry("s1")
			h.settle()
			h.wantCalls("type %1 continue", tc.typed)
			h.wantCalls("escape", 0)
			st = h.wantPhase("s1", tc.phase)
			if tc.typed == 0 {
				h.advance(10 * time.Minute) // guards re-checked; still nothing typed
				h.wantCalls("type", 0)
			} else if hasAction(st.History, "skipped:auto_wait") && st.History[len(st.History)-1].What == "skipped:auto_wait" {
				t.Fatalf("retry ended in skipped:auto_wait: %v", whats(st.History))
			}
		})
	}
}
