package testkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/mux/screen"
)

// Screen is a private GNU screen world: its own SCREENDIR (a temp dir, mode
// 0700 as screen demands), no screenrc, sessions killed by their server pid
// on cleanup.
type Screen struct {
	t testing.TB
	// Dir is the SCREENDIR every session of this world lives in.
	Dir string
	n   int
}

// NewScreen makes a screen world; it skips in -short mode and when GNU
// screen is not installed.
func NewScreen(t testing.TB) *Screen {
	t.Helper()
	SkipShort(t, "real screen")
	if _, err := exec.LookPath("screen"); err != nil {
		t.Skip("GNU screen not installed (apt-get install screen)")
	}
	dir := filepath.Join(t.TempDir(), "S")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := &Screen{t: t, Dir: dir}
	t.Cleanup(func() {
		for _, sess := range screen.ParseList(s.Out("-ls")) {
			pid, _, _ := strings.Cut(sess, ".")
			if n, err := strconv.Atoi(pid); err == nil && n > 0 {
				if p, err := os.FindProcess(n); err == nil {
					_ = p.Kill()
				}
			}
		}
	})
	return s
}

// Cmd is a screen command in this world.
func (s *Screen) Cmd(args ...string) *exec.Cmd {
	cmd := exec.Command("screen", args...)
	keep := Environ("STY", "WINDOW", "TMUX", "TMUX_PANE", "SCREENDIR", "LANG", "LC_ALL")
	cmd.Env = append(keep, "SCREENDIR="+s.Dir, "LANG=C.UTF-8")
	return cmd
}

// Out runs a screen command and returns its output, errors or not.
func (s *Screen) Out(args ...string) string {
	out, _ := s.Cmd(args...).CombinedOutput()
	return string(out)
}

// Must runs a screen command and fails the test on error.
func (s *Screen) Must(args ...string) string {
	s.t.Helper()
	out, err := s.Cmd(args...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("screen %q: %v\n%s", args, err, out)
	}
	return string(out)
}

// StartClaude runs the fake bin from bash in a new detached session (one
// session per call, window 0) in o.Cwd and waits for its input box. The
// Claude's Pane is the qualified id screen:<session>/0.
func (s *Screen) StartClaude(bin string, o ClaudeOpts) Claude {
	s.t.Helper()
	o.ChdirFlag = true
	if o.Width == 0 {
		o.Width = 78
	}
	o = o.withDefaults(s.t)
	name := "cc" + strconv.Itoa(s.n)
	s.n++
	line := ShellQuote(o.argv(bin)) + "; exec bash --norc --noprofile"
	s.Must("-c", "/dev/null", "-U", "-dmS", name, "bash", "--norc", "--noprofile", "-c", line)
	var sess string
	WaitFor(s.t, "screen session "+name, func() bool {
		for _, x := range screen.ParseList(s.Out("-ls")) {
			if strings.HasSuffix(x, "."+name) {
				sess = x
				return true
			}
		}
		return false
	}, func() string { return s.Out("-ls") })
	pane := "screen:" + sess + "/0"
	s.WaitScreen(pane, "the fake's input box", func(text string) bool {
		return strings.Contains(text, "(fake)") && strings.Contains(text, "❯\u00a0")
	})
	return o.claude(pane)
}

// Capture reads a window (screen:<session>/<window>) through the screen
// backend's own hardcopy.
func (s *Screen) Capture(pane string) string {
	_, id := mux.Split(pane)
	text, err := screen.New(mux.ExecRunner{}, nil, s.Dir).Capture(context.Background(), id)
	if err != nil {
		return "hardcopy: " + err.Error()
	}
	return text
}

// WaitScreen polls the window until cond holds.
func (s *Screen) WaitScreen(pane, what string, cond func(string) bool) {
	s.t.Helper()
	WaitFor(s.t, what, func() bool { return cond(s.Capture(pane)) }, func() string { return s.Capture(pane) })
}

// Stuff types into a window as a human would (the screen client, not
// ccwake).
func (s *Screen) Stuff(pane, text string) {
	s.t.Helper()
	sess, win, err := screen.ParseID(strings.TrimPrefix(pane, "screen:"))
	if err != nil {
		s.t.Fatal(err)
	}
	s.Must("-S", sess, "-p", win, "-X", "stuff", text)
}
