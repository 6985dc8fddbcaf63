package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// headless is one real `ccwake --auto` process with its own environment.
type headless struct {
	name string
	cmd  *exec.Cmd
	log  string // its stderr (the log lines)
}

func (h headless) logText() string { b, _ := os.ReadFile(h.log); return string(b) }

// startHeadless runs `ccwake --auto` on root with env, its own state dir
// (so only the lock can keep two instances from both typing) and short
// throttle backoffs, and extra flags. Cleanup stops it by PID.
func (e *dashEnv) startHeadless(name, root string, env []string, extra ...string) headless {
	e.t.Helper()
	h := headless{name: name, log: filepath.Join(e.base, name+".log")}
	f, err := os.Create(h.log)
	if err != nil {
		e.t.Fatal(err)
	}
	h.cmd = exec.Command(e.ccwake, "--auto", "--claude-dir", root, "--tmux-socket", e.sock,
		"--state-dir", filepath.Join(e.base, name+"-state"), "--throttle-base", "200ms", "--throttle-cap", "500ms", "--seed", "3")
	h.cmd.Args = append(h.cmd.Args, extra...)
	h.cmd.Env = append(env, "GORACE=log_path="+e.raceLog())
	h.cmd.Stdout, h.cmd.Stderr = f, f
	if err := h.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		_ = h.cmd.Process.Signal(syscall.SIGTERM) // by PID
		_ = h.cmd.Wait()
		_ = f.Close()
	})
	waitCond(e.t, name+" to start", func() bool { return strings.Contains(h.logText(), "ccwake started") }, h.logText)
	return h
}

// withEnv returns env without the keys in drop, plus add.
func withEnv(env []string, drop []string, add ...string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, d := range drop {
			keep = keep && k != d
		}
		if keep {
			out = append(out, kv)
		}
	}
	return append(out, add...)
}

// Two (or, as root, three) real ccwake processes on one stalled session:
// one from a desktop-like environment ($XDG_RUNTIME_DIR set), one from a
// cron-like one (no $XDG_RUNTIME_DIR, another $TMPDIR) reaching the root
// through a symlink, and one through a bind mount. They all meet the one
// lock of the root: exactly one continue reaches the fake Claude.
func TestInstancesInDifferentEnvironmentsTypeOnce(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 40)
	link := filepath.Join(e.base, "claude-link")
	if err := os.Symlink(e.root, link); err != nil {
		t.Fatal(err)
	}
	tmpB, tmpC := filepath.Join(e.base, "tmpB"), filepath.Join(e.base, "tmpC")
	for _, d := range []string{tmpB, tmpC} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	a := e.startHeadless("a", e.root, e.env)
	others := []headless{e.startHeadless("b", link, withEnv(e.env, []string{"XDG_RUNTIME_DIR", "TMPDIR"}, "TMPDIR="+tmpB))}
	if os.Geteuid() == 0 {
		mnt := filepath.Join(e.base, "claude-bind")
		if err := os.Mkdir(mnt, 0o700); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("mount", "--bind", e.root, mnt).CombinedOutput(); err == nil {
			t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
			others = append(others, e.startHeadless("c", mnt, withEnv(e.env, []string{"XDG_RUNTIME_DIR", "TMPDIR"}, "TMPDIR="+tmpC)))
		} else {
			t.Logf("no bind-mount instance: mount --bind not permitted here: %v: %s", err, out)
		}
	} else {
		t.Log("no bind-mount instance: mount --bind needs root")
	}
	dumpLogs := func() string {
		var b strings.Builder
		for _, h := range append([]headless{a}, others...) {
			fmt.Fprintf(&b, "--- %s log\n%s\n", h.name, h.logText())
		}
		return b.String()
	}
	for _, h := range others {
		text := h.logText()
		if !strings.Contains(text, "another ccwake holds the lock") || !strings.Contains(text, "pid "+strconv.Itoa(a.cmd.Process.Pid)) {
			t.Fatalf("%s does not see a's lock (pid %d)\n%s", h.name, a.cmd.Process.Pid, dumpLogs())
		}
	}

	s := e.startClaude(filepath.Join(e.home, "src", "twice"), "429,ok", "say hi")
	dump := func() string { return e.dump([]string{s.Pane}, s)() + dumpLogs() }
	waitCond(t, "the continue to be confirmed", func() bool { return strings.Contains(a.logText(), "msg=confirmed") }, dump)
	e.waitScreen(s.Pane, "the fake's reply to continue", func(text string) bool {
		return strings.Contains(text, "Hello from the fake (1).")
	}, dump)
	// Give a second instance every chance to type too: a's confirmation came
	// after its own guards and typing, the others run the same schedule.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if got := userEntries(s.Transcript); len(got) != 2 {
			t.Fatalf("user entries %q, want the prompt and exactly one continue\n%s", got, dump())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := userEntries(s.Transcript); len(got) != 2 || got[1] != "continue" {
		t.Fatalf("user entries %q, want [say hi continue]\n%s", got, dump())
	}
	for _, h := range others {
		if strings.Contains(h.logText(), "msg=typed") {
			t.Fatalf("%s typed\n%s", h.name, dump())
		}
	}
}
