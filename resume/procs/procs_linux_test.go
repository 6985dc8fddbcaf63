//go:build linux

package procs

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
)

func TestParseStat(t *testing.T) {
	tail := " S 100 200 200 34817 201 4194560 1 2 3 4 5 6 7 8 20 0 1 0 626300 1000 50"
	tests := []struct {
		line    string
		want    Proc
		wantErr bool
	}{
		{"13071 (claude)" + tail, Proc{PID: 13071, PPID: 100, PGID: 200, TPGID: 201, Comm: "claude", Start: "626300"}, false},
		{"42 (a b)" + tail, Proc{PID: 42, PPID: 100, PGID: 200, TPGID: 201, Comm: "a b", Start: "626300"}, false},
		{"42 (x) S 1 2 (y))" + tail, Proc{PID: 42, PPID: 100, PGID: 200, TPGID: 201, Comm: "x) S 1 2 (y)", Start: "626300"}, false},
		{"9 (claude)" + strings.Replace(tail, " S ", " Z ", 1), Proc{PID: 9, PPID: 100, PGID: 200, TPGID: 201, Comm: "claude", Start: "626300", Exited: true}, false},
		{"7 (2.1.34)" + tail + "\n", Proc{PID: 7, PPID: 100, PGID: 200, TPGID: 201, Comm: "2.1.34", Start: "626300"}, false},
		{"7 (claude) S 1 2", Proc{}, true},
		{"(claude)" + tail, Proc{}, true},
		{"7 claude" + tail, Proc{}, true},
		{"x (claude)" + tail, Proc{}, true},
		{"7 (claude) S x 200 200 34817 201 4194560 1 2 3 4 5 6 7 8 20 0 1 0 626300", Proc{}, true},
		{"", Proc{}, true},
	}
	for _, tt := range tests {
		got, err := parseStat(tt.line)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseStat(%q) = %+v, %v; want %+v, err %v", tt.line, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLinuxProcsSelf(t *testing.T) {
	ctx := context.Background()
	procs := NewHost(nil)
	me, err := procs.Get(ctx, os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if me.PPID != os.Getppid() || me.Start == "" || me.Comm == "" {
		t.Errorf("Get(self) = %+v", me)
	}
	wd, _ := os.Getwd()
	if cwd, err := procs.Cwd(ctx, os.Getpid()); err != nil || cwd != wd {
		t.Errorf("Cwd(self) = %q, %v; want %q", cwd, err, wd)
	}
	if argv, err := procs.Cmdline(ctx, os.Getpid()); err != nil || len(argv) == 0 || argv[0] != os.Args[0] {
		t.Errorf("Cmdline(self) = %q, %v", argv, err)
	}
	exe, _ := os.Executable()
	if got, err := procs.Exe(ctx, os.Getpid()); err != nil || got != exe {
		t.Errorf("Exe(self) = %q, %v; want %q", got, err, exe)
	}
	all, err := procs.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tree := NewTree(all)
	if !tree.Contains(me.PPID, me.PID) || !tree.Contains(1, me.PID) {
		t.Errorf("process tree does not hold us under our parent and init")
	}
	if _, err := procs.Get(ctx, 1<<30); err == nil {
		t.Error("Get of a missing pid: want an error")
	}
}

// FuzzParseStat: /proc/<pid>/stat of any shape never panics.
func FuzzParseStat(f *testing.F) {
	f.Add("13071 (claude) S 100 200 200 34817 201 4194560 1 2 3 4 5 6 7 8 20 0 1 0 626300 1000 50")
	f.Add("42 (x) S 1 2 (y)) S 1 2 3 4 5")
	f.Add("1 ()")
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := parseStat(s); err == nil && p.PID == 0 && p.Comm == "" && p.Start == "" {
			t.Errorf("parseStat(%q) accepted an empty process", s)
		}
	})
}

// Environ and Stdio of a real child with a known environment and a pipe on
// stdin.
func TestLinuxProcsEnvironStdio(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	cmd.Env = []string{"CLAUDE_CONFIG_DIR=/r2", "HOME=/h"}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ctx := context.Background()
	procs := NewHost(nil)
	// Until the child has exec'd, /proc shows the forked copy of this
	// test's own environment: wait for sleep's argv first.
	testkit.WaitFor(t, "the child to exec sleep", func() bool {
		argv, err := procs.Cmdline(ctx, cmd.Process.Pid)
		return err == nil && len(argv) > 0 && filepath.Base(argv[0]) == "sleep"
	}, nil)
	env, err := procs.Environ(ctx, cmd.Process.Pid)
	if err != nil || !slices.Equal(env, cmd.Env) {
		t.Errorf("Environ = %q, %v; want %q", env, err, cmd.Env)
	}
	if root, ok := ClaudeRoot(env); !ok || root != "/r2" {
		t.Errorf("ClaudeRoot = %q, %v", root, ok)
	}
	fds, err := procs.Stdio(ctx, cmd.Process.Pid)
	if err != nil || len(fds) != 3 || !strings.HasPrefix(fds[0], "pipe:") || fds[1] != os.DevNull || IsTerminal(fds[0], "") {
		t.Errorf("Stdio = %q, %v; want a pipe and %s", fds, err, os.DevNull)
	}
	if _, err := procs.Environ(ctx, 1<<30); err == nil {
		t.Error("Environ of a missing pid: want an error")
	}
}

// A child that has exited but is not reaped has no cwd: Cwd says it is
// exiting, which Holders reads as holding nothing (a live process whose
// cwd cannot be read stays a doubt).
func TestLinuxProcsCwdOfAnExitedChild(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() { _ = cmd.Wait() })
	ctx := context.Background()
	procs := NewHost(nil)
	if _, err := procs.Cwd(ctx, pid); err != nil {
		t.Fatalf("Cwd of the live child: %v", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	testkit.WaitFor(t, "the killed child to turn zombie", func() bool {
		p, err := procs.Get(ctx, pid)
		return err == nil && p.Exited
	}, nil)
	if _, err := procs.Cwd(ctx, pid); !errors.Is(err, ErrExiting) {
		t.Errorf("Cwd of a zombie = %v; want ErrExiting", err)
	}
	if _, err := procs.Cwd(ctx, 1<<30); !errors.Is(err, ErrExiting) {
		t.Errorf("Cwd of a missing pid = %v; want ErrExiting", err)
	}
}
