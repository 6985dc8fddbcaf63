package pane

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/internal/fakerun"
	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/procs/procstest"
	"github.com/ccwake/ccwake/watch"
)

// The real terminals, the fake Claude, the fake process table and the poll
// helper of this package's tests are internal/testkit's and
// procs/procstest's; this file only adapts them: the Actor each world is
// searched by, and a fake Claude's run as the watch.Session it stalls.

type fakeRunner = fakerun.Runner

func newFakeRunner(t testing.TB) *fakeRunner { return fakerun.New(t) }

type fakeProcs = procstest.Table

func newFakeProcs() *fakeProcs { return procstest.New() }

// waitFor is testkit.WaitFor.
func waitFor(t *testing.T, what string, cond func() bool, dump func() string) {
	t.Helper()
	testkit.WaitFor(t, what, cond, dump)
}

func shellQuote(args []string) string { return testkit.ShellQuote(args) }

// paneLine renders p the way list-panes/display-message print paneFormat.
func paneLine(p mux.Pane) string {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	return strings.Join([]string{p.ID, strconv.Itoa(p.PID), p.Command, b(p.Dead), b(p.InMode), p.Mode,
		b(p.InputOff), p.TTY, p.Session, p.Window}, "\t") + "\n"
}

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

// claudeOpts are the fake's flags beyond the ones startClaude sets.
type claudeOpts struct {
	script      string // default "429,ok"
	first       string // default "say hi"
	sessionFile bool   // write <root>/sessions/<pid>.json with the tmux field
	env         []string
	extra       []string
}

type tmuxServer struct {
	*testkit.Tmux
	t *testing.T
}

func newTmux(t *testing.T) *tmuxServer {
	t.Helper()
	return &tmuxServer{Tmux: testkit.NewTmux(t, testkit.TmuxOpts{}), t: t}
}

// actor returns an Actor on this server with the real runner and /proc.
func (s *tmuxServer) actor() *Actor { return New(Config{Socket: s.Sock}) }

func (s *tmuxServer) startClaude(bin, cwd, root, id string, o claudeOpts) paneSession {
	s.t.Helper()
	ko := testkit.ClaudeOpts{Root: root, Cwd: cwd, ID: id, Script: o.script, First: o.first,
		SessionFile: o.sessionFile, Env: o.env, Extra: o.extra}
	if o.sessionFile {
		ko.TmuxField = "auto"
	}
	return sessionOf(s.StartClaude(bin, ko))
}

type screenServer struct{ *testkit.Screen }

func newScreen(t *testing.T) *screenServer { return &screenServer{testkit.NewScreen(t)} }

// actor is an Actor that searches this screen world only.
func (s *screenServer) actor() *Actor {
	return New(Config{Backends: []string{"screen"}, ScreenDir: s.Dir})
}

func (s *screenServer) startClaude(bin, cwd, root, id, script string, extra ...string) paneSession {
	return sessionOf(s.StartClaude(bin, testkit.ClaudeOpts{Root: root, Cwd: cwd, ID: id, Script: script,
		SessionFile: true, Extra: extra}))
}

type kittyServer struct{ *testkit.Kitty }

func newKitty(t *testing.T) *kittyServer { return &kittyServer{testkit.NewKitty(t)} }

func (k *kittyServer) actor() *Actor {
	return New(Config{Backends: []string{"kitty"}, KittyListenOn: k.To})
}

func (k *kittyServer) startClaude(bin, cwd, root, id, script string) paneSession {
	return sessionOf(k.StartClaude(bin, testkit.ClaudeOpts{Root: root, Cwd: cwd, ID: id, Script: script, SessionFile: true}))
}

// transcriptLines reads the transcript's lines (a missing file has none).
func transcriptLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}
