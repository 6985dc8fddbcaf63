package resume

import (
	"fmt"
	"os"
)

// LockHolder says who holds root's lock without taking it (taking it, even
// for a moment, could turn a ccwake starting at that moment watch-only).
// The lock is a flock on the root directory itself (see AcquireLock), so the
// holder is read from the kernel's lock table (/proc/locks on Linux); pid is
// 0 when nobody holds it or the OS cannot tell. where names what is locked.
func LockHolder(root string) (pid int, where string, err error) {
	f, err := os.Open(root)
	if err != nil {
		return 0, root, fmt.Errorf("lock holder of %s: %w", root, err)
	}
	defer f.Close()
	return lockHolder(f), "flock on " + root, nil
}
