package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// `ccwake --auto --backends screen` (or kitty) runs on a machine without
// tmux: tmux is required only where it is used, as a backend or by
// --reopen. The real binary, with a $PATH that holds only the backend.
func TestAutoWithoutTmux(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the real ccwake binary: skipped with -short")
	}
	bin := sharedBinary(t)
	for _, tc := range []struct {
		name    string
		args    []string
		path    []string // programs on $PATH
		fails   string   // "": starts; else in its error
		started string   // in the log when it starts
	}{
		{name: "screen alone", args: []string{"--backends", "screen"}, path: []string{"screen"}, started: `backends=[screen]`},
		{name: "kitty alone", args: []string{"--backends", "kitty"}, path: []string{"kitty"}, started: `backends=[kitty]`},
		{name: "screen found, no flag", path: []string{"screen"}, started: `backends=[screen]`},
		{name: "tmux named", args: []string{"--backends", "screen,tmux"}, path: []string{"screen"}, fails: "--backends: tmux not found in $PATH"},
		{name: "--reopen needs tmux", args: []string{"--backends", "screen", "--reopen"}, path: []string{"screen", "claude"}, fails: "--reopen starts sessions in new tmux windows, but tmux is not in $PATH"},
		{name: "nothing at all", fails: "tmux not found in $PATH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			pathDir := filepath.Join(dir, "bin")
			root := filepath.Join(dir, "claude")
			for _, d := range []string{pathDir, filepath.Join(root, "projects"), filepath.Join(dir, "run")} {
				if err := os.MkdirAll(d, 0o700); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range tc.path {
				// The real program when installed; else a stand-in that is
				// found on $PATH (nothing here runs it: no session stalls).
				dst := filepath.Join(pathDir, p)
				if real, err := exec.LookPath(p); err == nil && p != "claude" {
					if err := os.Symlink(real, dst); err != nil {
						t.Fatal(err)
					}
				} else if err := os.WriteFile(dst, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			logFile := filepath.Join(dir, "ccwake.log")
			args := append([]string{"--auto", "--claude-dir", root, "--tmux-socket", filepath.Join(dir, "sock"), "--log-file", logFile}, tc.args...)
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "PATH="+pathDir, "HOME="+dir, "XDG_RUNTIME_DIR="+filepath.Join(dir, "run"),
				"XDG_STATE_HOME="+filepath.Join(dir, "state"), "TMUX=", "KITTY_LISTEN_ON=")
			errFile := filepath.Join(dir, "stderr")
			stderr, err := os.Create(errFile)
			if err != nil {
				t.Fatal(err)
			}
			defer stderr.Close()
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			var waitErr error
			go func() { waitErr = cmd.Wait(); close(done) }()
			t.Cleanup(func() {
				select {
				case <-done:
				default:
					_ = cmd.Process.Kill() // by its PID
					<-done
				}
			})
			exited := func() bool {
				select {
				case <-done:
					return true
				default:
					return false
				}
			}
			dump := func() string { return "stderr:\n" + readFile(errFile) + "\nlog:\n" + readFile(logFile) }
			if tc.fails != "" {
				waitCond(t, "ccwake to refuse", exited, dump)
				if waitErr == nil || !strings.Contains(readFile(errFile), tc.fails) {
					t.Fatalf("exit %v, want an error saying %q\n%s", waitErr, tc.fails, dump())
				}
				return
			}
			waitCond(t, "ccwake to start", func() bool {
				return exited() || strings.Contains(readFile(logFile), "ccwake started")
			}, dump)
			if exited() {
				t.Fatalf("ccwake exited (%v) instead of running\n%s", waitErr, dump())
			}
			if !strings.Contains(readFile(logFile), tc.started) {
				t.Errorf("log lacks %q\n%s", tc.started, dump())
			}
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			waitCond(t, "ccwake to stop", exited, dump)
			if waitErr != nil {
				t.Fatalf("exit %v after SIGTERM\n%s", waitErr, dump())
			}
		})
	}
}
