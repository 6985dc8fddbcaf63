package notify

import (
	"context"
	"errors"
	"os/exec"
	"syscall"
	"time"
)

// ownGroup makes cmd the leader of a new process group (its pgid is its
// pid) and has its context's end kill the whole group, not only sh: a
// hung hook's children go with it.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
}

// killGroup sends SIGKILL to every process in group pgid. A group that is
// gone already is no error.
func killGroup(pgid int) error {
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// groupAlive reports whether a process of group pgid still exists (one we
// may not signal, a setuid helper, counts too). While one does, the kernel
// does not hand the number out as a new pid, so the group cannot be
// mistaken for another. An orphan that exited counts until init reaps it.
func groupAlive(pgid int) bool {
	err := syscall.Kill(-pgid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// awaitGroup waits until the group led by the exited pgid has no process
// left, or ctx ends; then it kills what is left. It reports whether it had
// to.
func awaitGroup(ctx context.Context, pgid int) bool {
	if !groupAlive(pgid) {
		return false
	}
	t := time.NewTicker(groupPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = killGroup(pgid)
			return true
		case <-t.C:
			if !groupAlive(pgid) {
				return false
			}
		}
	}
}
