package resume

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/fakerun"
	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

// fakeRunner is the ordered fake mux.Runner of internal/fakerun.
type fakeRunner = fakerun.Runner

func newFakeRunner(t testing.TB) *fakeRunner { return fakerun.New(t) }

// fakeProcs is an in-memory procs.Table for unit tests.
type fakeProcs struct {
	procs map[int]procs.Proc
	cwd   map[int]string
	argv  map[int][]string
	exe   map[int]string
	env   map[int][]string // missing: defaultEnv (nil: procs.ErrEnvUnknown)
	stdio map[int][]string // missing: the terminal on 0-2; nil: unreadable
	// defaultEnv is every process's environment unless env says otherwise.
	defaultEnv []string
}

func newFakeProcs() *fakeProcs {
	return &fakeProcs{procs: map[int]procs.Proc{}, cwd: map[int]string{}, argv: map[int][]string{}, exe: map[int]string{},
		env: map[int][]string{}, stdio: map[int][]string{}}
}

// add registers a process; pgid defaults to its pid and tpgid to -1.
func (f *fakeProcs) add(p procs.Proc, cwd string) *fakeProcs {
	if p.PGID == 0 {
		p.PGID = p.PID
	}
	if p.TPGID == 0 {
		p.TPGID = -1
	}
	f.procs[p.PID] = p
	f.cwd[p.PID] = cwd
	return f
}

func (f *fakeProcs) List(context.Context) ([]procs.Proc, error) {
	var out []procs.Proc
	for _, p := range f.procs {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b procs.Proc) int { return a.PID - b.PID })
	return out, nil
}

func (f *fakeProcs) Get(_ context.Context, pid int) (procs.Proc, error) {
	p, ok := f.procs[pid]
	if !ok {
		return procs.Proc{}, fmt.Errorf("process %d: no such process", pid)
	}
	return p, nil
}

func (f *fakeProcs) Cwd(_ context.Context, pid int) (string, error) {
	if c, ok := f.cwd[pid]; ok && c != "" {
		return c, nil
	}
	return "", fmt.Errorf("cwd of %d: permission denied", pid)
}

func (f *fakeProcs) Cmdline(_ context.Context, pid int) ([]string, error) {
	return f.argv[pid], nil
}

func (f *fakeProcs) Exe(_ context.Context, pid int) (string, error) {
	if e, ok := f.exe[pid]; ok {
		return e, nil
	}
	return "/usr/bin/" + f.procs[pid].Comm, nil
}

func (f *fakeProcs) Environ(_ context.Context, pid int) ([]string, error) {
	if e, ok := f.env[pid]; ok {
		return e, nil
	}
	if f.defaultEnv == nil {
		return nil, procs.ErrEnvUnknown
	}
	return f.defaultEnv, nil
}

func (f *fakeProcs) Stdio(_ context.Context, pid int) ([]string, error) {
	if s, ok := f.stdio[pid]; ok {
		if s == nil {
			return nil, fmt.Errorf("fd 0 of process %d: permission denied", pid)
		}
		return s, nil
	}
	return []string{"/dev/pts/3", "/dev/pts/3", "/dev/pts/3"}, nil
}

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

// ---- real tmux on a private socket ----

// tmuxServer is a private tmux server for one test: its own socket,
// -f /dev/null, a fixed 120x40 size, killed by socket on cleanup.
type tmuxServer struct {
	t    *testing.T
	sock string
	env  []string
}

// newTmux starts a private server whose first window runs a plain bash in
// a scratch directory. Slow tests call it, so it skips in -short mode.
func newTmux(t *testing.T) *tmuxServer {
	t.Helper()
	if testing.Short() {
		t.Skip("real tmux: skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (make test installs it)")
	}
	// Unix socket paths are short (108 bytes): not under t.TempDir().
	dir, err := os.MkdirTemp("", "ccw")
	if err != nil {
		t.Fatal(err)
	}
	s := &tmuxServer{t: t, sock: filepath.Join(dir, "s")}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") && !strings.HasPrefix(kv, "TMUX_PANE=") && !strings.HasPrefix(kv, "PS1=") {
			s.env = append(s.env, kv)
		}
	}
	s.env = append(s.env, "PS1=$ ", "TERM=xterm-256color")
	t.Cleanup(func() {
		_, _ = s.tmux("kill-server")
		_ = os.RemoveAll(dir)
	})
	s.start()
	return s
}

// start (re)starts the server on the same socket.
func (s *tmuxServer) start() {
	s.t.Helper()
	if out, err := s.tmux("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", "cc",
		"-c", os.TempDir(), "bash", "--norc", "--noprofile"); err != nil {
		s.t.Fatalf("start tmux: %v: %s", err, out)
	}
}

