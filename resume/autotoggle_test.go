package resume

import (
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// Issue 10 item 15: toggling auto-resume (the dashboard's a key) logs the
// toggle, not the whole start-up again: a session's "scheduled", "fatal"
// or "gave_up" is logged once per stall however often auto flips.
func TestAutoToggleNoRepeatedNoise(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Auto = false })
	h.send(usage("cap", "c1", t0, t0.Add(3*time.Hour)))
	h.send(stall("dead", "d1", classify.Fatal, 1, t0))
	h.send(stall("many", "m1", classify.Throttle, 9, t0))
	h.send(stall("nopane", "n1", classify.Throttle, 1, t0.Add(-time.Hour))) // due, and no pane to find
	h.e.SetAuto(true)
	h.advance(time.Second)
	if !hasAction(h.status("nopane").History, "no_pane") {
		t.Fatalf("nopane: %v", whats(h.status("nopane").History))
	}
	before := map[string]int{}
	for _, id := range []string{"cap", "dead", "many", "nopane"} {
		before[id] = len(h.status(id).History)
	}
	for range 3 {
		h.e.SetAuto(false)
		h.settle()
		h.e.SetAuto(true)
		h.advance(time.Second)
	}
	for id, n := range before {
		if got := h.status(id).History; len(got) != n {
			t.Errorf("%s: history grew from %d to %d on toggling auto: %v", id, n, len(got), whats(got))
		}
	}
	var autos int
	for _, a := range h.e.Snapshot().Log {
		if a.What == "auto" {
			autos++
		}
	}
	if autos != 7 {
		t.Errorf("%d auto actions logged, want 7 (one per toggle)", autos)
	}
}

// Issue 10 item 15: a stall that ends without ccwake typing (the user
// typed, the client retried) is logged as "recovered", once; one ccwake
// resumed is "confirmed", not "recovered".
func TestRecoveredWithoutCCWake(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Config)
		kind classify.Kind
	}{
		{"waiting on a cap", nil, classify.UsageLimit},
		{"fatal", nil, classify.Fatal},
		{"auto off", func(c *Config) { c.Auto = false }, classify.Throttle},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.mod)
			s := stall("s1", "e1", tc.kind, 1, t0)
			if tc.kind == classify.UsageLimit {
				s = usage("s1", "e1", t0, t0.Add(3*time.Hour))
			}
			h.send(s)
			h.advance(time.Second)
			h.send(working(s, "u2", t0.Add(2*time.Second)))
			h.send(working(s, "u3", t0.Add(3*time.Second)))
			h.settle()
			st := h.status("s1")
			n := 0
			for _, a := range st.History {
				if a.What == "recovered" {
					n++
				}
			}
			if n != 1 || st.Phase != Idle {
				t.Errorf("recovered logged %d times, phase %s; history %v", n, st.Phase, whats(st.History))
			}
			h.wantCalls("type", 0)
		})
	}

	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.Throttle, 1, t0)
	h.send(s)
	h.advance(time.Minute)
	h.wantCalls("type %1 continue", 1)
	h.send(working(s, "u2", h.clock.Now()))
	st := h.wantPhase("s1", Resumed)
	if hasAction(st.History, "recovered") {
		t.Errorf("ccwake's own resume logged as recovered: %v", whats(st.History))
	}
}

// Issue 10 item 15: a plan whose time already passed is logged as due, not
// with a time in the past.
func TestScheduledPastTimeSaysDue(t *testing.T) {
	h := newHarness(t, nil)
	h.send(stall("s1", "e1", classify.Throttle, 1, t0.Add(-time.Hour))) // an hour old: its backoff has passed
	st := h.status("s1")
	for _, a := range st.History {
		if a.What == "scheduled" && (!strings.Contains(a.Reason, "due now") || strings.Contains(a.Reason, "resume at")) {
			t.Errorf("scheduled %q: want due now, no past time", a.Reason)
		}
	}
	if !hasAction(st.History, "scheduled") {
		t.Fatalf("nothing scheduled: %v", whats(st.History))
	}
}
