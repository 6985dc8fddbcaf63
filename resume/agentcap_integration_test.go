package resume

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/watch/classify"
)

// Issue 8 item 4 end to end: the fake Claude's Agent call dies on the
// session cap (subagent file + main-thread tool_result), the main thread
// stays idle at its prompt. ccwake waits for the reset and types exactly
// once; with a draft in the input line it never types.

// agentCapScheduled starts a session whose agent hits the cap and waits
// until the engine schedules it.
func agentCapScheduled(t *testing.T, env *itEnv, ie *itEngine) (fakeSession, Status, func() string) {
	t.Helper()
	s := env.start(filepath.Join(t.TempDir(), "proj"), "agent5h,ok", "research the parser")
	dump := env.dump([]fakeSession{s}, ie)
	waitUntil(t, itTimeout, "the agent's cap to be scheduled", func() bool {
		st, ok := ie.status(s.ID)
		return ok && st.Phase == Waiting && st.Session.Agent && st.Session.Kind == classify.UsageLimit && !st.ResumeAt.IsZero()
	}, dump)
	st, _ := ie.status(s.ID)
	if st.ResumeAt.Before(time.Now().Add(30 * time.Minute)) {
		t.Fatalf("resume at %v, want after the reset about an hour away\n%s", st.ResumeAt, dump())
	}
	return s, st, dump
}

func TestIntegrationAgentCapResumedOnceAfterReset(t *testing.T) {
	env := newItEnv(t)
	clock := testkit.NewWallClock()
	ie := env.newEngine(clock, nil)
	ie.run()
	s, st, dump := agentCapScheduled(t, env, ie)
	clock.Advance(st.ResumeAt.Sub(clock.Now()) - 1500*time.Millisecond)
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 0 {
		t.Fatalf("typed before the reset\n%s", dump())
	}
	waitUntil(t, itTimeout, "the resume after the reset", ie.phaseIs(s.ID, Resumed), dump)
	waitUntil(t, itTimeout, "the reply on screen", func() bool {
		return strings.Contains(env.screen(s.Pane), "Hello from the fake (1).")
	}, dump)
	st, _ = ie.status(s.ID)
	for _, a := range st.History {
		if a.What == "typed" && a.Time.Before(st.Session.ResetsAt) {
			t.Fatalf("typed at %v, before the reset %v\n%s", a.Time, st.Session.ResetsAt, dump())
		}
	}
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1\n%s", n, dump())
	}
	// Long after, still once: the resumed session is working.
	clock.Advance(2 * time.Hour)
	waitUntil(t, itTimeout, "the engine to settle", ie.idle, dump)
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries after settling, want 1\n%s", n, dump())
	}
}

func TestIntegrationAgentCapDraftRefused(t *testing.T) {
	env := newItEnv(t)
	clock := testkit.NewWallClock()
	ie := env.newEngine(clock, nil)
	ie.run()
	s, st, dump := agentCapScheduled(t, env, ie)
	if out, err := env.tmux.Run("send-keys", "-t", s.Pane, "-l", "fix the tests"); err != nil {
		t.Fatalf("send-keys: %v %s", err, out)
	}
	waitUntil(t, itTimeout, "the draft on screen", func() bool {
		return strings.Contains(env.screen(s.Pane), "fix the tests")
	}, dump)
	clock.Advance(st.ResumeAt.Sub(clock.Now()) + time.Second)
	waitUntil(t, itTimeout, "the draft to be refused", func() bool {
		st, ok := ie.status(s.ID)
		return ok && strings.Contains(st.Reason, "user typing")
	}, dump)
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 0 {
		t.Fatalf("%d continue entries, want none\n%s", n, dump())
	}
	if scr := env.screen(s.Pane); !strings.Contains(scr, "❯\u00a0fix the tests\n") && !strings.Contains(scr, "❯ fix the tests\n") {
		t.Fatalf("the draft was changed:\n%s", dump())
	}
}
