package notify

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch/classify"
)

// readPIDs reads the pids a test command appended to path, one a line.
func readPIDs(t *testing.T, path string) []int {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []int
	for _, f := range strings.Fields(string(raw)) {
		pid, err := strconv.Atoi(f)
		if err != nil || pid <= 1 {
			t.Fatalf("bad pid %q in %s", f, path)
		}
		out = append(out, pid)
	}
	return out
}

// running reports whether pid is a live process: /proc/<pid> exists and is
// not a zombie (a killed orphan may wait for init to reap it).
func running(pid int) bool {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	// pid (comm) state …: comm may hold spaces and parentheses.
	rest := string(raw[strings.LastIndexByte(string(raw), ')')+1:])
	f := strings.Fields(rest)
	return len(f) > 0 && f[0] != "Z"
}

// killPIDs ends what a failed test left running, by pid.
func killPIDs(path string) {
	raw, _ := os.ReadFile(path)
	for _, f := range strings.Fields(string(raw)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// TestCommandKillsItsProcessGroup runs real hooks that leave `sleep 1000`s
// behind: when the delivery's context ends (its timeout, or ccwake
// exiting), Send returns and every one of them is gone, checked by pid in
// /proc. A hook whose background work ends by itself is waited for and
// counts as delivered.
func TestCommandKillsItsProcessGroup(t *testing.T) {
	dir := t.TempDir()
	for i, tc := range []struct {
		name string
		body string // the hook; appends every pid it starts to $1
		want string // in the error
	}{
		{"sh hangs in the foreground", `sleep 1000 & echo $! >> "$1"; sleep 1000 & echo $! >> "$1"; echo $$ >> "$1"; exec sleep 1000`, "killed its process group"},
		{"sh exited; its children live on", `sleep 1000 & echo $! >> "$1"; sleep 1000 & echo $! >> "$1"; sh -c 'echo $$ >> "$1"; exec sleep 1000' - "$1" & exit 0`, "killed its process group"},
		{"output redirected away from ccwake", `sleep 1000 >/dev/null 2>&1 & echo $! >> "$1"; sleep 1000 </dev/null >/dev/null 2>&1 & echo $! >> "$1"; echo $$ >> "$1"; exec sleep 1000 >/dev/null`, "killed its process group"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pids := filepath.Join(dir, "hook"+strconv.Itoa(i)+".pids")
			t.Cleanup(func() { killPIDs(pids) })
			hook := writeScript(t, dir, filepath.Base(pids)+".sh", tc.body)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- Command{Cmd: hook + " " + pids}.Send(ctx, sampleEvent()) }()
			waitFor(t, "the hook to start 3 processes", func() bool { return len(readPIDs(t, pids)) == 3 })
			for _, pid := range readPIDs(t, pids) {
				if !running(pid) {
					t.Fatalf("pid %d is not running before the end", pid)
				}
			}
			select {
			case err := <-done:
				t.Fatalf("Send returned (%v) while what it started still runs", err)
			default:
			}
			cancel() // the timeout, or ccwake exiting
			err := <-done
			for _, pid := range readPIDs(t, pids) {
				waitFor(t, "pid "+strconv.Itoa(pid)+" to end", func() bool { return !running(pid) })
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v does not wrap the context's", err)
			}
		})
	}

	t.Run("background work that ends by itself is waited for", func(t *testing.T) {
		mark := filepath.Join(dir, "mark")
		hook := writeScript(t, dir, "quick.sh", `(sleep 0.2; echo done > "$1") >/dev/null 2>&1 </dev/null & exit 0`)
		if err := (Command{Cmd: hook + " " + mark}).Send(context.Background(), sampleEvent()); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(mark); err != nil || string(b) != "done\n" {
			t.Fatalf("Send returned before the hook's background work ended: %q, %v", b, err)
		}
	})
}

// TestNotifierExitEndsHungHook: ccwake exiting (the Notifier's context
// ends) while a --notify-cmd hangs with children of its own returns from
// Run, and none of the hook's processes is left.
func TestNotifierExitEndsHungHook(t *testing.T) {
	dir := t.TempDir()
	pids := filepath.Join(dir, "hook.pids")
	t.Cleanup(func() { killPIDs(pids) })
	hook := writeScript(t, dir, "hang.sh", `sleep 1000 & echo $! >> "$1"; sleep 1000 & echo $! >> "$1"; sleep 1000 & echo $! >> "$1"; echo $$ >> "$1"; wait`)
	src := &mutableSource{}
	src.set(snapshot(status(stalled("aaaa0001", classify.Fatal, "fa", t0), resume.Fatal, time.Time{}, "credit balance too low")))
	n := New(Config{Clock: newFakeClock(t0), Poll: time.Minute, Timeout: time.Hour, Host: "box"}, src, Command{Cmd: hook + " " + pids})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	waitFor(t, "the hook to start 4 processes", func() bool { return len(readPIDs(t, pids)) == 4 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	for _, pid := range readPIDs(t, pids) {
		waitFor(t, "pid "+strconv.Itoa(pid)+" to end", func() bool { return !running(pid) })
	}
}
