package resume

import (
	"errors"
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

// flock belongs to an open file description, so two opens in one process
// conflict just like two processes: the second AcquireLock must fail.
func TestLockTwoOpensConflict(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "locks")
	root := t.TempDir()
	release, by, err := acquireLockIn(dir, root)
	if err != nil || by != "" {
		t.Fatalf("first lock: %v %q", err, by)
	}
	_, by, err = acquireLockIn(dir, root)
	if !errors.Is(err, ErrLockHeld) {
		t.Fatalf("second lock: err %v, want ErrLockHeld", err)
	}
	if want := "pid " + strconv.Itoa(os.Getpid()); by != want {
		t.Fatalf("held by %q, want %q", by, want)
	}
	// Another spelling of the same root (trailing slash, symlink) is the same lock.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	for _, alias := range []string{root + "/", link, root + "/./"} {
		if _, _, err := acquireLockIn(dir, alias); !errors.Is(err, ErrLockHeld) {
			t.Errorf("alias %s: err %v, want ErrLockHeld", alias, err)
		}
	}
	// A different root is a different lock.
	rel2, _, err := acquireLockIn(dir, t.TempDir())
	if err != nil {
		t.Fatalf("other root: %v", err)
	}
	rel2()
	release()
	release() // idempotent
	rel3, _, err := acquireLockIn(dir, root)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	rel3()
	// The lock lives outside the root: nothing was written there.
	if ents, _ := os.ReadDir(root); len(ents) != 0 {
		t.Fatalf("root written to: %v", ents)
	}
}

// TestHelperLock is not a test: the process-level test re-runs this binary
// with it to hold a lock in another process.
func TestHelperLock(t *testing.T) {
	dir, root := os.Getenv("CCWAKE_LOCK_DIR"), os.Getenv("CCWAKE_LOCK_ROOT")
	if dir == "" {
		return // run directly: nothing to do
	}
	_, by, err := acquireLockIn(dir, root)
	if err != nil {
		fmt.Printf("held %s\n", by)
		return
	}
	fmt.Println("locked")
	// Hold it until stdin closes (the parent decides when we die).
	buf := make([]byte, 1)
	_, _ = os.Stdin.Read(buf)
}

func TestLockAcrossProcesses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "locks")
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLock$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CCWAKE_LOCK_DIR="+dir, "CCWAKE_LOCK_ROOT="+root)
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
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line := make([]byte, 64)
	n, err := out.Read(line)
	if err != nil || !strings.HasPrefix(string(line[:n]), "locked") {
		t.Fatalf("helper: %q %v", line[:n], err)
	}
	_, by, err := acquireLockIn(dir, root)
	if !errors.Is(err, ErrLockHeld) {
		t.Fatalf("err %v, want ErrLockHeld while the helper holds it", err)
	}
	if want := "pid " + strconv.Itoa(cmd.Process.Pid); by != want {
		t.Fatalf("held by %q, want %q", by, want)
	}
	// The helper dies without releasing: the kernel drops the lock.
	_ = stdin.Close()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rel, _, err := acquireLockIn(dir, root)
		if err == nil {
			rel()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lock not free after the holder died: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestLockDirMustBePrivate(t *testing.T) {
	base := t.TempDir()
	open := filepath.Join(base, "open")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, _, err := acquireLockIn(open, t.TempDir()); err == nil || !strings.Contains(err.Error(), "writable by others") {
		t.Fatalf("world-writable dir accepted: %v", err)
	}
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := acquireLockIn(file, t.TempDir()); err == nil {
		t.Fatal("a file as lock dir accepted")
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(base, link); err != nil {
		t.Fatal(err)
	}
	if _, _, err := acquireLockIn(link, t.TempDir()); err == nil {
		t.Fatal("a symlink as lock dir accepted")
	}
}

func TestAcquireLockUsesRuntimeDir(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", xdg)
	root := t.TempDir()
	release, _, err := AcquireLock(root)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ents, err := os.ReadDir(filepath.Join(xdg, "ccwake"))
	if err != nil || len(ents) != 1 || !strings.HasSuffix(ents[0].Name(), ".lock") {
		t.Fatalf("lock dir: %v %v", ents, err)
	}
	b, _ := os.ReadFile(filepath.Join(xdg, "ccwake", ents[0].Name()))
	if strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		t.Fatalf("lock file holds %q", b)
	}
	locked, by, rel2, err := LockRoots([]string{root, t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer rel2()
	if len(locked) != 1 || !strings.HasPrefix(by, "pid ") {
		t.Fatalf("LockRoots: locked %v held by %q", locked, by)
	}
}
