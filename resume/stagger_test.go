package resume

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

func TestStaggerPlans(t *testing.T) {
	reset := t0.Add(time.Hour)
	cap := func(id string, at, stalled time.Time) Plan {
		s := usage(id, "e-"+id, stalled, reset)
		return Plan{Session: s, Decision: Decision{Phase: Waiting, At: at}}
	}
	other := func(id string, k classify.Kind, at time.Time) Plan {
		return Plan{Session: stall(id, "e-"+id, k, 1, t0), Decision: Decision{Phase: Waiting, At: at}}
	}
	cases := []struct {
		name  string
		gap   time.Duration
		plans []Plan
		want  []time.Time
	}{
		{name: "one cap: oldest stall first, gap apart", gap: 10 * time.Second,
			plans: []Plan{cap("young", reset, t0.Add(3*time.Minute)), cap("old", reset, t0), cap("mid", reset, t0.Add(time.Minute))},
			want:  []time.Time{reset.Add(20 * time.Second), reset, reset.Add(10 * time.Second)}},
		{name: "times further apart than the gap keep their times", gap: 10 * time.Second,
			plans: []Plan{cap("a", reset, t0), cap("b", reset.Add(time.Minute), t0)},
			want:  []time.Time{reset, reset.Add(time.Minute)}},
		{name: "close times are spaced in time order", gap: 10 * time.Second,
			plans: []Plan{cap("b", reset.Add(3*time.Second), t0), cap("a", reset, t0.Add(time.Minute))},
			want:  []time.Time{reset.Add(10 * time.Second), reset}},
		{name: "gap 0 disables it", gap: 0,
			plans: []Plan{cap("a", reset, t0), cap("b", reset, t0)},
			want:  []time.Time{reset, reset}},
		{name: "other kinds and other phases are left alone", gap: 10 * time.Second,
			plans: []Plan{cap("a", reset, t0), other("t", classify.Throttle, reset), {Session: usage("f", "e-f", t0, reset), Decision: Decision{Phase: GaveUp}}},
			want:  []time.Time{reset, reset, {}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			StaggerPlans(c.plans, c.gap)
			for i, p := range c.plans {
				if !p.Decision.At.Equal(c.want[i]) {
					t.Errorf("%s: at %v, want %v", p.Session.ID, p.Decision.At, c.want[i])
				}
			}
		})
	}
}

// threeOnOneCap writes three 2.1.330 sessions stalled on one five-hour cap
// (the same resetsAt), stalled 20, 10 and 5 minutes before t0.
func threeOnOneCap(t *testing.T, reset time.Time) []watch.Session {
	t.Helper()
	root := filepath.Join(t.TempDir(), "root")
	var out []watch.Session
	for i, id := range []string{"old", "mid", "young"} {
		errAt := t0.Add(-[]time.Duration{20, 10, 5}[i] * time.Minute)
		c := newCapTranscript(t, root, id, "2.1.330", errAt.Add(-3*time.Second))
		c.fail(capErr{at: errAt, text: "You've hit your 5-hour limit · resets 1:00pm (UTC)", resets: reset, window: "five_hour"})
		out = append(out, c.session())
	}
	return out
}

// Issue 8 item 9: sessions behind one cap resume --stagger apart, oldest
// stall first, each with its own resume time, and the engine agrees with
// what `ccwake status` computes (Latest + StaggerPlans).
func TestSessionsOnOneCapStaggered(t *testing.T) {
	reset := t0.Add(time.Hour)
	ss := threeOnOneCap(t, reset)
	h := newHarness(t, nil)
	for i, s := range ss {
		h.actor.addPane(s.ID, []string{"%1", "%2", "%3"}[i])
	}
	for i := len(ss) - 1; i >= 0; i-- { // the youngest arrives first
		h.send(ss[i])
	}
	first := reset.Add(time.Minute)
	plans := make([]Plan, len(ss))
	for i, s := range ss {
		want := first.Add(time.Duration(i) * 10 * time.Second)
		st := h.wantPhase(s.ID, Waiting)
		if !st.ResumeAt.Equal(want) {
			t.Fatalf("%s: resume at %v, want %v", s.ID, st.ResumeAt, want)
		}
		plans[i] = Plan{Session: s, Decision: DefaultConfig().Latest(s, t0)}
	}
	StaggerPlans(plans, DefaultConfig().Stagger)
	for i, p := range plans {
		if got := h.status(ss[i].ID).ResumeAt; !p.Decision.At.Equal(got) {
			t.Errorf("%s: status would show %v, the engine %v", ss[i].ID, p.Decision.At, got)
		}
	}
	for i, s := range ss {
		at := first.Add(time.Duration(i) * 10 * time.Second)
		h.advanceTo(at.Add(-time.Second))
		h.wantCalls("type", i)
		h.advanceTo(at)
		h.wantCalls("type "+h.status(s.ID).Pane+" continue", 1)
	}
}

