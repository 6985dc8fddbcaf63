package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/paths"
	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/ui"
)

// Helpers for the dashboard integration tests: the real ccwake binary and
// the fake Claude Code (testdata/fakeclaude) in panes of a private tmux
// server. Everything lives under one short temp dir (a unix socket path must
// fit 108 bytes); the server is killed by its socket and every process by
// its PID on cleanup, never by name.

// dashEnv is one scenario's world.
type dashEnv struct {
	t      *testing.T
	base   string // temp dir holding everything below
	home   string // $HOME of the panes (the dashboard shows it as ~)
	root   string // Claude config root: <home>/.claude
	sock   string // tmux socket
	srv    *testkit.Tmux
	ccwake string   // the real ccwake binary
	claude string   // the fake Claude, named claude so its comm matches
	env    []string // environment of the tmux server and so its panes
	n      int      // windows started
}

// newDashEnv takes both binaries from the shared builds (built on first
// use) and starts a private tmux server of the given size whose first
// window is a plain shell. Slow: skipped with -short.
func newDashEnv(t *testing.T, width, height int) *dashEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("real tmux, real ccwake binary and the fake Claude: skipped with -short")
	}
	base, err := os.MkdirTemp("", "ccwd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	e := &dashEnv{t: t, base: base, home: filepath.Join(base, "home")}
	e.root = filepath.Join(e.home, ".claude")
	run := filepath.Join(base, "run") // XDG_RUNTIME_DIR: ccwake's lock files stay in the test's dir
	for _, d := range []string{e.root + "/projects", e.root + "/sessions", run, base + "/bin"} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	e.ccwake = raceBinary(t)
	e.claude = testkit.FakeClaude(t)

	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "TMUX", "TMUX_PANE", "HOME", "XDG_RUNTIME_DIR", "CLAUDE_CONFIG_DIR", "NO_COLOR", "TERM", "PS1", "TZ":
		default:
			e.env = append(e.env, kv)
		}
	}
	// UTC so the fake's "resets 8:31pm (UTC)" and the dashboard agree.
	e.env = append(e.env, "HOME="+e.home, "XDG_RUNTIME_DIR="+run, "TERM=xterm-256color", "PS1=$ ", "TZ=UTC")

	// A pane whose program exits stays, so a failure dump still shows its last screen.
	e.srv = testkit.NewTmux(t, testkit.TmuxOpts{Width: width, Height: height, Env: e.env, Dir: base, RemainOnExit: true})
	e.sock = e.srv.Sock
	return e
}

// record is the path of the record the real ccwake keeps for e's root:
// under the passwd home whatever $HOME says, keyed by the root's inode, so
// every env has its own. Cleanup removes it.
func (e *dashEnv) record() string {
	e.t.Helper()
	base, err := paths.RecordBase()
	rec, err := paths.RecordPaths(base, err, []string{e.root})(e.root)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = os.RemoveAll(filepath.Dir(rec)) })
	return rec
}

// tmux runs one tmux command on the private server (test plumbing).
func (e *dashEnv) tmux(args ...string) (string, error) { return e.srv.Run(args...) }

func (e *dashEnv) must(args ...string) string { e.t.Helper(); return e.srv.Must(args...) }

// window runs argv in a new window whose cwd is dir and returns its pane
// id. The program runs as the pane's own process; cleanup kills it by PID
// if it is still alive (kill-server would hang it up too).
func (e *dashEnv) window(dir string, argv ...string) string {
	e.t.Helper()
	e.n++
	pane := e.must(append([]string{"new-window", "-d", "-t", "cc", "-n", "w" + strconv.Itoa(e.n), "-c", dir,
		"-P", "-F", "#{pane_id}"}, argv...)...)
	if pid := e.panePID(pane); pid > 0 {
		e.t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) }) // by PID; ESRCH when gone
	}
	return pane
}

// panePID is the PID of the pane's process (0 if tmux cannot say).
func (e *dashEnv) panePID(pane string) int {
	out, err := e.tmux("display-message", "-p", "-t", pane, "#{pane_pid}")
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(out))
	return pid
}

// fakeClaude is one fake Claude Code session running in a pane.
type fakeClaude struct {
	ID, Cwd, Transcript, Pane string
}

