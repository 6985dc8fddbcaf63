package resume

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
)

// flock belongs to an open file description, so two opens in one process
// conflict just like two processes: the second AcquireLock must fail, by
// whatever spelling the root is reached.
func TestLockTwoOpensConflict(t *testing.T) {
	root := t.TempDir()
	before, err := os.Stat(root)
	if err != nil {
		t.Fatal(err)
	}
	release, by, err := AcquireLock(root)
	if err != nil || by != "" {
		t.Fatalf("first lock: %v %q", err, by)
	}
	_, by, err = AcquireLock(root)
	if !errors.Is(err, errLockHeld) {
		t.Fatalf("second lock: err %v, want errLockHeld", err)
	}
	if runtime.GOOS == "linux" && procLocksWorks(t) {
		if want := "pid " + strconv.Itoa(os.Getpid()); by != want {
			t.Fatalf("held by %q, want %q", by, want)
		}
	} else if by == "" {
		t.Fatal("held by nobody")
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	cwd, _ := os.Getwd()
	rel, err := filepath.Rel(cwd, root)
	if err != nil {
		t.Fatal(err)
	}
	for _, alias := range []string{root + "/", link, link + "/", root + "/./", rel} {
		if _, _, err := AcquireLock(alias); !errors.Is(err, errLockHeld) {
			t.Errorf("alias %s: err %v, want errLockHeld", alias, err)
		}
	}
	// A different root is a different lock.
	rel2, _, err := AcquireLock(t.TempDir())
	if err != nil {
		t.Fatalf("other root: %v", err)
	}
	rel2()
	release()
	release() // idempotent
	rel3, _, err := AcquireLock(link)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	rel3()
	// The lock is the root's own inode: nothing was written there.
	after, err := os.Stat(root)
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(root); len(ents) != 0 || !after.ModTime().Equal(before.ModTime()) {
		t.Fatalf("root written to: %v (mtime %v → %v)", ents, before.ModTime(), after.ModTime())
	}
}

// A read-only root (ccwake only ever reads it) can still be locked; a file
// or a missing path cannot.
func TestLockRootKinds(t *testing.T) {
	ro := t.TempDir()
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(ro, 0o755) })
	rel, _, err := AcquireLock(ro)
	if err != nil {
		t.Fatalf("read-only root: %v", err)
	}
	rel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{file, filepath.Join(t.TempDir(), "missing")} {
		if _, _, err := AcquireLock(bad); err == nil || errors.Is(err, errLockHeld) {
			t.Errorf("%s: err %v, want an open error", bad, err)
		}
	}
}

// procLocksWorks reports whether this kernel lists flocks in /proc/locks
// (gVisor and some sandboxes do not): only then can the holder be named.
func procLocksWorks(t *testing.T) bool {
	t.Helper()
	d := t.TempDir()
	f, err := os.Open(d)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	return lockHolder(f) == os.Getpid()
}

func TestLockHolderParsesProcLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locks")
	// dev 0x0801 is major 8 minor 1; dev 0xfd00 is major 253 minor 0.
	text := "1: POSIX  ADVISORY  WRITE 11 08:01:77 0 EOF\n" +
		"2: FLOCK  ADVISORY  WRITE 22 08:01:78 0 EOF\n" +
		"2: -> FLOCK  ADVISORY  WRITE 33 08:01:77 0 EOF\n" +
		"3: FLOCK  ADVISORY  WRITE 44 08:01:77 0 EOF\n" +
		"garbage\n\n" +
		"4: FLOCK  ADVISORY  WRITE 55 fd:00:77 0 EOF\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dev, ino uint64
		want     int
	}{
		{0x0801, 77, 44},
		{0x0801, 78, 22},
		{0xfd00, 77, 55},
		{0x0801, 79, 0},
	}
	for _, tc := range tests {
		if got := lockHolderIn(path, tc.dev, tc.ino); got != tc.want {
			t.Errorf("dev %#x ino %d: holder %d, want %d", tc.dev, tc.ino, got, tc.want)
		}
	}
	if got := lockHolderIn(filepath.Join(t.TempDir(), "none"), 1, 1); got != 0 {
		t.Errorf("missing file: holder %d", got)
	}
}

