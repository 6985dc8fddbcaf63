package resume

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockHolder says who holds root's lock without taking it (taking it, even
// for a moment, could turn a ccwake starting at that moment watch-only):
// the pid written in the lock file, 0 when none is. The caller checks that
// the pid is alive: a holder that died leaves its pid but no flock.
func LockHolder(root string) (pid int, path string, err error) {
	dir, err := lockDir()
	if err != nil {
		return 0, "", err
	}
	path = filepath.Join(dir, lockName(root))
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, path, nil
	}
	if err != nil {
		return 0, path, err
	}
	pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	return max(pid, 0), path, nil
}
