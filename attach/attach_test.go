package attach

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// TestMain doubles as the client a test runs as another user: with
// ATTACH_TEST_DIAL set it connects to that socket, prints the first line
// it reads (or the error) and exits.
func TestMain(m *testing.M) {
	if p := os.Getenv("ATTACH_TEST_DIAL"); p != "" {
		c, err := net.Dial("unix", p)
		if err != nil {
			fmt.Println("dial error:", err)
			os.Exit(0)
		}
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		fmt.Printf("line: %s err: %v\n", strings.TrimSpace(line), err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// source is an engine that records the commands it gets.
type source struct {
	mu    sync.Mutex
	calls []string
}

func (s *source) Snapshot() resume.Snapshot {
	return resume.Snapshot{Auto: true, Sessions: []resume.Status{{
		Session: watch.Session{ID: "sess-1", State: watch.Stalled}, Phase: resume.Fatal, Pane: "tmux:%3",
	}}}
}
func (s *source) rec(c string) { s.mu.Lock(); s.calls = append(s.calls, c); s.mu.Unlock() }
func (s *source) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string{}, s.calls...)
}
func (s *source) Retry(id string)          { s.rec("retry " + id) }
func (s *source) Pause(id string, on bool) { s.rec(fmt.Sprintf("pause %s %v", id, on)) }
func (s *source) Dismiss(id string)        { s.rec("dismiss " + id) }
func (s *source) Reopen(id string)         { s.rec("reopen " + id) }
func (s *source) SetAuto(on bool)          { s.rec(fmt.Sprintf("auto %v", on)) }

// served starts a listener on root's id in dirs, serving src.
func served(t *testing.T, dirs []string, id string, src *source, mod ...func(*Listener)) *Listener {
	t.Helper()
	l, err := Listen(dirs, []string{id}, nil)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	for _, m := range mod {
		m(l)
	}
	changes := make(chan struct{})
	hub := remote.NewHub(changes)
	go hub.Run()
	srv := &remote.Server{Src: src, Hello: remote.Hello{Proto: remote.Proto, Version: "test", PID: os.Getpid(), RootIDs: []string{id}},
		Build: func(snap resume.Snapshot, now time.Time) remote.Update {
			u := remote.Update{Host: "h", Time: *remote.Time(now), Auto: snap.Auto, Sessions: []remote.Session{}}
			for _, st := range snap.Sessions {
				u.Sessions = append(u.Sessions, remote.FromStatus(st, 5))
			}
			return u
		}, Key: remote.UpdateKey}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); l.Serve(ctx, srv, hub.Subscribe) }()
	t.Cleanup(func() { cancel(); <-done; close(changes) })
	return l
}

func shortTemp(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "att") // short: a socket path fits 104 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}

// The socket directory is 0700 (a loose one of ours is tightened), the
// socket 0600, and one listener serves every directory given.
func TestListenMakesPrivateSockets(t *testing.T) {
	base := shortTemp(t)
	loose := filepath.Join(base, "loose")
	if err := os.Mkdir(loose, 0o755); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(base, "a", "b")
	l := served(t, []string{loose, fresh}, "1-2", &source{})
	if len(l.Paths()) != 2 {
		t.Fatalf("paths %q, want one socket per directory", l.Paths())
	}
	for _, d := range []string{loose, fresh} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, want 0700", d, fi.Mode().Perm())
		}
		si, err := os.Stat(SocketPath(d, "1-2"))
		if err != nil {
			t.Fatal(err)
		}
		if si.Mode().Perm() != 0o600 || si.Mode()&os.ModeSocket == 0 {
			t.Errorf("socket in %s: mode %v, want a 0600 socket", d, si.Mode())
		}
	}
}

