package resume

import (
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// A track's stall value belongs to its newest entry: what was done stays
// while the entry does, and a new entry starts from nothing done. An entry
// without a uuid counts as typed: nothing acts on it.
func TestStallValueFollowsTheNewestEntry(t *testing.T) {
	tr := &track{cur: newStall("")}
	see := func(uuid string) { tr.st.Session.LastUUID = uuid; tr.see() }

	see("e1")
	if tr.cur.uuid != "e1" || tr.cur.typed || tr.cur.planned {
		t.Fatalf("fresh error: %+v", tr.cur)
	}
	tr.cur.planned, tr.cur.typed, tr.cur.dismissed, tr.cur.reopened = true, true, true, true
	see("e1") // another event, the same newest entry
	if !tr.cur.typed || !tr.cur.dismissed || !tr.cur.reopened || !tr.cur.planned {
		t.Fatalf("the same error lost what was done: %+v", tr.cur)
	}
	see("e2")
	if c := tr.cur; c.uuid != "e2" || c.planned || c.typed || c.dismissed || c.reopened || c.noted != nil {
		t.Fatalf("a new error kept what was done for the old one: %+v", tr.cur)
	}
	see("")
	if !tr.cur.typed || !tr.cur.planned {
		t.Fatalf("an entry without a uuid may be acted on: %+v", tr.cur)
	}
}

// Never twice per stall, through the engine: one continue for an error,
// none more for it however often it is seen, and one again for the next
// error.
func TestOnceForEachStall(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s", "%1")
	s := stall("s", "e1", classify.Throttle, 1, t0)
	h.send(s)
	h.advance(time.Hour)
	h.wantCalls("type", 1)
	h.send(s) // seen again: still the same error
	h.advance(time.Hour)
	h.wantCalls("type", 1)
	h.send(stall("s", "e2", classify.Throttle, 2, t0.Add(2*time.Hour)))
	h.advance(time.Hour)
	h.wantCalls("type", 2)
}
