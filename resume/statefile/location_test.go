package statefile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// The record of a root is found by the root's identity: the same through a
// symlink or a relative path, another for another directory.
func TestRootPathByIdentity(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "home", ".claude")
	other := filepath.Join(dir, "other", ".claude")
	for _, d := range []string{root, other} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "base")
	want, err := RootPath(base, root)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(want, filepath.Join(base, "roots")+"/") || filepath.Base(want) != "state.json" {
		t.Fatalf("record path %s", want)
	}
	t.Chdir(dir)
	for _, p := range []string{link, root + "/", "home/.claude", "./home/../home/.claude"} {
		if got, err := RootPath(base, p); err != nil || got != want {
			t.Fatalf("RootPath(%s) = %s, %v; want %s", p, got, err, want)
		}
	}
	if got, _ := RootPath(base, other); got == want {
		t.Fatalf("two roots share the record %s", got)
	}
	if _, err := RootPath(base, filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing root has a record path")
	}
}

// The per-user base comes from the passwd database's home, never $HOME;
// without a usable one, a private directory in /var/tmp.
func TestUserBase(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", "/somewhere/else")
	t.Setenv("XDG_STATE_HOME", "/xdg")
	got, err := UserBase(os.Getuid(), func(int) (string, error) { return home, nil })
	if err != nil || got != filepath.Join(home, ".local", "state", "ccwake") {
		t.Fatalf("UserBase = %s, %v", got, err)
	}
	uid := os.Getuid()
	fallback := filepath.Join("/var/tmp", "ccwake-"+strconv.Itoa(uid))
	if _, err := os.Lstat(fallback); errors.Is(err, os.ErrNotExist) {
		t.Cleanup(func() { _ = os.Remove(fallback) }) // made by this test: gone after it
	}
	for _, bad := range []func(int) (string, error){
		func(int) (string, error) { return "", errors.New("unknown user") },
		func(int) (string, error) { return "/", nil },
		func(int) (string, error) { return "relative", nil },
		func(int) (string, error) { return filepath.Join(home, "nonexistent"), nil },
	} {
		got, err := UserBase(uid, bad)
		if err != nil {
			t.Skipf("/var/tmp not usable here: %v", err)
		}
		if got != fallback {
			t.Fatalf("UserBase = %s, want %s", got, fallback)
		}
	}
	if home, err := PasswdHome(uid); err != nil || !filepath.IsAbs(home) {
		t.Logf("passwd home of uid %d: %q, %v", uid, home, err)
	}
}

// A /var/tmp directory someone else planted (a symlink, another owner, a
// mode others can write) never holds the record.
func TestPrivateDirRefusesPlanted(t *testing.T) {
	dir := t.TempDir()
	uid := os.Getuid()
	ok := filepath.Join(dir, "ok")
	if err := privateDir(ok, uid); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(ok); fi.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if err := privateDir(ok, uid); err != nil {
		t.Fatalf("again: %v", err)
	}
	link := filepath.Join(dir, "link")
	_ = os.Symlink(ok, link)
	if err := privateDir(link, uid); err == nil {
		t.Fatal("a symlink accepted")
	}
	open := filepath.Join(dir, "open")
	_ = os.Mkdir(open, 0o700)
	_ = syscall.Chmod(open, 0o777)
	if err := privateDir(open, uid); err == nil {
		t.Fatal("a world-writable directory accepted")
	}
	if err := privateDir(ok, uid+1); err == nil {
		t.Fatal("another uid's directory accepted")
	}
}
