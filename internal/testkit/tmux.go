package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Tmux is a private tmux server for one test: its own socket, -f /dev/null,
// a fixed size, ended on cleanup by its socket (kill-server) and, should the
// socket be gone, by the server's pid.
type Tmux struct {
	t testing.TB
	// Sock is the server's socket (tmux -S).
	Sock string
	// Env is the environment of the server and so of every pane.
	Env []string
	// Dir is a scratch directory beside the socket, removed on cleanup.
	Dir     string
	opts    TmuxOpts
	started bool // a Lazy server's session cc was made
	mu      sync.Mutex
	pids    []int // the processes of the panes made here, waited for on cleanup
}

// TmuxOpts shapes a Tmux; the zero value is a 120x40 server whose first
// window runs a plain bash in the temp dir, with the test's environment
// minus TMUX* and with PS1="$ " and TERM=xterm-256color.
type TmuxOpts struct {
	Width, Height int      // default 120x40
	Env           []string // the server's whole environment (nil: as above)
	First         []string // the first window's argv (nil: bash --norc --noprofile)
	Dir           string   // the first window's cwd (default the temp dir)
	// RemainOnExit keeps a pane whose program exited, so a failure dump
	// still shows its last screen.
	RemainOnExit bool
	// Lazy starts no server: the first Window starts it with its session
	// cc, so that session's only pane is that window's program (a test can
	// end the server by ending it).
	Lazy bool
}

// NewTmux starts a private tmux server. Real-tmux tests are slow: it skips
// in -short mode and when tmux is not installed.
func NewTmux(t testing.TB, o TmuxOpts) *Tmux {
	t.Helper()
	SkipShort(t, "real tmux")
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (make test installs it)")
	}
	// Unix socket paths are short (108 bytes): not under t.TempDir().
	dir, err := os.MkdirTemp("", "ccw")
	if err != nil {
		t.Fatal(err)
	}
	if o.Width == 0 {
		o.Width, o.Height = 120, 40
	}
	s := &Tmux{t: t, Sock: filepath.Join(dir, "s"), Dir: dir, Env: o.Env, opts: o}
	if s.Env == nil {
		s.Env = append(Environ("TMUX", "TMUX_PANE", "PS1"), "PS1=$ ", "TERM=xterm-256color")
	}
	t.Cleanup(func() {
		pid := s.serverPID()
		if _, err := s.Run("kill-server"); err != nil && pid > 0 {
			_ = syscall.Kill(pid, syscall.SIGTERM) // by the pid it told us; the socket is gone
		}
		// The panes' processes get SIGHUP: wait for them to exit, so the
		// removal of their temp dirs does not race their last writes.
		s.mu.Lock()
		pids := s.pids
		s.mu.Unlock()
		for _, pid := range pids {
			for deadline := time.Now().Add(10 * time.Second); !gone(pid) && time.Now().Before(deadline); {
				time.Sleep(pollEvery)
			}
		}
		_ = os.RemoveAll(dir)
	})
	if !o.Lazy {
		s.Start()
	}
	return s
}

// Environ is this process's environment without the variables named in
// drop (each dropped with its value).
func Environ(drop ...string) []string {
	var keep []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !contains(drop, k) {
			keep = append(keep, kv)
		}
	}
	return keep
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// SkipShort skips t in -short mode: what names the real parts it drives.
func SkipShort(t testing.TB, what string) {
	t.Helper()
	if testing.Short() {
		t.Skip(what + ": skipped in -short mode")
	}
}

// Start (re)starts the server on the same socket with its first window.
func (s *Tmux) Start() {
	s.t.Helper()
	dir, first := s.opts.Dir, s.opts.First
	if dir == "" {
		dir = os.TempDir()
	}
	if first == nil {
		first = []string{"bash", "--norc", "--noprofile"}
	}
	s.newSession(dir, first)
}

