package statefile

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// Where a root's record lives. The root lock (resume.AcquireLock) is a
// flock on the root directory's inode, so every instance that can take it
// reaches the same inode, whatever its $HOME, $XDG_*, --state-dir, symlink
// or bind mount. The record must be found the same way, so its place is
// derived from exactly two things no environment variable changes:
//
//   - the user: the home directory the passwd database gives the process's
//     uid (os/user, not $HOME), and
//   - the root's identity: its filesystem's id (statfs f_fsid, stable across
//     reboots where the device number is not, e.g. btrfs or LVM; the device
//     number where the filesystem reports none) and its inode number.
//
// That is <passwd home>/.local/state/ccwake/roots/<fs>-<inode>/state.json.
// A user without a usable home in the passwd database (a container's
// arbitrary uid) gets /var/tmp/ccwake-<uid>, made 0700 and checked to be
// the uid's own directory. Instances under different uids do not share a
// record; they do not share tmux servers either.

// RootPath is the record file for the Claude root at root, under base
// (UserBase).
func RootPath(base, root string) (string, error) {
	id, err := RootID(root)
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "roots", id, "state.json"), nil
}

// RootID names the root directory by its identity, the same through every
// path that reaches it: "<fs>-<inode>" in hex.
func RootID(root string) (string, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(root, &st); err != nil {
		return "", fmt.Errorf("record of %s: %w", root, err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
		return "", fmt.Errorf("record of %s: not a directory", root)
	}
	fs := "dev" + strconv.FormatUint(uint64(st.Dev), 16)
	if id, ok := fsID(root); ok {
		fs = "fs" + id
	}
	return fs + "-" + strconv.FormatUint(uint64(st.Ino), 16), nil
}

// UserBase is the per-user directory of the records: homeOf(uid) (the
// passwd database's home; PasswdHome in production) + .local/state/ccwake,
// else /var/tmp/ccwake-<uid> when the database has no usable home. Nothing
// is created but the /var/tmp directory, which is checked to be the uid's.
func UserBase(uid int, homeOf func(uid int) (string, error)) (string, error) {
	home, err := homeOf(uid)
	if err == nil {
		fi, serr := os.Stat(home)
		switch {
		case !filepath.IsAbs(home) || filepath.Clean(home) == "/":
			err = fmt.Errorf("home %q", home)
		case serr != nil:
			err = serr
		case !fi.IsDir():
			err = fmt.Errorf("home %s is not a directory", home)
		default:
			return filepath.Join(home, ".local", "state", "ccwake"), nil
		}
	}
	dir := filepath.Join("/var/tmp", "ccwake-"+strconv.Itoa(uid))
	if perr := privateDir(dir, uid); perr != nil {
		return "", fmt.Errorf("no usable home for uid %d in the passwd database (%v), and %w", uid, err, perr)
	}
	return dir, nil
}

// PasswdHome is uid's home directory in the passwd database.
func PasswdHome(uid int) (string, error) {
	u, err := user.LookupId(strconv.Itoa(uid))
	if err != nil {
		return "", err
	}
	return u.HomeDir, nil
}

// privateDir makes dir (mode 0700) unless it exists, and checks that it is
// a real directory owned by uid that no one else can write: /var/tmp is
// shared, and a directory planted there by someone else must not hold the
// record.
func privateDir(dir string, uid int) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s: %w", dir, err)
	}
	var st syscall.Stat_t
	if err := syscall.Lstat(dir, &st); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	switch {
	case st.Mode&syscall.S_IFMT != syscall.S_IFDIR:
		return fmt.Errorf("%s is not a directory (a symlink?): not keeping the record there", dir)
	case int(st.Uid) != uid:
		return fmt.Errorf("%s belongs to uid %d, not %d: not keeping the record there", dir, st.Uid, uid)
	case st.Mode&0o022 != 0:
		return fmt.Errorf("%s is writable by others (mode %o): not keeping the record there", dir, st.Mode&0o777)
	}
	return nil
}