// TestHelperLock is not a test: the process-level tests re-run this binary
// with it to hold a root's lock in another process, in an environment of
// their choosing.
func TestHelperLock(t *testing.T) {
	root := os.Getenv("CCWAKE_LOCK_ROOT")
	if root == "" {
		return // run directly: nothing to do
	}
	_, by, err := AcquireLock(root)
	if err != nil {
		fmt.Printf("held %s: %v\n", by, err)
		return
	}
	fmt.Println("locked")
	// Hold it until stdin closes (the parent decides when we die).
	buf := make([]byte, 1)
	_, _ = os.Stdin.Read(buf)
}

// lockHelper runs TestHelperLock in a new process with env added and
// returns its first line and the process.
func lockHelper(t *testing.T, root string, env ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLock$", "-test.count=1")
	var keep []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") && !strings.HasPrefix(kv, "TMPDIR=") {
			keep = append(keep, kv)
		}
	}
	cmd.Env = append(append(keep, "CCWAKE_LOCK_ROOT="+root), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("helper: %q %v", line, err)
	}
	return strings.TrimSpace(line), cmd
}

// Two processes whose environments differ (one with $XDG_RUNTIME_DIR and
// $TMPDIR, one without, as a desktop session and cron) and which reach the
// root by different paths (directly, through a symlink) meet one lock.
func TestLockAcrossProcessesAndEnvironments(t *testing.T) {
	root := t.TempDir()
	link := filepath.Join(t.TempDir(), "via-link")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	runtimeDir, tmp := t.TempDir(), t.TempDir()
	line, holder := lockHelper(t, link, "XDG_RUNTIME_DIR="+runtimeDir, "TMPDIR="+tmp)
	if line != "locked" {
		t.Fatalf("helper: %q", line)
	}
	// A second process with no XDG_RUNTIME_DIR, reaching the root directly.
	line2, _ := lockHelper(t, root)
	if !strings.HasPrefix(line2, "held ") {
		t.Fatalf("second process got %q, want the lock held", line2)
	}
	_, by, err := AcquireLock(root)
	if !errors.Is(err, errLockHeld) {
		t.Fatalf("err %v, want errLockHeld while the helper holds it", err)
	}
	if runtime.GOOS == "linux" && procLocksWorks(t) {
		if want := "pid " + strconv.Itoa(holder.Process.Pid); by != want {
			t.Fatalf("held by %q, want %q", by, want)
		}
	}
	// The helper dies without releasing: the kernel drops the lock.
	_ = holder.Process.Signal(syscall.SIGKILL)
	_ = holder.Wait()
	waitLockFree(t, root)
}

// A bind mount is another path to the same inode: the same lock. Needs
// root (mount); skipped otherwise.
func TestLockThroughBindMount(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("bind mounts are Linux")
	}
	if os.Geteuid() != 0 {
		t.Skip("mount --bind needs root")
	}
	root := t.TempDir()
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "--bind", root, mnt).CombinedOutput(); err != nil {
		t.Skipf("mount --bind not permitted here: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
	// Prove it is a bind mount and not a copy or a symlink.
	if err := os.WriteFile(filepath.Join(root, "probe"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(mnt, "probe")); err != nil {
		t.Fatalf("bind mount does not show the root: %v", err)
	}
	if real, _ := filepath.EvalSymlinks(mnt); real == root {
		t.Fatal("the mount resolves to the root's path: not a test of bind mounts")
	}
	line, _ := lockHelper(t, mnt, "XDG_RUNTIME_DIR="+t.TempDir())
	if line != "locked" {
		t.Fatalf("helper through the bind mount: %q", line)
	}
	if _, _, err := AcquireLock(root); !errors.Is(err, errLockHeld) {
		t.Fatalf("lock through the root's own path: err %v, want errLockHeld", err)
	}
}

func waitLockFree(t *testing.T, root string) {
	t.Helper()
	var err error
	testkit.WaitFor(t, "the lock to be free after the holder died", func() bool {
		var rel func()
		if rel, _, err = AcquireLock(root); err == nil {
			rel()
		}
		return err == nil
	}, func() string { return fmt.Sprintf("AcquireLock: %v", err) })
}

func TestLockRoots(t *testing.T) {
	held, free := t.TempDir(), t.TempDir()
	line, _ := lockHelper(t, held)
	if line != "locked" {
		t.Fatalf("helper: %q", line)
	}
	locked, by, release, err := LockRoots([]string{held, free})
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if len(locked) != 1 || locked[0] != free || by == "" {
		t.Fatalf("LockRoots: locked %v held by %q", locked, by)
	}
	if _, _, _, err := LockRoots([]string{filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Fatal("a missing root locked")
	}
}
