package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestAutoExitLeavesNoHookBehind is issue 16's case on the real binary: a
// --notify-cmd that starts three `sleep 1000`s and hangs on the last is
// running when `ccwake --auto` gets SIGTERM; once ccwake has exited, none
// of the hook's processes runs (checked by pid in /proc).
func TestAutoExitLeavesNoHookBehind(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the real ccwake binary: skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: ccwake --auto refuses to start without it")
	}
	bin := sharedBinary(t)
	root := freshTranscript(t, "extra/x-credit-balance.jsonl") // fatal: notified at once
	dir := t.TempDir()
	pids := filepath.Join(dir, "hook.pids")
	t.Cleanup(func() { // a failed run leaves them: end them by pid
		for _, pid := range hookPIDs(pids) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	hook := "sleep 1000 & echo $! >> " + pids + "; sleep 1000 & echo $! >> " + pids + "; echo $$ >> " + pids + "; exec sleep 1000"
	stderr := filepath.Join(dir, "stderr")
	errFile, err := os.Create(stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer errFile.Close()
	cmd := exec.Command(bin, "--auto", "--claude-dir", root, "--tmux-socket", filepath.Join(dir, "sock"),
		"--log-file", filepath.Join(dir, "ccwake.log"), "--notify-cmd", hook)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_RUNTIME_DIR="+dir, "XDG_STATE_HOME="+filepath.Join(dir, "state"))
	cmd.Stderr = errFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}) // closed when ccwake exited, waitErr set
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		select {
		case <-done:
		default:
			_ = cmd.Process.Kill() // by its pid
			<-done
		}
	})
	waitCond(t, "the hook to start 3 processes", func() bool { return len(hookPIDs(pids)) == 3 },
		func() string { return readFile(stderr) })
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-done
	if waitErr != nil {
		t.Fatalf("ccwake: %v\n%s", waitErr, readFile(stderr))
	}
	for _, pid := range hookPIDs(pids) {
		waitCond(t, "hook pid "+strconv.Itoa(pid)+" to end after ccwake exited", func() bool { return !procRunning(pid) },
			func() string { return readFile(stderr) })
	}
}

// hookPIDs reads the pids a hook appended to path.
func hookPIDs(path string) []int {
	b, _ := os.ReadFile(path)
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
			out = append(out, pid)
		}
	}
	return out
}

// procRunning reports whether pid is a live process: /proc/<pid> exists
// and is not a zombie waiting for init to reap it.
func procRunning(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}
