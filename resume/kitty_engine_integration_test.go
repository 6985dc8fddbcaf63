package resume

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestIntegrationKittyThrottleResumedOnce(t *testing.T) {
	env := newItEnv(t)
	k := newKitty(t)
	env.backends = []string{"tmux", "kitty"}
	env.kittyTo = k.To
	ie := env.newEngine(RealClock{}, nil)
	ie.run()
	s := k.startClaude(env.bin, filepath.Join(t.TempDir(), "proj"), env.root, newUUID(), "429,ok")
	dump := func() string {
		st, _ := ie.status(s.ID)
		return k.Capture(s.Pane) + "\n" + st.Reason + " / " + st.PaneErr
	}
	waitUntil(t, itTimeout, "the stall to be resumed", ie.phaseIs(s.ID, Resumed), dump)
	k.WaitScreen(s.Pane, "the reply", func(text string) bool { return strings.Contains(text, "Hello from the fake (1).") })
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
	if st, _ := ie.status(s.ID); st.Pane != s.Pane {
		t.Errorf("status pane %q, want %q", st.Pane, s.Pane)
	}
}
