package resume

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLockHeld means another process holds a root's lock: run watch-only.
var ErrLockHeld = errors.New("resume: another ccwake holds the lock")

// AcquireLock takes the per-root lock that lets exactly one ccwake act on a
// Claude root, so two instances never type twice for one stall. The lock is
// an OS file lock (flock, released by the kernel when the process dies, so a
// crash leaves no stale lock) on a file outside the root — ccwake never
// writes to ~/.claude — in $XDG_RUNTIME_DIR/ccwake/, else
// os.TempDir()/ccwake-<uid>/, named by a hash of the root's real absolute
// path. The holder's pid is written into it for "held by pid N".
//
// On success release drops the lock. When another process holds it, err
// wraps ErrLockHeld and heldBy says who ("pid 1234").
func AcquireLock(root string) (release func(), heldBy string, err error) {
	dir, err := lockDir()
	if err != nil {
		return nil, "", err
	}
	return acquireLockIn(dir, root)
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
		case errors.Is(err, ErrLockHeld):
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

// lockDir is the private directory lock files live in.
func lockDir() (string, error) {
	if xdg := os.Getenv("XDG_RUNTIME_DIR"); xdg != "" && filepath.IsAbs(xdg) {
		if fi, err := os.Stat(xdg); err == nil && fi.IsDir() {
			return filepath.Join(xdg, "ccwake"), nil
		}
	}
	return filepath.Join(os.TempDir(), "ccwake-"+strconv.Itoa(os.Getuid())), nil
}

// lockName is the lock file's name for a root: a hash of its real absolute
// path, so two spellings of one root share a lock.
func lockName(root string) string {
	sum := sha256.Sum256([]byte(cleanRoot(root)))
	return hex.EncodeToString(sum[:12]) + ".lock"
}

func acquireLockIn(dir, root string) (release func(), heldBy string, err error) {
	if err := privateDir(dir); err != nil {
		return nil, "", err
	}
	path := filepath.Join(dir, lockName(root))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("lock %s: %w", root, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			by := "another ccwake"
			if b, rerr := os.ReadFile(path); rerr == nil {
				if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil && pid > 0 {
					by = "pid " + strconv.Itoa(pid)
				}
			}
			return nil, by, fmt.Errorf("lock %s (%s): %w", root, by, ErrLockHeld)
		}
		return nil, "", fmt.Errorf("lock %s: flock %s: %w", root, path, err)
	}
	// We hold it: say who we are. The file is never removed (removing a
	// flock'ed file races with the next holder opening it).
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	released := false
	return func() {
		if released {
			return
		}
		released = true
		_ = f.Truncate(0)
		_ = f.Close() // closing the last descriptor drops the flock
	}, "", nil
}

// privateDir creates dir (0700) or checks that an existing one is ours and
// private: a world-writable temp dir must not let another user plant it.
func privateDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("lock dir %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("lock dir %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("lock dir %s: not a directory", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("lock dir %s: owned by uid %d, not us", dir, st.Uid)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("lock dir %s: writable by others (%v)", dir, fi.Mode().Perm())
	}
	return nil
}
