package resume

import (
	"os"
	"testing"
)

// LockHolder reads the holder's pid without taking the lock: none before,
// ours while held (and the lock stays ours), none after release.
func TestLockHolder(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	root := t.TempDir()
	if pid, _, err := LockHolder(root); err != nil || pid != 0 {
		t.Fatalf("before: pid %d, err %v", pid, err)
	}
	release, _, err := AcquireLock(root)
	if err != nil {
		t.Fatal(err)
	}
	if pid, _, err := LockHolder(root); err != nil || pid != os.Getpid() {
		t.Fatalf("held: pid %d, err %v; want %d", pid, err, os.Getpid())
	}
	if _, by, err := AcquireLock(root); err == nil || by == "" {
		t.Fatalf("the lock was lost after LockHolder: err %v", err)
	}
	release()
	if pid, _, err := LockHolder(root); err != nil || pid != 0 {
		t.Fatalf("after release: pid %d, err %v", pid, err)
	}
}