// A stale socket file (a holder that died) is replaced; Open finds the
// socket in a later directory when the first has none, reads the hello,
// and a client with Dialer sends commands the source receives.
func TestOpenAndCommandThroughSocket(t *testing.T) {
	base := shortTemp(t)
	empty, dir := filepath.Join(base, "empty"), filepath.Join(base, "run")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(SocketPath(dir, "1-2"), []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := &source{}
	served(t, []string{dir}, "1-2", src)
	dirs := []string{empty, dir}

	cn, err := Open(context.Background(), dirs, []string{"1-2"}, 10*time.Second)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	u, err := cn.Update(context.Background(), 10*time.Second)
	cn.Close()
	if err != nil || len(u.Sessions) != 1 || u.Sessions[0].Status().Pane != "tmux:%3" {
		t.Fatalf("first update %+v, %v", u, err)
	}
	if _, err := Open(context.Background(), dirs, []string{"1-2", "9-9"}, 10*time.Second); err == nil {
		t.Fatal("Open attached to a server that does not hold every root")
	}
	if _, err := Open(context.Background(), []string{empty}, []string{"1-2"}, 10*time.Second); err == nil {
		t.Fatal("Open found a service where none listens")
	}

	c := remote.New(remote.Config{Host: "service", Dial: Dialer(dirs, "1-2")})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Run(ctx)
	v := NewView(c, nil, nil)
	waitFor(t, "the client to be up", func() bool { return c.Status().State == remote.Up })
	v.Dismiss("sess-1")
	v.SetAuto(false)
	waitFor(t, "the source to get both commands", func() bool { return len(src.got()) == 2 })
	if got := src.got(); got[0] != "dismiss sess-1" || got[1] != "auto false" {
		t.Fatalf("calls %q", got)
	}
	waitFor(t, "the view to show the service's row", func() bool {
		s := v.Snapshot()
		return len(s.Sessions) == 1 && s.Sessions[0].Phase == resume.Fatal
	})
}

// The peer check itself: a peer whose uid is not the server's gets one
// error line and its commands are never read.
func TestPeerOfAnotherUIDIsRefused(t *testing.T) {
	dir := filepath.Join(shortTemp(t), "run")
	src := &source{}
	served(t, []string{dir}, "1-2", src, func(l *Listener) { l.uid = os.Getuid() + 1 }) // this process is "another user" to it
	c, err := net.Dial("unix", SocketPath(dir, "1-2"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _ = io.WriteString(c, `{"cmd":"dismiss","session":"sess-1"}`+"\n")
	line, _ := bufio.NewReader(c).ReadString('\n')
	l2, err := remote.ParseLine([]byte(line))
	if err != nil || !strings.Contains(l2.Error, "refused") || l2.Hello != nil {
		t.Fatalf("first line %q (%v): want a refusal and no hello", line, err)
	}
	if got := src.got(); len(got) != 0 {
		t.Fatalf("a refused peer's command was acted on: %q", got)
	}
}

// A real second user (nobody, run through syscall.Credential) cannot
// connect: the directory keeps it out; and where it can reach the socket,
// SO_PEERCRED tells the server its uid and the server refuses it.
func TestSecondUserCannotConnect(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("running a client as another uid needs root; TestPeerOfAnotherUIDIsRefused covers the refusal")
	}
	base := shortTemp(t)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "client")
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "run")
	src := &source{}
	served(t, []string{dir}, "1-2", src)
	sock := SocketPath(dir, "1-2")
	asNobody := func() string {
		cmd := exec.Command(bin)
		cmd.Env = []string{"ATTACH_TEST_DIAL=" + sock}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("client as nobody: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := asNobody(); !strings.Contains(out, "permission denied") {
		t.Fatalf("nobody through the private directory: %q, want permission denied", out)
	}
	// Open the way (as a careless admin might) to reach the uid check.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sock, 0o666); err != nil {
		t.Fatal(err)
	}
	out := asNobody()
	if !strings.Contains(out, "refused") || strings.Contains(out, "hello") {
		t.Fatalf("nobody at the socket: %q, want a refusal", out)
	}
	if got := src.got(); len(got) != 0 {
		t.Fatalf("calls %q", got)
	}
}

// waitFor is testkit.WaitFor without a dump.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, what, cond, nil)
}
