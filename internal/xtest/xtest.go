// Package xtest starts the X-side programs ccwake's tests drive for real: a
// private Xvfb and a kitty with remote control on a private socket. Each is
// started in its own process group and killed by pid on cleanup, never by
// name. It is test support: only _test files import it.
package xtest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
)

// Installed reports the first of kitty and Xvfb that is not on $PATH ("" when
// both are).
func Installed() (missing string) {
	for _, p := range []string{"kitty", "Xvfb"} {
		if _, err := exec.LookPath(p); err != nil {
			return p
		}
	}
	return ""
}

// StartXvfb starts a private X server on a free display (Xvfb picks it and
// writes its number to fd 3) and returns that number.
func StartXvfb(t testing.TB) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1400x900x24")
	x.ExtraFiles = []*os.File{w}
	x.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case d := <-line:
		return d
	case <-testwait.After(t):
		t.Fatal("Xvfb did not start")
	}
	return ""
}

// StartKitty starts kitty on display with remote control listening on the
// unix socket sock, running argv in its first window, and returns the
// remote-control address ("unix:<sock>") once `kitty @ ls` answers there.
// env is kitty's whole environment (and so argv's); nil: this process's.
func StartKitty(t testing.TB, display, sock string, env []string, argv ...string) string {
	t.Helper()
	to := "unix:" + sock
	args := append([]string{"--config", "NONE", "-o", "allow_remote_control=yes", "-o", "shell_integration=disabled",
		"--listen-on", to}, argv...)
	kc := exec.Command("kitty", args...)
	if env == nil {
		env = os.Environ()
	}
	kc.Env = append(append([]string(nil), env...), "DISPLAY=:"+display, "LIBGL_ALWAYS_SOFTWARE=1")
	kc.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := kc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kc.Process.Kill(); _ = kc.Wait() })
	var out []byte
	var err error
	for deadline := testwait.Deadline(t); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if out, err = exec.Command("kitty", "@", "--to", to, "ls").CombinedOutput(); err == nil {
			return to
		}
	}
	t.Fatalf("kitty's remote control on %s did not answer: %v %s", to, err, out)
	return ""
}
