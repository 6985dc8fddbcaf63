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
	"time"
)

// The real ccwake binary, run headless, stops the same way on SIGTERM, on
// Ctrl-C and on SIGHUP (the terminal it ran in was closed): exit status 0,
// "ccwake stopped" logged, its lock files emptied. Before SIGHUP was handled
// the default action killed it with no cleanup (status 129 in a shell).
func TestSignalsStopCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real ccwake binary: skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: ccwake refuses to start without it")
	}
	base := t.TempDir()
	bin := filepath.Join(base, "ccwake")
	goBuild(t, bin, ".", raceBuild())

	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			root := filepath.Join(dir, "claude")
			run := filepath.Join(dir, "run")
			for _, d := range []string{filepath.Join(root, "projects"), run} {
				if err := os.MkdirAll(d, 0o700); err != nil {
					t.Fatal(err)
				}
			}
			logFile := filepath.Join(dir, "ccwake.log")
			// stderr goes to a file: a pipe would make Wait wait for any
			// child that inherited it.
			errFile := filepath.Join(dir, "stderr")
			stderr, err := os.Create(errFile)
			if err != nil {
				t.Fatal(err)
			}
			defer stderr.Close()
			cmd := exec.Command(bin, "--auto", "--claude-dir", root, "--tmux-socket", filepath.Join(dir, "sock"), "--log-file", logFile)
			cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_RUNTIME_DIR="+run, "GORACE=halt_on_error=1")
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var waitErr error
			done := make(chan struct{})
			go func() { waitErr = cmd.Wait(); close(done) }()
			t.Cleanup(func() {
				select {
				case <-done:
				default:
					_ = cmd.Process.Kill() // by its PID
					<-done
				}
			})
			waitCond(t, "ccwake to start", func() bool {
				b, _ := os.ReadFile(logFile)
				return strings.Contains(string(b), "ccwake started")
			}, func() string { return readFile(errFile) })

			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("ccwake still running 30 s after %v", sig)
			}
			var exit *exec.ExitError
			if errors.As(waitErr, &exit) {
				t.Fatalf("ccwake exited with %v after %v, want status 0; stderr:\n%s", exit.ProcessState, sig, readFile(errFile))
			} else if waitErr != nil {
				t.Fatal(waitErr)
			}
			b, _ := os.ReadFile(logFile)
			if !strings.Contains(string(b), "ccwake stopped") {
				t.Errorf("no \"ccwake stopped\" in the log after %v:\n%s", sig, b)
			}
			// Whatever lock files ccwake keeps in its runtime dir were
			// released (emptied), not left naming a dead pid.
			locks, _ := filepath.Glob(filepath.Join(run, "ccwake", "*"))
			for _, l := range locks {
				if c, err := os.ReadFile(l); err == nil && len(bytes.TrimSpace(c)) > 0 {
					t.Errorf("lock file %s still says %q after %v", l, c, sig)
				}
			}
		})
	}
}

// readFile is a file's text, or the error reading it.
func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
