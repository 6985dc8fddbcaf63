package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ccwake/ccwake/internal/xtest"
	"github.com/ccwake/ccwake/resume/mux/screen"
)

// `ccwake doctor` on the real binary reports each terminal backend on one
// line: a real tmux server on a private socket, a real GNU screen session
// in a private SCREENDIR and a real kitty under Xvfb with remote control on
// a private socket, each counted; then none running, a backend left out by
// --backends, and one --backends asks for that is not installed.
func TestDoctorBackends(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("real tmux, screen and kitty: skipped with -short")
	}
	for _, p := range []string{"tmux", "screen"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skip(p + " is not installed")
		}
	}
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.330-oauth-5h.jsonl")
	base, err := os.MkdirTemp("", "ccwdocb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })

	sock := filepath.Join(base, "sock")
	if out, err := exec.Command("tmux", "-S", sock, "-f", "/dev/null", "new-session", "-d", "sleep", "600").CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })

	sdir, empty := filepath.Join(base, "S"), filepath.Join(base, "S-empty")
	for _, d := range []string{sdir, empty} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	scr := func(args ...string) (string, error) {
		cmd := exec.Command("screen", args...)
		cmd.Env = append(os.Environ(), "SCREENDIR="+sdir)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := scr("-c", "/dev/null", "-dmS", "doc", "sleep", "600"); err != nil {
		t.Fatalf("screen: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		out, _ := scr("-ls")
		for _, s := range screen.ParseList(out) {
			pid, _, _ := strings.Cut(s, ".")
			if n, err := strconv.Atoi(pid); err == nil && n > 0 {
				_ = syscall.Kill(n, syscall.SIGKILL)
			}
		}
	})
	waitCond(t, "the screen session", func() bool { out, _ := scr("-ls"); return len(screen.ParseList(out)) == 1 },
		func() string { out, _ := scr("-ls"); return out })

	kitty := startDoctorKitty(t, base)
	// --probe-timeout 0: every program answers however long a loaded
	// machine takes (kitty --version starts Python); a hang is go test's.
	args := []string{"doctor", "--claude-dir", root, "--log-file", "off", "--probe-timeout", "0"}

	t.Run("every backend with a server", func(t *testing.T) {
		r := e.run([]string{"SCREENDIR=" + sdir, "KITTY_LISTEN_ON=" + kitty}, append(args, "--tmux-socket", sock)...)
		checkDoctorLines(t, r.stdout)
		want := []string{
			"ok    tmux: ", "(tmux ", "; server on " + sock + ": 1 pane(s)\n",
			"ok    screen: ", "(Screen version ", "; 1 session(s), 1 window(s) (SCREENDIR " + sdir + ")\n",
		}
		if kitty != "" {
			want = append(want, "ok    kitty: ", "(kitty ", "; 1 window(s) at "+kitty+"\n")
		}
		expectDoctor(t, r, 0, want...)
	})

	t.Run("no server anywhere", func(t *testing.T) {
		r := e.run([]string{"SCREENDIR=" + empty, "KITTY_LISTEN_ON="}, append(args, "--tmux-socket", e.sock)...)
		checkDoctorLines(t, r.stdout)
		expectDoctor(t, r, 0,
			"warn  tmux: ", "; no server running on "+e.sock+": run claude inside tmux",
			"warn  screen: ", "; no session in SCREENDIR "+empty+": run claude in a screen window",
			"warn  kitty: ", "; $KITTY_LISTEN_ON is unset: for ccwake to resume claude in kitty, start kitty with allow_remote_control yes",
			"ready, 4 warning(s)") // three backends and the log file
	})

	t.Run("tmux only running", func(t *testing.T) {
		r := e.run([]string{"SCREENDIR=" + empty, "KITTY_LISTEN_ON=unix:" + filepath.Join(base, "none.sock")}, append(args, "--tmux-socket", sock)...)
		checkDoctorLines(t, r.stdout)
		expectDoctor(t, r, 0,
			"ok    tmux: ", "; server on "+sock+": 1 pane(s)",
			"ok    screen: ", "; no session in SCREENDIR "+empty+": one started later is found",
			"ok    kitty: ", "; no kitty answers at unix:"+filepath.Join(base, "none.sock")+": one started later is found",
			"ready, 1 warning(s)") // the log file
	})

	t.Run("--backends leaves some out", func(t *testing.T) {
		r := e.run([]string{"SCREENDIR=" + sdir}, append(args, "--tmux-socket", sock, "--backends", "screen")...)
		checkDoctorLines(t, r.stdout)
		expectDoctor(t, r, 0,
			"ok    tmux: ", ": not used (--backends screen)",
			"ok    screen: ", "; 1 session(s), 1 window(s)")
	})

	t.Run("--backends names one not installed", func(t *testing.T) {
		bin := filepath.Join(base, "bin")
		if err := os.Mkdir(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		tm, _ := exec.LookPath("tmux")
		if err := os.Symlink(tm, filepath.Join(bin, "tmux")); err != nil {
			t.Fatal(err)
		}
		r := e.run([]string{"PATH=" + bin}, append(args, "--tmux-socket", sock, "--backends", "tmux,screen")...)
		checkDoctorLines(t, r.stdout)
		expectDoctor(t, r, 1,
			"ok    tmux: "+filepath.Join(bin, "tmux")+" (tmux ", "; server on "+sock+": 1 pane(s)",
			"FAIL  screen: not in $PATH, but --backends names it: install it (apt install screen",
			"ok    kitty: not installed (optional: apt install kitty",
			"1 problem(s)")
	})
}

// expectDoctor checks the exit code and that each string is in the output.
func expectDoctor(t *testing.T, r result, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\n%s%s", r.code, code, r.stdout, r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("doctor output lacks %q:\n%s", w, r.stdout)
		}
	}
}

// startDoctorKitty runs a real kitty with remote control on a private
// socket under its own Xvfb and returns the socket ("unix:…"), or "" when
// kitty or Xvfb is not installed. Both are killed by pid on cleanup.
func startDoctorKitty(t *testing.T, dir string) string {
	t.Helper()
	if p := xtest.Installed(); p != "" {
		t.Logf("%s not installed: kitty's line is checked without a server only", p)
		return ""
	}
	return xtest.StartKitty(t, xtest.StartXvfb(t), filepath.Join(dir, "k.sock"), nil, "sleep", "600")
}
