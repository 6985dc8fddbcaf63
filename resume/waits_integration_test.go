package resume

import (
	"path/filepath"
	"strings"
	"testing"
)

// Issue 8 item 10 with the fake Claude in real tmux: `r` on a session whose
// client counts down its own auto-continue types `continue` now (no Escape),
// and the stall is resumed long before the reset.
func TestIntegrationRetryOverAutoWait(t *testing.T) {
	env := newItEnv(t)
	ie := env.newEngine(RealClock{}, nil)
	ie.run()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "5h,ok", "say hi", "-auto-wait")
	dump := env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "the client's own wait to be shown", func() bool {
		st, ok := ie.status(s.ID)
		return ok && st.Phase == Waiting && strings.Contains(st.Reason, "client continues by itself")
	}, dump)
	before, _ := ie.status(s.ID)
	reset := before.Session.ResetsAt
	if reset.IsZero() {
		t.Fatalf("no reset known\n%s", dump())
	}
	ie.e.Retry(s.ID)
	waitUntil(t, itTimeout, "the retry to resume it", ie.phaseIs(s.ID, Resumed), dump)
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
	if n := ie.actor.n("escape"); n != 0 {
		t.Fatalf("%d Escapes, want none\n%s", n, dump())
	}
	st, _ := ie.status(s.ID)
	for _, a := range st.History {
		if a.What == "typed" && !a.Time.Before(reset) {
			t.Fatalf("typed at %v, not before the reset %v\n%s", a.Time, reset, dump())
		}
	}
}
