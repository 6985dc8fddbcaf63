package resume

import (
	"path/filepath"
	"strings"
	"testing"
)

// The engine resumes a stalled session in a screen window exactly once,
// with tmux and screen both searched, the client's hint in its input line.
func TestIntegrationScreenThrottleResumedOnce(t *testing.T) {
	env := newItEnv(t)
	srv := newScreen(t)
	env.backends, env.screenDir = []string{"tmux", "screen"}, srv.Dir
	ie := env.newEngine(RealClock{}, nil)
	ie.run()
	// -hint: 2.1.330's "Resend your message to try again" in the empty input
	// line, which screen's hardcopy shows without its dim.
	s := srv.startClaude(env.bin, filepath.Join(t.TempDir(), "proj"), env.root, newUUID(), "429,ok", "-hint")
	dump := func() string {
		st, _ := ie.status(s.ID)
		return srv.Capture(s.Pane) + "\n" + st.Reason + " / " + st.PaneErr
	}
	waitUntil(t, itTimeout, "the stall to be resumed", ie.phaseIs(s.ID, Resumed), dump)
	srv.WaitScreen(s.Pane, "the reply", func(text string) bool { return strings.Contains(text, "Hello from the fake (1).") })
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
	if st, _ := ie.status(s.ID); st.Pane != s.Pane {
		t.Errorf("status pane %q, want %q", st.Pane, s.Pane)
	}
}
