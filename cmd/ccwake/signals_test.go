package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ccwake/ccwake/internal/testwait"
)

// The real ccwake binary, run headless, stops the same way on SIGTERM, on
// Ctrl-C and on SIGHUP (the terminal it ran in was closed): exit status 0,
// "ccwake stopped" logged, its lock files emptied. Before SIGHUP was handled
// the default action killed it with no cleanup (status 129 in a shell).
func TestSignalsStopCleanly(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the real ccwake binary: skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: ccwake refuses to start without it")
	}
	bin := raceBinary(t)

	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			logFile := filepath.Join(dir, "ccwake.log")
			p := startAuto(t, bin, dir, logFile, "GORACE=halt_on_error=1")
			waitCond(t, "ccwake to start", func() bool {
				b, _ := os.ReadFile(logFile)
				return strings.Contains(string(b), "ccwake started")
			}, func() string { return readFile(p.errFile) })

			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-p.done:
			case <-testwait.After(t):
				t.Fatalf("ccwake still running 30 s after %v", sig)
			}
			var exit *exec.ExitError
			if errors.As(p.waitErr, &exit) {
				t.Fatalf("ccwake exited with %v after %v, want status 0; stderr:\n%s", exit.ProcessState, sig, readFile(p.errFile))
			} else if p.waitErr != nil {
				t.Fatal(p.waitErr)
			}
			b, _ := os.ReadFile(logFile)
			if !strings.Contains(string(b), "ccwake stopped") {
				t.Errorf("no \"ccwake stopped\" in the log after %v:\n%s", sig, b)
			}
			// Whatever lock files ccwake keeps in its runtime dir were
			// released (emptied), not left naming a dead pid.
			locks, _ := filepath.Glob(filepath.Join(dir, "run", "ccwake", "*"))
			for _, l := range locks {
				if c, err := os.ReadFile(l); err == nil && len(bytes.TrimSpace(c)) > 0 {
					t.Errorf("lock file %s still says %q after %v", l, c, sig)
				}
			}
		})
	}
}

// autoProc is a real `ccwake --auto` started by startAuto.
type autoProc struct {
	cmd     *exec.Cmd
	errFile string        // its stderr
	done    chan struct{} // closed when it exited
	waitErr error         // its exit, set before done closes
}

// startAuto runs bin --auto on an empty Claude root under dir (dir/claude,
// $XDG_RUNTIME_DIR dir/run, $HOME dir) with --log-file logFile and env
// added; the cleanup kills it by its PID when it still runs. Its stderr
// goes to a file: a pipe would make Wait wait for any child that
// inherited it.
func startAuto(t *testing.T, bin, dir, logFile string, env ...string) *autoProc {
	t.Helper()
	root := filepath.Join(dir, "claude")
	run := filepath.Join(dir, "run")
	for _, d := range []string{filepath.Join(root, "projects"), run} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	p := &autoProc{errFile: filepath.Join(dir, "stderr"), done: make(chan struct{})}
	stderr, err := os.Create(p.errFile)
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close() // the child has its own copy
	p.cmd = exec.Command(bin, "--auto", "--claude-dir", root, "--tmux-socket", filepath.Join(dir, "sock"), "--log-file", logFile)
	p.cmd.Env = append(append(os.Environ(), "HOME="+dir, "XDG_RUNTIME_DIR="+run), env...)
	p.cmd.Stderr = stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.waitErr = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill() // by its PID
			<-p.done
		}
	})
	return p
}

// readFile is a file's text, or the error reading it.
func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
