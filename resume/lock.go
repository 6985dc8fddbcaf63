package resume

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// errLockHeld means another process holds a root's lock: run watch-only.
var errLockHeld = errors.New("resume: another ccwake holds the lock")

// AcquireLock takes the per-root lock that lets exactly one ccwake act on a
// Claude root, so two instances never type twice for one stall.
//
// The lock belongs to the root itself: an exclusive, non-blocking flock on a
// read-only descriptor of the root directory. flock locks the directory's
// inode, so every way of reaching the root — a symlink, a bind mount, a
// relative path, a different $XDG_RUNTIME_DIR or $TMPDIR — meets the same
// lock, and nothing is written anywhere, least of all under the root (ccwake
// never writes to ~/.claude). The kernel drops the lock when the process
// dies, so a crash leaves no stale lock. Linux and macOS both have flock.
//
// On success release drops the lock. When another process holds it, err
// wraps errLockHeld and heldBy says who: "pid 1234" where the OS tells
// (Linux /proc/locks), else "another ccwake".
func AcquireLock(root string) (release func(), heldBy string, err error) {
	fd, err := syscall.Open(root, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, "", fmt.Errorf("lock %s: open: %w", root, err)
	}
	f := os.NewFile(uintptr(fd), root)
	if err := flockNB(fd); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			by := "another ccwake"
			if pid := lockHolder(f); pid > 0 {
				by = fmt.Sprintf("pid %d", pid)
			}
			return nil, by, fmt.Errorf("lock %s (%s): %w", root, by, errLockHeld)
		}
		// A filesystem without flock on directories (some network mounts)
		// cannot give the guarantee: refuse rather than risk two typists.
		return nil, "", fmt.Errorf("lock %s: flock on the root directory (does its filesystem support flock?): %w", root, err)
	}
	released := false
	return func() {
		if released {
			return
		}
		released = true
		_ = f.Close() // closing the last descriptor drops the flock
	}, "", nil
}

// flockNB takes an exclusive flock without waiting, retrying EINTR.
func flockNB(fd int) error {
	for {
		err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// LockRoots locks every root it can. locked lists the roots this process now
// holds (for Config.LockedRoots); heldBy names the holders of the others.
// Errors other than a held lock are returned after releasing what was taken.
func LockRoots(roots []string) (locked []string, heldBy string, release func(), err error) {
	var releases []func()
	release = func() {
		for _, r := range releases {
			r()
		}
	}
	var holders []string
	for _, root := range roots {
		rel, by, err := AcquireLock(root)
		switch {
		case errors.Is(err, errLockHeld):
			holders = append(holders, by)
		case err != nil:
			release()
			return nil, "", func() {}, err
		default:
			locked = append(locked, root)
			releases = append(releases, rel)
		}
	}
	return locked, strings.Join(holders, ", "), release, nil
}
