package pane

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/resume/mux/screen"
	"github.com/ccwake/ccwake/watch"
)

// screenServer is a private GNU screen world: its own SCREENDIR (a temp
// dir, mode 0700 as screen demands), no screenrc, sessions killed by their
// server pid on cleanup.
type screenServer struct {
	t   *testing.T
	dir string
	n   int
}

func newScreen(t *testing.T) *screenServer {
	t.Helper()
	if testing.Short() {
		t.Skip("real screen and processes: skipped with -short")
	}
	if _, err := exec.LookPath("screen"); err != nil {
		t.Skip("GNU screen not installed (apt-get install screen)")
	}
	dir := filepath.Join(t.TempDir(), "S")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := &screenServer{t: t, dir: dir}
	t.Cleanup(func() {
		for _, sess := range screen.ParseList(s.out("-ls")) {
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

func (s *screenServer) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command("screen", args...)
	var keep []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STY=") && !strings.HasPrefix(kv, "WINDOW=") && !strings.HasPrefix(kv, "TMUX") &&
			!strings.HasPrefix(kv, "SCREENDIR=") && !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "LC_ALL=") {
			keep = append(keep, kv)
		}
	}
	cmd.Env = append(keep, "SCREENDIR="+s.dir, "LANG=C.UTF-8")
	return cmd
}

func (s *screenServer) out(args ...string) string {
	out, _ := s.cmd(args...).CombinedOutput()
	return string(out)
}

func (s *screenServer) must(args ...string) string {
	s.t.Helper()
	out, err := s.cmd(args...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("screen %q: %v\n%s", args, err, out)
	}
	return string(out)
}

// actor is a Actor that searches this screen world only.
func (s *screenServer) actor() *Actor {
	return New(Config{Backends: []string{"screen"}, ScreenDir: s.dir})
}

// startClaude runs the fake Claude from bash in a new detached session
// (one session per call, window 0) in cwd, writing its sessions file, and
// waits for its input box. The returned mux.Pane is the qualified id. extra
// are more flags for the fake (e.g. -hint).
func (s *screenServer) startClaude(bin, cwd, root, id, script string, extra ...string) paneSession {
	s.t.Helper()
	transcript := filepath.Join(root, "projects", "p", id+".jsonl")
	for _, d := range []string{filepath.Dir(transcript), filepath.Join(root, "sessions"), cwd} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			s.t.Fatal(err)
		}
	}
	name := "cc" + strconv.Itoa(s.n)
	s.n++
	args := []string{"env", "CLAUDE_CONFIG_DIR=" + root, bin, "-transcript", transcript, "-session-id", id,
		"-cwd", cwd, "-script", script, "-first", "say hi", "-width", "78", "-sessions-dir", filepath.Join(root, "sessions")}
	args = append(args, extra...)
	line := shellQuote(args) + "; exec bash --norc --noprofile"
	s.must("-c", "/dev/null", "-U", "-dmS", name, "bash", "--norc", "--noprofile", "-c", line)
	var sess string
	waitFor(s.t, "screen session "+name, func() bool {
		for _, x := range screen.ParseList(s.out("-ls")) {
			if strings.HasSuffix(x, "."+name) {
				sess = x
				return true
			}
		}
		return false
	}, func() string { return s.out("-ls") })
	pane := "screen:" + sess + "/0"
	s.waitScreen(pane, "the fake's input box", func(text string) bool {
		return strings.Contains(text, "(fake)") && strings.Contains(text, "❯\u00a0")
	})
	return paneSession{Pane: pane, Session: watch.Session{ID: id, Cwd: cwd, Root: root, Transcript: transcript,
		State: watch.Stalled, Message: throttle2x}}
}

// capture reads a window through the backend under test's own hardcopy.
func (s *screenServer) capture(pane string) string {
	text, err := s.actor().capture(s.t.Context(), pane)
	if err != nil {
		return "hardcopy: " + err.Error()
	}
	return text
}

func (s *screenServer) waitScreen(pane, what string, cond func(string) bool) {
	s.t.Helper()
	waitFor(s.t, what, func() bool { return cond(s.capture(pane)) }, func() string { return s.capture(pane) })
}

// stuff types into a window as a human would (the screen client, not ccwake).
func (s *screenServer) stuff(pane, text string) {
	s.t.Helper()
	sess, win, err := screen.ParseID(strings.TrimPrefix(pane, "screen:"))
	if err != nil {
		s.t.Fatal(err)
	}
	s.must("-S", sess, "-p", win, "-X", "stuff", text)
}
