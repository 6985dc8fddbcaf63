package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/remote"
)

// machine makes a second "machine" beside e: its own home, Claude root and
// tmux server (private socket), the same binaries.
func (e *dashEnv) machine(width, height int) *dashEnv {
	e.t.Helper()
	base, err := os.MkdirTemp("", "ccwl")
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = os.RemoveAll(base) })
	m := &dashEnv{t: e.t, base: base, home: filepath.Join(base, "home"), ccwake: e.ccwake, claude: e.claude}
	m.root = filepath.Join(m.home, ".claude")
	run := filepath.Join(base, "run")
	for _, d := range []string{m.root + "/projects", m.root + "/sessions", run} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			e.t.Fatal(err)
		}
	}
	for _, kv := range e.env {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "HOME", "XDG_RUNTIME_DIR":
		default:
			m.env = append(m.env, kv)
		}
	}
	m.env = append(m.env, "HOME="+m.home, "XDG_RUNTIME_DIR="+run)
	m.srv = testkit.NewTmux(e.t, testkit.TmuxOpts{Width: width, Height: height, Env: m.env, Dir: base, RemainOnExit: true})
	m.sock = m.srv.Sock
	return m
}

// remoteCCWake is the --remote-ccwake that runs e's ccwake on e's root and
// tmux server when sshd starts it (sshd gives it a fresh environment).
func (e *dashEnv) remoteCCWake() string {
	return strings.Join([]string{"env", "HOME=" + e.home, "XDG_RUNTIME_DIR=" + filepath.Join(e.base, "run"),
		"XDG_STATE_HOME=" + filepath.Join(e.base, "state"), "TZ=UTC", "TMUX=", "GORACE=log_path=" + e.raceLog(),
		e.ccwake, "--claude-dir", e.root, "--tmux-socket", e.sock,
		"--throttle-base", "10m", "--throttle-cap", "10m", "--seed", "7"}, " ")
}

// lineReader reads JSON lines from a process with a deadline per line.
type lineReader struct {
	t     *testing.T
	lines chan string
}

func newLineReader(t *testing.T, r io.Reader) *lineReader {
	l := &lineReader{t: t, lines: make(chan string, 100)}
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, remote.MaxLine)
		for sc.Scan() {
			l.lines <- sc.Text()
		}
		close(l.lines)
	}()
	return l
}

// next is the next line that satisfies ok, within 30 s.
func (l *lineReader) next(what string, ok func(string) bool) string {
	l.t.Helper()
	timeout := testwait.After(l.t)
	var seen []string
	for {
		select {
		case s, open := <-l.lines:
			if !open {
				l.t.Fatalf("output ended before %s; lines: %q", what, seen)
			}
			if ok(s) {
				return s
			}
			seen = append(seen, s)
		case <-timeout:
			l.t.Fatalf("timed out waiting for %s; lines: %q", what, seen)
		}
	}
}

// startPiped runs e's ccwake with args, stdin a pipe, stdout read by lines.
func (e *dashEnv) startPiped(args ...string) (*exec.Cmd, io.WriteCloser, *lineReader) {
	e.t.Helper()
	cmd := exec.Command(e.ccwake, args...)
	cmd.Env = append(e.env, "GORACE=log_path="+e.raceLog())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	pid := cmd.Process.Pid
	e.t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) }) // by PID; ESRCH once reaped
	return cmd, stdin, newLineReader(e.t, stdout)
}

// exitsWithin waits for cmd to end by itself and returns its error.
func exitsWithin(t *testing.T, cmd *exec.Cmd, d time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("%s did not exit within %s after its stdin closed", cmd.Args, d)
		return nil
	}
}