// newSession makes session cc with argv in dir and returns its pane.
func (s *Tmux) newSession(dir string, argv []string) string {
	s.t.Helper()
	var args []string
	if s.opts.RemainOnExit { // before the first pane: a program that exits at once still stays
		args = []string{"start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";"}
	}
	args = append(args, "new-session", "-d", "-x", strconv.Itoa(s.opts.Width), "-y", strconv.Itoa(s.opts.Height),
		"-s", "cc", "-c", dir, "-P", "-F", "#{pane_id}")
	pane := s.Must(append(args, argv...)...)
	s.started = true
	s.remember(pane)
	return pane
}

// remember notes the pid of pane's process, which cleanup waits for.
func (s *Tmux) remember(pane string) {
	if pid := s.PanePID(pane); pid > 0 {
		s.mu.Lock()
		s.pids = append(s.pids, pid)
		s.mu.Unlock()
	}
}

// Run runs one tmux command against this server (test plumbing, not the
// code under test) and returns its combined output. A command that starts
// the server starts it without a config file.
func (s *Tmux) Run(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-S", s.Sock, "-f", "/dev/null"}, args...)...)
	cmd.Env = s.Env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Must is Run that fails the test on error; it returns the trimmed output.
func (s *Tmux) Must(args ...string) string {
	s.t.Helper()
	out, err := s.Run(args...)
	if err != nil {
		s.t.Fatalf("tmux %q: %v: %s", args, err, out)
	}
	return strings.TrimSpace(out)
}

// Window runs argv as the process of a new window in dir and returns its
// pane id (a Lazy server's first makes the session).
func (s *Tmux) Window(dir string, argv ...string) string {
	s.t.Helper()
	if s.opts.Lazy && !s.started {
		return s.newSession(dir, argv)
	}
	pane := s.Must(append([]string{"new-window", "-d", "-t", "cc", "-c", dir, "-P", "-F", "#{pane_id}"}, argv...)...)
	s.remember(pane)
	return pane
}

// ShellPane opens a window running bash in cwd and returns its pane id once
// the prompt shows.
func (s *Tmux) ShellPane(cwd string) string {
	s.t.Helper()
	pane := s.Window(cwd, "bash", "--norc", "--noprofile")
	s.WaitScreen(pane, "a shell prompt", func(text string) bool { return strings.Contains(text, "$") })
	return pane
}

// TypeLine drives the test's own shell (or program): literal text, then
// Enter, as a human types.
func (s *Tmux) TypeLine(pane, line string) {
	s.t.Helper()
	s.Must("send-keys", "-t", pane, "-l", "--", line)
	s.Must("send-keys", "-t", pane, "Enter")
}

// Capture is what the pane shows (an explanation when tmux cannot say).
func (s *Tmux) Capture(pane string) string {
	out, err := s.Run("capture-pane", "-p", "-t", pane)
	if err != nil {
		return fmt.Sprintf("<capture-pane %s failed: %v: %s>", pane, err, out)
	}
	return out
}

// WaitScreen polls the pane until cond holds and returns that screen; on
// timeout it fails the test and dumps the screen.
func (s *Tmux) WaitScreen(pane, what string, cond func(string) bool) string {
	s.t.Helper()
	var text string
	WaitFor(s.t, "pane "+pane+": "+what, func() bool { text = s.Capture(pane); return cond(text) },
		func() string { return "screen:\n" + s.Capture(pane) })
	return text
}

// PanePID is the pid of the pane's process, 0 when tmux cannot say.
func (s *Tmux) PanePID(pane string) int {
	out, err := s.Run("display-message", "-p", "-t", pane, "#{pane_pid}")
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(out))
	return pid
}

// serverPID is the tmux server's pid, 0 if unknown.
func (s *Tmux) serverPID() int {
	out, err := s.Run("display-message", "-p", "#{pid}")
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(out))
	return pid
}

// ShellQuote quotes args for a POSIX shell line.
func ShellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// gone reports whether process pid has exited: no such process, or a
// zombie nobody reaped yet (/proc tells on Linux).
func gone(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return true
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(b), ')') // comm may hold spaces and parens
	return i >= 0 && i+2 < len(b) && b[i+2] == 'Z'
}
