package resume

import (
	"time"

	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/procs/procstest"
	"github.com/ccwake/ccwake/watch"
)

// The fake clock, the fake process table, the real screen and kitty worlds
// and the poll helper of this package's tests are internal/testkit's and
// procs/procstest's; this file only adapts them to the engine's tests.

type fakeClock = testkit.Clock

func newFakeClock(now time.Time) *fakeClock { return testkit.NewClock(now) }

type fakeProcs = procstest.Table

func newFakeProcs() *fakeProcs { return procstest.New() }

// paneSession is one fake Claude Code run in a pane and the session it
// writes, stalled on the fake's throttle.
type paneSession struct {
	watch.Session
	Pane string
}

func sessionOf(c testkit.Claude) paneSession {
	return paneSession{Pane: c.Pane, Session: watch.Session{ID: c.ID, Cwd: c.Cwd, Root: c.Root,
		Transcript: c.Transcript, State: watch.Stalled, Message: throttle2x}}
}

// throttle2x is the throttle the fake Claude stalls on (its "429" step).
const throttle2x = "API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"

type screenServer struct{ *testkit.Screen }

func newScreen(t *testing.T) *screenServer { return &screenServer{testkit.NewScreen(t)} }

func (s *screenServer) startClaude(bin, cwd, root, id, script string, extra ...string) paneSession {
	return sessionOf(s.StartClaude(bin, testkit.ClaudeOpts{Root: root, Cwd: cwd, ID: id, Script: script,
		SessionFile: true, Extra: extra}))
}

type kittyServer struct{ *testkit.Kitty }

func newKitty(t *testing.T) *kittyServer { return &kittyServer{testkit.NewKitty(t)} }

func (k *kittyServer) startClaude(bin, cwd, root, id, script string) paneSession {
	return sessionOf(k.StartClaude(bin, testkit.ClaudeOpts{Root: root, Cwd: cwd, ID: id, Script: script, SessionFile: true}))
}
