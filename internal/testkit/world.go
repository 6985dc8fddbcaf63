package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// World is one scenario's private world: a tmux server on its own socket, a
// Claude root (projects/, sessions/) in a temp dir and the fake Claude
// built for it. ccwake itself — an engine, the binary — is started by the
// test on Root and Tmux.Sock: this package imports none of ccwake's
// deciding parts, so their own tests can use it.
type World struct {
	t    testing.TB
	Tmux *Tmux
	// Root is the Claude root every Claude of this world runs under.
	Root string
	// Bin is the fake Claude, built as <tmp>/claude.
	Bin string
}

// NewWorld starts a private tmux server and builds the fake Claude. It
// skips where NewTmux does.
func NewWorld(t testing.TB) *World {
	t.Helper()
	w := &World{t: t, Tmux: NewTmux(t, TmuxOpts{RemainOnExit: true})}
	w.Root = filepath.Join(t.TempDir(), "claude-root")
	for _, d := range []string{"projects", "sessions"} {
		if err := os.MkdirAll(filepath.Join(w.Root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w.Bin = FakeClaude(t)
	return w
}

// WorldClaude is a fake Claude in a World's pane, driven as a user would.
type WorldClaude struct {
	Claude
	w    *World
	next string // the fake's -next file
}

// Claude starts the fake Claude in a new pane of the world (a bash its
// parent, its sessions file written with the tmux field) and waits for its
// input box. o.Root defaults to the world's, o.Cwd to a fresh directory,
// o.Script to "ok" (the first prompt is answered; stalls come from Stall).
func (w *World) Claude(o ClaudeOpts) *WorldClaude {
	w.t.Helper()
	if o.Root == "" {
		o.Root = w.Root
	}
	if o.Cwd == "" {
		o.Cwd = filepath.Join(w.t.TempDir(), "work")
	}
	if o.Script == "" {
		o.Script = "ok"
	}
	o.SessionFile, o.TmuxField = true, "auto"
	next := filepath.Join(w.t.TempDir(), "next")
	o.Next = next
	c := &WorldClaude{w: w, next: next}
	c.Claude = w.Tmux.StartClaude(w.Bin, o)
	return c
}

// Stall makes the Claude stall on kind (one of the fake's answers: 429,
// 529, 5h, agent5h): the user submits a prompt and the API answers with
// that error. It returns once the error is in the transcript.
func (c *WorldClaude) Stall(kind string) {
	c.w.t.Helper()
	if err := os.WriteFile(c.next, []byte(kind), 0o644); err != nil {
		c.w.t.Fatal(err)
	}
	before := strings.Count(c.transcript(), `"isApiErrorMessage":true`)
	c.w.Tmux.TypeLine(c.Pane, "go on")
	WaitFor(c.w.t, "a "+kind+" stall in "+c.Transcript, func() bool {
		return strings.Count(c.transcript(), `"isApiErrorMessage":true`) > before
	}, c.Dump)
}

// Typed is how many "continue" prompts reached the Claude.
func (c *WorldClaude) Typed() int { return Count(UserTexts(c.Transcript), "continue") }

// ExpectTyped waits until exactly n "continue" prompts reached the Claude;
// more than n fails at once (never twice per stall).
func (c *WorldClaude) ExpectTyped(n int) {
	c.w.t.Helper()
	WaitFor(c.w.t, fmt.Sprintf("%d continue(s) typed", n), func() bool {
		got := c.Typed()
		if got > n {
			c.w.t.Fatalf("%d continues typed, want %d\n%s", got, n, c.Dump())
		}
		return got == n
	}, c.Dump)
}

// Screen is what the Claude's pane shows.
func (c *WorldClaude) Screen() string { return c.w.Tmux.Capture(c.Pane) }

// Dump is the pane and the transcript, for failure messages.
func (c *WorldClaude) Dump() string {
	return "screen of " + c.Pane + ":\n" + c.Screen() + "\ntranscript " + c.Transcript + ":\n" + c.transcript()
}

func (c *WorldClaude) transcript() string {
	b, _ := os.ReadFile(c.Transcript)
	return string(b)
}