// Stagger 0 sends them all at the reset, as before.
func TestStaggerZeroDisables(t *testing.T) {
	reset := t0.Add(time.Hour)
	ss := threeOnOneCap(t, reset)
	h := newHarness(t, func(c *Config) { c.Stagger = 0 })
	for _, s := range ss {
		h.send(s)
		if st := h.status(s.ID); !st.ResumeAt.Equal(reset.Add(time.Minute)) {
			t.Fatalf("%s: resume at %v with stagger 0", s.ID, st.ResumeAt)
		}
	}
}

// After a sleep past the reset every resume is due at once: they are still
// typed --stagger apart, oldest first.
func TestStaggerHoldsWhenAllCameDueTogether(t *testing.T) {
	reset := t0.Add(time.Hour)
	ss := threeOnOneCap(t, reset)
	h := newHarness(t, nil)
	for i, s := range ss {
		h.actor.addPane(s.ID, []string{"%1", "%2", "%3"}[i])
		h.send(s)
	}
	h.advance(10 * time.Minute)
	h.sync()
	h.clock.Suspend(3 * time.Hour)
	h.settle() // what the first re-check after waking runs
	h.wantCalls("type %1", 1)
	h.wantCalls("type", 1)
	h.advance(9 * time.Second)
	h.wantCalls("type", 1)
	h.advance(time.Second)
	h.wantCalls("type %2", 1)
	h.advance(10 * time.Second)
	h.wantCalls("type %3", 1)
	if st := h.status("young"); !hasAction(st.History, "staggered") {
		t.Fatalf("history %v", whats(st.History))
	}
}

// A retry is never held back by the stagger.
func TestRetryNotStaggered(t *testing.T) {
	reset := t0.Add(time.Hour)
	ss := threeOnOneCap(t, reset)
	h := newHarness(t, nil)
	for i, s := range ss {
		h.actor.addPane(s.ID, []string{"%1", "%2", "%3"}[i])
		h.send(s)
	}
	h.advanceTo(reset.Add(time.Minute)) // "old" typed
	h.wantCalls("type %1", 1)
	h.e.Retry("young")
	h.settle()
	h.wantCalls("type %3", 1)
}

// Found in the 2.1.145 e2e run (aa48292): the one session on a cap took the
// stagger turn with its Escape on the usage dialog, then waited 10 s behind
// itself ("another session … was just resumed") before typing. An attempt
// that does not type (an Escape, a refused guard) keeps its own turn: only
// other sessions wait behind it.
func TestStaggerNotBehindItself(t *testing.T) {
	reset := t0.Add(time.Hour)
	s := threeOnOneCap(t, reset)[0]
	h := newHarness(t, func(c *Config) { c.BlockedBase, c.BlockedCap, c.DraftRecheck = time.Second, time.Second, time.Second })
	h.actor.addPane(s.ID, "%1")
	h.actor.setScreen("%1", pane.ScreenDraft) // the first look is refused
	h.send(s)
	h.advanceTo(reset.Add(time.Minute))
	h.wantCalls("type", 0)
	h.actor.setScreen("%1", pane.ScreenReady)
	h.advance(2 * time.Second) // the blocked re-check, well inside --stagger
	h.wantCalls("type %1 continue", 1)
	if st := h.status(s.ID); hasAction(st.History, "staggered") {
		t.Fatalf("staggered behind itself: %v (%s)", whats(st.History), st.Reason)
	}
}
