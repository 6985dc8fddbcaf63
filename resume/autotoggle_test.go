package resume

import (
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
	h.e.SetAuto(true)
	h.settle()
	before := map[string]int{}
	for _, id := range []string{"cap", "dead", "many"} {
		before[id] = len(h.status(id).History)
	}
	for range 3 {
		h.e.SetAuto(false)
		h.settle()
		h.e.SetAuto(true)
		h.settle()
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