// TestStatusFollowStreamsUntilStdinCloses: `status --json --follow` prints
// the stalled session with its plan, host and version as one JSON line,
// types nothing, and exits when its stdin closes.
func TestStatusFollowStreamsUntilStdinCloses(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 40)
	cmd, stdin, lines := e.startPiped("status", "--json", "--follow", "--claude-dir", e.root, "--tmux-socket", e.sock,
		"--throttle-base", "2s", "--throttle-cap", "2s")
	first := lines.next("a first line", func(string) bool { return true })
	var u remote.Update
	if err := json.Unmarshal([]byte(first), &u); err != nil || u.Host == "" || u.Version == "" || u.Sessions == nil {
		t.Fatalf("first line %q: want an object with host, version and sessions (%v)", first, err)
	}
	s := e.startClaude(filepath.Join(e.home, "src", "p"), "429,ok", "say hi")
	line := lines.next("a line with the stalled session, its plan and pane", func(l string) bool {
		var u remote.Update
		if json.Unmarshal([]byte(l), &u) != nil {
			return false
		}
		for _, ws := range u.Sessions {
			if ws.SessionID == s.ID && ws.Phase == "waiting" && ws.ResumeAt != nil && ws.Pane != nil && *ws.Pane == "tmux:"+s.Pane &&
				ws.Kind != nil && *ws.Kind == "throttle" && ws.Transcript == s.Transcript {
				return true
			}
		}
		return false
	})
	t.Logf("follow line: %s", line)
	// Past its planned resume time (2 s) it still types nothing: it is a status.
	time.Sleep(3 * time.Second) // the plan's due time passing is what is tested
	if n := count(userEntries(s.Transcript), "continue"); n != 0 {
		t.Fatalf("status --follow typed %d times", n)
	}
	_ = stdin.Close()
	if err := exitsWithin(t, cmd, 10*time.Second); err != nil {
		t.Fatalf("exit after stdin closed: %v", err)
	}

	// SIGTERM ends it too, with status 0, stdin still open.
	cmd, _, lines = e.startPiped("status", "--json", "--follow", "--claude-dir", e.root, "--tmux-socket", e.sock)
	lines.next("a first line", func(l string) bool { return strings.Contains(l, s.ID) })
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := exitsWithin(t, cmd, 10*time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

// TestServeStdioRefusesAnythingButItsCommands: `serve --stdio` says hello,
// streams the session, answers commands it does not know, sessions it does
// not have, extra fields and free text with an error line, acts on none of
// them, and exits 0 when stdin closes.
func TestServeStdioRefusesAnythingButItsCommands(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 40)
	s := e.startClaude(filepath.Join(e.home, "src", "p"), "429,ok", "say hi")
	cmd, stdin, lines := e.startPiped("serve", "--stdio", "--claude-dir", e.root, "--tmux-socket", e.sock,
		"--log-file", e.logFile(), "--throttle-base", "10m", "--throttle-cap", "10m", "--seed", "7")
	hello := lines.next("hello", func(string) bool { return true })
	l, err := remote.ParseLine([]byte(hello))
	if err != nil || l.Hello == nil || l.Hello.Proto != remote.Proto || l.Hello.Version == "" {
		t.Fatalf("first line %q: want a hello with proto %d (%v)", hello, remote.Proto, err)
	}
	lines.next("an update with the stalled session", func(l string) bool { return strings.Contains(l, s.ID) && strings.Contains(l, `"waiting"`) })
	bad := []string{
		`{"cmd":"type","session":"` + s.ID + `"}`,
		`continue`,
		`{"cmd":"retry","session":"no-such-session"}`,
		`{"cmd":"retry","session":"` + s.ID + `","text":"rm -rf ~"}`,
		`{"cmd":"retry"}`,
	}
	for _, b := range bad {
		if _, err := io.WriteString(stdin, b+"\n"); err != nil {
			t.Fatal(err)
		}
		got := lines.next("an error line for "+b, func(l string) bool { return strings.HasPrefix(l, `{"error":`) })
		t.Logf("%s → %s", b, got)
	}
	if n := count(userEntries(s.Transcript), "continue"); n != 0 {
		t.Fatalf("typed %d times for commands it must refuse", n)
	}
	// The transcript path names the session as well as its id.
	if _, err := io.WriteString(stdin, `{"cmd":"pause","session":"`+s.Transcript+`"}`+"\n"); err != nil {
		t.Fatal(err)
	}
	lines.next("ok for pause", func(l string) bool { return strings.Contains(l, `"ok":{"cmd":"pause","session":"`+s.ID+`"}`) })
	lines.next("the session paused", func(l string) bool { return strings.Contains(l, `"paused"`) })
	_ = stdin.Close()
	if err := exitsWithin(t, cmd, 10*time.Second); err != nil {
		t.Fatalf("exit after stdin closed: %v", err)
	}
}

