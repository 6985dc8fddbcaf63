package attach

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// RootID is a root's identity for naming its socket: the device and inode
// of the directory, in hex. Every path that reaches the directory (a
// symlink, a bind mount) gives the same id, as it meets the same lock.
func RootID(root string) (string, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(root, &st); err != nil {
		return "", fmt.Errorf("root identity %s: %w", root, err)
	}
	return fmt.Sprintf("%x-%x", uint64(st.Dev), uint64(st.Ino)), nil //nolint:unconvert // Dev is int32 on darwin
}

// RootIDs are the identities of roots, in order.
func RootIDs(roots []string) ([]string, error) {
	out := make([]string, 0, len(roots))
	for _, r := range roots {
		id, err := RootID(r)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// Dirs are the directories a socket may be in, in the order a client tries
// them: $XDG_RUNTIME_DIR/ccwake (when set and absolute), /run/user/<uid>/ccwake
// (when that runtime directory exists), then <stateDir>/run for each state
// directory given (the default one, and a --state-dir). Duplicates go.
func Dirs(getenv func(string) string, stateDirs ...string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(d string) {
		d = filepath.Clean(d)
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	if x := getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(x) {
		add(filepath.Join(x, "ccwake"))
	}
	run := filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	if fi, err := os.Stat(run); err == nil && fi.IsDir() {
		add(filepath.Join(run, "ccwake"))
	}
	for _, s := range stateDirs {
		if filepath.IsAbs(s) {
			add(filepath.Join(s, "run"))
		}
	}
	return out
}

// SocketPath is the socket of root id in dir.
func SocketPath(dir, id string) string { return filepath.Join(dir, id+".sock") }

// errNotPrivate means a socket directory exists but others could reach it.
var errNotPrivate = errors.New("not private to this user")

// privateDir makes dir (and its missing parents, 0700) and checks it is a
// directory owned by this user that nobody else can enter; one of ours
// with looser bits is tightened.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("socket directory %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("socket directory %s: %w", dir, err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.IsDir():
		return fmt.Errorf("socket directory %s: not a directory", dir)
	case !ok || int(st.Uid) != os.Getuid():
		return fmt.Errorf("socket directory %s: owned by another user: %w", dir, errNotPrivate)
	case fi.Mode().Perm()&0o077 != 0:
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("socket directory %s: %w", dir, err)
		}
	}
	return nil
}