// tmux runs one tmux command against this server (test plumbing, not the
// code under test).
func (s *tmuxServer) tmux(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...)
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (s *tmuxServer) must(args ...string) string {
	s.t.Helper()
	out, err := s.tmux(args...)
	if err != nil {
		s.t.Fatalf("tmux %q: %v: %s", args, err, out)
	}
	return strings.TrimSpace(out)
}

// actor returns a pane.Actor on this server with the real runner and /proc.
func (s *tmuxServer) actor() *pane.Actor {
	return pane.New(pane.Config{Socket: s.sock})
}

// shellPane opens a window running bash in cwd and returns its pane id.
func (s *tmuxServer) shellPane(cwd string) string {
	s.t.Helper()
	pane := s.must("new-window", "-d", "-P", "-F", "#{pane_id}", "-c", cwd, "bash", "--norc", "--noprofile")
	s.waitScreen(pane, "a shell prompt", func(text string) bool { return strings.Contains(text, "$") })
	return pane
}

// typeLine drives the test's own shell: literal text, then Enter.
func (s *tmuxServer) typeLine(pane, line string) {
	s.t.Helper()
	s.must("send-keys", "-t", pane, "-l", "--", line)
	s.must("send-keys", "-t", pane, "Enter")
}

func (s *tmuxServer) capture(pane string) string {
	out, err := s.tmux("capture-pane", "-p", "-t", pane)
	if err != nil {
		return fmt.Sprintf("<capture-pane %s failed: %v: %s>", pane, err, out)
	}
	return out
}

// waitScreen polls the pane until cond holds; on timeout it fails the test
// and dumps the screen.
func (s *tmuxServer) waitScreen(pane, what string, cond func(string) bool) string {
	s.t.Helper()
	deadline := testwait.Deadline(s.t)
	for {
		text := s.capture(pane)
		if cond(text) {
			return text
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("pane %s: timed out waiting for %s; screen:\n%s", pane, what, text)
		}
		time.Sleep(50 * time.Millisecond) // polling interval, not sequencing
	}
}

// waitFor polls cond with a deadline; dump is printed on failure.
func waitFor(t *testing.T, what string, cond func() bool, dump func() string) {
	t.Helper()
	deadline := testwait.Deadline(t)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s\n%s", what, dump())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fakeClaudeBinary builds testdata/fakeclaude as <tmp>/claude, so its comm
// is "claude" like the native client's.
func fakeClaudeBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "claude")
	cmd := exec.Command("go", "build", "-o", bin, "../testdata/fakeclaude")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build fakeclaude: %v\n%s", err, out)
	}
	return bin
}

// paneSession is one fake Claude Code run in a pane and what it writes.
type paneSession struct {
	watch.Session
	Pane string
}

// claudeOpts are the fake's flags beyond the ones startClaude sets.
type claudeOpts struct {
	script      string // default "429,ok"
	first       string // default "say hi"
	sessionFile bool   // write <root>/sessions/<pid>.json with the tmux field
	// env is added to the fake's environment after CLAUDE_CONFIG_DIR=<root>
	// (a later assignment wins).
	env   []string
	extra []string
}

// startClaude launches the fake from a bash in a new window in cwd (bash
// stays its parent, as with a human starting claude) and waits for its
// input box.
func (s *tmuxServer) startClaude(bin, cwd, root, id string, o claudeOpts) paneSession {
	s.t.Helper()
	if o.script == "" {
		o.script = "429,ok"
	}
	if o.first == "" {
		o.first = "say hi"
	}
	transcript := filepath.Join(root, "projects", "p", id+".jsonl")
	if err := os.MkdirAll(filepath.Dir(transcript), 0o755); err != nil {
		s.t.Fatal(err)
	}
	// The fake runs under root like a real client would: its environment
	// names the root, which is how ccwake tells whose process it is.
	args := append([]string{"env", "CLAUDE_CONFIG_DIR=" + root}, o.env...)
	args = append(args, bin, "-transcript", transcript, "-session-id", id, "-script", o.script, "-first", o.first)
	if o.sessionFile {
		if err := os.MkdirAll(filepath.Join(root, "sessions"), 0o755); err != nil {
			s.t.Fatal(err)
		}
		args = append(args, "-sessions-dir", filepath.Join(root, "sessions"), "-tmux-field", "auto")
	}
	args = append(args, o.extra...)
	pane := s.shellPane(cwd)
	s.typeLine(pane, shellQuote(args))
	s.waitScreen(pane, "the fake's input box", func(text string) bool {
		return strings.Contains(text, "(fake)") && (strings.Contains(text, "❯\u00a0") || strings.Contains(text, "Esc to cancel"))
	})
	return paneSession{Pane: pane, Session: watch.Session{ID: id, Cwd: cwd, Root: root, Transcript: transcript,
		State: watch.Stalled, Message: throttle2x}}
}

func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// transcriptLines reads the transcript's lines ("" file missing = none).
func transcriptLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

// throttle2x is the throttle the fake Claude stalls on (its "429" step).
const throttle2x = "API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"