// TestSeveralMachinesOverSSH is issue 12 end to end through a real sshd: a
// local dashboard (`ccwake --host box`) shows a session stalled on the
// "remote" (its own Claude root, tmux server and ccwake, reached over ssh)
// with a HOST column, r on that row makes the remote ccwake type exactly
// one continue there, a dropped connection (sshd's child killed) shows as
// lost and comes back by itself, nothing is typed twice and the local
// session is untouched. `status --host` shows every host at once.
func TestSeveralMachinesOverSSH(t *testing.T) {
	t.Parallel()
	r := newDashEnv(t, 120, 40) // the remote machine
	sshd := startSSHD(t, filepath.Join(r.base, "ssh"))
	l := r.machine(160, 45) // this machine

	rs := r.startClaude(filepath.Join(r.home, "src", "remoteproj"), "429,ok", "say hi")
	ls := l.startClaude(filepath.Join(l.home, "src", "localproj"), "429,ok", "say hi")
	for _, p := range []struct {
		e *dashEnv
		s fakeClaude
	}{{r, rs}, {l, ls}} {
		p.e.waitScreen(p.s.Pane, "the fake Claude to stall", func(text string) bool {
			return strings.Contains(text, "Server is temporarily limiting requests") && strings.Contains(text, "❯\u00a0")
		}, p.e.dump([]string{p.s.Pane}, p.s))
	}

	// status --host: every machine at once; an unreachable one is an error, not a hang.
	out, err := exec.Command(l.ccwake, "status", "--json", "--claude-dir", l.root, "--tmux-socket", l.sock,
		"--host", "box", "--host", "dead", "--ssh-command", sshd.sshCommand(), "--remote-ccwake", r.remoteCCWake()).Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("status --host with a dead host: %v, want exit status 1\n%s", err, out)
	}
	var all struct{ Hosts []status.HostStatus }
	if err := json.Unmarshal(out, &all); err != nil || len(all.Hosts) != 3 {
		t.Fatalf("status --host --json: %v\n%s", err, out)
	}
	if h := all.Hosts[0]; !h.Local || len(h.Sessions) != 1 || h.Sessions[0].SessionID != ls.ID {
		t.Errorf("local entry %+v: want the local session", h)
	}
	if h := all.Hosts[1]; h.Host != "box" || h.Error != nil || len(h.Sessions) != 1 || h.Sessions[0].SessionID != rs.ID ||
		h.Sessions[0].Pane == nil || *h.Sessions[0].Pane != "tmux:"+rs.Pane {
		t.Errorf("box entry %+v: want the remote session in pane %s", h, rs.Pane)
	}
	if h := all.Hosts[2]; h.Host != "dead" || h.Error == nil || !strings.Contains(*h.Error, "refused") {
		t.Errorf("dead entry %+v: want a connection refused error", h)
	}

	cw := l.startCCWake("--host", "box", "--ssh-command", sshd.sshCommand(), "--remote-ccwake", r.remoteCCWake(),
		"--throttle-base", "10m", "--throttle-cap", "10m", "--seed", "7")
	dash := cw.Pane
	dump := func() string {
		log, _ := os.ReadFile(sshd.log)
		return l.dump([]string{dash, ls.Pane}, ls)() + r.dump([]string{rs.Pane}, rs)() + "--- sshd log:\n" + string(log)
	}
	screen := l.waitScreen(dash, "both sessions, the remote one with its host, and box up", func(text string) bool {
		return strings.Contains(text, "hosts: box up") && strings.Contains(rowOf(text, rs.ID), " box ") &&
			strings.Contains(rowOf(text, rs.ID), "WAITING") && strings.Contains(rowOf(text, ls.ID), "WAITING")
	}, dump)
	if !strings.Contains(screen, "HOST") {
		t.Errorf("no HOST column:\n%s", screen)
	}

	// Latency: a new stall on the remote until the local dashboard shows it.
	rs2 := r.startClaude(filepath.Join(r.home, "src", "second"), "429,ok", "say hi")
	waitCond(t, "the second remote stall in its transcript", func() bool {
		b, _ := os.ReadFile(rs2.Transcript)
		return strings.Contains(string(b), `"isApiErrorMessage":true`) || strings.Contains(string(b), `"error"`)
	}, dump)
	stalledAt := time.Now()
	l.waitScreen(dash, "the second remote stall on the local dashboard", func(text string) bool {
		return strings.Contains(rowOf(text, rs2.ID), "WAITING")
	}, dump)
	t.Logf("latency from a remote stall (in its transcript) to the local dashboard: %s", time.Since(stalledAt).Round(time.Millisecond))

	// Select the first remote row (the cursor starts on the top row and
	// rows move as they update: up, then down until it is selected) and press r.
	for i := 0; ; i++ {
		if strings.HasPrefix(strings.TrimLeft(rowOf(l.screen(dash), rs.ID), " "), "▶") {
			break
		}
		if i > 10 {
			t.Fatalf("cannot select the remote row\n%s", dump())
		}
		k := "k"
		if i > 4 {
			k = "j"
		}
		l.must("send-keys", "-t", dash, k)
		time.Sleep(100 * time.Millisecond) // a key press needs a moment to show; the loop re-checks
	}
	l.must("send-keys", "-t", dash, "r")
	waitCond(t, "one continue in the remote transcript", func() bool { return count(userEntries(rs.Transcript), "continue") == 1 }, dump)
	l.waitScreen(dash, "the remote row RESUMED", func(text string) bool { return strings.Contains(rowOf(text, rs.ID), "RESUMED") }, dump)

	// Drop the connection: kill sshd's child for it, by PID.
	conns := sshd.connections()
	if len(conns) != 1 {
		t.Fatalf("sshd has %d connections (%v), want the dashboard's one", len(conns), conns)
	}
	dropped := time.Now()
	if err := syscall.Kill(conns[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	l.waitScreen(dash, "box lost", func(text string) bool { return strings.Contains(text, "hosts: box lost") }, dump)
	l.waitScreen(dash, "box up again on a new connection", func(text string) bool {
		c := sshd.connections()
		return strings.Contains(text, "hosts: box up") && len(c) == 1 && c[0] != conns[0] &&
			strings.Contains(rowOf(text, rs2.ID), "WAITING")
	}, dump)
	t.Logf("reconnect after the connection dropped: %s", time.Since(dropped).Round(time.Millisecond))

	if n := count(userEntries(rs.Transcript), "continue"); n != 1 {
		t.Errorf("remote session got %d continues, want exactly 1", n)
	}
	for _, s := range []fakeClaude{ls, rs2} {
		if n := count(userEntries(s.Transcript), "continue"); n != 0 {
			t.Errorf("session %s got %d continues, want none (10 min backoff, no key pressed)", s.ID, n)
		}
	}
	if row := rowOf(l.screen(dash), ls.ID); !strings.Contains(row, "WAITING") {
		t.Errorf("local row %q: want it still WAITING", row)
	}
	l.quit(cw, dump)
}
