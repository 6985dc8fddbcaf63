package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// --version and `ccwake version` print the module version and the commit:
// from -ldflags in a release build, else from the Go build info.
func TestVersion(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t, "-ldflags", "-X main.version=v9.8.7 -X main.commit=0123456789abcdef0123 -X main.date=2026-11-30T10:00:00Z")
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := e.run(nil, args...)
		want := "ccwake v9.8.7 commit 0123456789ab built 2026-11-30T10:00:00Z go"
		if r.code != 0 || !strings.HasPrefix(r.stdout, want) {
			t.Errorf("%v: exit %d, %q, want it to start with %q", args, r.code, r.stdout, want)
		}
	}

	// A build in the git clone: the commit comes from the build info. The go
	// command stamps it only where .git is a directory (not in a worktree).
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git clone (%v): no VCS build info to check", err)
	}
	if fi, err := os.Stat(filepath.Join("..", "..", ".git")); err != nil || !fi.IsDir() {
		t.Skip("a git worktree (.git is a file): go build stamps no VCS info here")
	}
	out, err := exec.Command(sharedBinary(t), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	// go 1.24+ also derives a pseudo-version (v0.0.0-<time>-<commit>) from it.
	want := " commit " + strings.TrimSpace(string(head))[:12]
	if !strings.HasPrefix(string(out), "ccwake v") || !strings.Contains(string(out), want) {
		t.Errorf("version %q, want a version and %q", out, want)
	}
}