// startClaude runs the fake Claude in a new window in cwd for a new
// session: it submits first and answers per script, writing
// <root>/projects/<slug>/<id>.jsonl and <root>/sessions/<pid>.json. extra
// are more of the fake's flags (-dialog, …).
func (e *dashEnv) startClaude(cwd, script, first string, extra ...string) fakeClaude {
	e.t.Helper()
	if err := os.MkdirAll(cwd, 0o755); err != nil {
		e.t.Fatal(err)
	}
	slug := strings.NewReplacer("/", "-", ".", "-").Replace(cwd)
	s := fakeClaude{ID: newID(), Cwd: cwd}
	s.Transcript = filepath.Join(e.root, "projects", slug, s.ID+".jsonl")
	if err := os.MkdirAll(filepath.Dir(s.Transcript), 0o755); err != nil {
		e.t.Fatal(err)
	}
	argv := append([]string{e.claude, "-transcript", s.Transcript, "-session-id", s.ID, "-script", script,
		"-first", first, "-sessions-dir", filepath.Join(e.root, "sessions"), "-tmux-field", "auto"}, extra...)
	s.Pane = e.window(cwd, argv...)
	return s
}

// ccwakeRun is the real ccwake dashboard running in a pane.
type ccwakeRun struct {
	Pane string
	PID  int // ccwake's own PID (the pane's process is the sh around it)
}

// startCCWake runs the real ccwake dashboard in a new window with NO_COLOR
// and a log file. A sh waits for it and writes its exit status to a file:
// tmux 3.3a was seen to leave a pane's exited process unreaped for 30 s and
// more (pane_dead 1, no pane_dead_status), so the test does not rely on
// tmux for the status. ccwake's stderr goes to a file too, where a panic or
// a SIGQUIT goroutine dump can be read.
func (e *dashEnv) startCCWake(args ...string) ccwakeRun {
	e.t.Helper()
	script := `"$0" "$@" 2>>"$CCWAKE_STDERR"; echo $? >"$CCWAKE_EXIT.tmp" && mv "$CCWAKE_EXIT.tmp" "$CCWAKE_EXIT"`
	argv := append([]string{"env", "NO_COLOR=1", "GORACE=log_path=" + e.raceLog(), "CCWAKE_STDERR=" + e.stderrFile(),
		"CCWAKE_EXIT=" + e.exitFile(), "sh", "-c", script,
		e.ccwake, "--claude-dir", e.root, "--tmux-socket", e.sock, "--log-file", e.logFile()}, args...)
	r := ccwakeRun{Pane: e.window(e.base, argv...)}
	sh := e.panePID(r.Pane)
	waitCond(e.t, "ccwake to start under sh", func() bool { r.PID = childNamed(sh, "ccwake"); return r.PID > 0 },
		func() string { return fmt.Sprintf("sh pid %d\n%s", sh, e.screen(r.Pane)) })
	pid := r.PID
	e.t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) }) // by PID; ESRCH once it exited
	return r
}

// childNamed is the PID of parent's child process whose comm is name, or 0.
func childNamed(parent int, name string) int {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		st := string(stat)
		open, end := strings.IndexByte(st, '('), strings.LastIndexByte(st, ')')
		if open < 0 || end < open {
			continue
		}
		f := strings.Fields(st[end+1:])
		if len(f) >= 2 && st[open+1:end] == name && f[1] == strconv.Itoa(parent) {
			return pid
		}
	}
	return 0
}

func (e *dashEnv) logFile() string { return filepath.Join(e.base, "ccwake.log") }

// stderrFile is where ccwake's stderr goes.
func (e *dashEnv) stderrFile() string { return filepath.Join(e.base, "ccwake.stderr") }

// exitFile receives ccwake's exit status once it exited.
func (e *dashEnv) exitFile() string { return filepath.Join(e.base, "ccwake.exit") }

// raceLog is where a race-built ccwake writes its reports (<raceLog>.<pid>).
func (e *dashEnv) raceLog() string { return filepath.Join(e.base, "race") }

// quit presses q in the dashboard's pane and waits for ccwake to exit; it
// fails the test unless the exit status is 0, the process is gone and the
// race detector (under go test -race) reported nothing.
func (e *dashEnv) quit(r ccwakeRun, dump func() string) {
	e.t.Helper()
	e.must("send-keys", "-t", r.Pane, "q")
	var status []byte
	waitCond(e.t, "ccwake to exit after q", func() bool {
		var err error
		status, err = os.ReadFile(e.exitFile())
		return err == nil
	}, func() string { return dump() + e.goroutines(r.PID) })
	if got := strings.TrimSpace(string(status)); got != "0" {
		b, _ := os.ReadFile(e.stderrFile())
		e.t.Errorf("ccwake exited with status %s after q, want 0; stderr:\n%s\n%s", got, b, dump())
	}
	if err := syscall.Kill(r.PID, 0); !errors.Is(err, syscall.ESRCH) {
		e.t.Errorf("ccwake pid %d still exists after q (kill 0: %v)", r.PID, err)
	}
	reports, _ := filepath.Glob(e.raceLog() + ".*")
	for _, f := range reports {
		b, _ := os.ReadFile(f)
		e.t.Errorf("race detector report from ccwake (%s):\n%s", f, b)
	}
}

// goroutines asks a hung ccwake for its goroutine dump (SIGQUIT) and
// returns it from its stderr, with its /proc status.
func (e *dashEnv) goroutines(pid int) string {
	st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	head := fmt.Sprintf("--- /proc/%d/status:\n%s", pid, st)
	if err := syscall.Kill(pid, syscall.SIGQUIT); err != nil {
		return head + fmt.Sprintf("--- SIGQUIT %d: %v\n", pid, err)
	}
	var b []byte
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(string(b), "goroutine ") {
		time.Sleep(100 * time.Millisecond) // polling the file, not sequencing
		b, _ = os.ReadFile(e.stderrFile())
	}
	time.Sleep(200 * time.Millisecond) // let the dump finish writing
	b, _ = os.ReadFile(e.stderrFile())
	return head + fmt.Sprintf("--- ccwake stderr after SIGQUIT:\n%s", b)
}

// screen is what the pane shows now.
func (e *dashEnv) screen(pane string) string {
	out, err := e.tmux("capture-pane", "-p", "-t", pane)
	if err != nil {
		return fmt.Sprintf("<capture-pane %s: %v: %s>", pane, err, out)
	}
	return out
}

// waitScreen polls the pane until cond holds and returns that screen; on
// timeout it fails the test with dump().
func (e *dashEnv) waitScreen(pane, what string, cond func(string) bool, dump func() string) string {
	e.t.Helper()
	var text string
	waitCond(e.t, what, func() bool { text = e.screen(pane); return cond(text) }, dump)
	return text
}

// waitCond is testkit.WaitFor: it polls cond until it holds; only at the
// test binary's deadline it fails the test with dump().
func waitCond(t *testing.T, what string, cond func() bool, dump func() string) {
	t.Helper()
	testkit.WaitFor(t, what, cond, dump)
}

// dump shows the given panes, the transcripts' user entries and ccwake's log.
func (e *dashEnv) dump(panes []string, sessions ...fakeClaude) func() string {
	return func() string {
		var b strings.Builder
		for _, p := range panes {
			fmt.Fprintf(&b, "--- pane %s:\n%s\n", p, e.screen(p))
		}
		for _, s := range sessions {
			fmt.Fprintf(&b, "--- session %s (pane %s) user entries: %q\n", s.ID, s.Pane, userEntries(s.Transcript))
		}
		if log, err := os.ReadFile(e.logFile()); err == nil {
			fmt.Fprintf(&b, "--- ccwake log:\n%s", log)
		}
		return b.String()
	}
}

// userEntries is the text of every main-thread user entry in a transcript,
// read the way the fake writes them (string content, no sidechain).
func userEntries(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.Contains(line, `"type":"user"`) || !strings.Contains(line, `"isSidechain":false`) {
			continue
		}
		_, rest, ok := strings.Cut(line, `"content":"`)
		if !ok {
			continue
		}
		if text, _, ok := strings.Cut(rest, `"`); ok {
			out = append(out, text)
		}
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

// rowOf is the screen line of a session's table row (by its short id), ""
// when none. Event-log lines also carry the id, so the row is the first.
func rowOf(screen, id string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, id[:8]) {
			return l
		}
	}
	return ""
}

// logLines are the screen lines of the event log that carry id and the
// action what, which the screen shows in words ("skipped" and
// "skipped:dialog" both read "not typed"; "retry" is not "retry refused").
func logLines(screen, id, what string) []string {
	var out []string
	_, log, ok := strings.Cut(screen, "─ events ")
	if !ok {
		return nil
	}
	want := ui.EventLabel(what)
	for _, l := range strings.Split(log, "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || f[1] != id[:8] {
			continue
		}
		rest := strings.Join(f[2:], " ")
		label := ""
		for _, c := range ui.EventLabels() { // the longest label the line starts with
			if (rest == c || strings.HasPrefix(rest, c+" ")) && len(c) > len(label) {
				label = c
			}
		}
		if label == want {
			out = append(out, l)
		}
	}
	return out
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
