//go:build linux

package procs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ccwake/ccwake/resume/mux"
)

// NewHost returns this OS's process table. Linux reads /proc directly
// and does not need the Runner.
func NewHost(mux.Runner) Table { return linuxProcs{root: "/proc"} }

// linuxProcs reads a procfs mounted at root.
type linuxProcs struct{ root string }

func (l linuxProcs) List(ctx context.Context) ([]Proc, error) {
	ents, err := os.ReadDir(l.root)
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	procs := make([]Proc, 0, len(ents))
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		p, err := l.Get(ctx, pid)
		if err != nil {
			continue // exited meanwhile, or not ours to read
		}
		procs = append(procs, p)
	}
	return procs, nil
}

func (l linuxProcs) Get(_ context.Context, pid int) (Proc, error) {
	data, err := os.ReadFile(filepath.Join(l.root, strconv.Itoa(pid), "stat"))
	if err != nil {
		return Proc{}, fmt.Errorf("process %d: %w", pid, err)
	}
	p, err := parseStat(string(data))
	if err != nil {
		return Proc{}, fmt.Errorf("process %d: %w", pid, err)
	}
	return p, nil
}

func (l linuxProcs) Cwd(_ context.Context, pid int) (string, error) {
	cwd, err := os.Readlink(filepath.Join(l.root, strconv.Itoa(pid), "cwd"))
	if errors.Is(err, fs.ErrNotExist) {
		// proc_cwd_link answers ENOENT only when the task has no fs left
		// (exit_fs in do_exit), or when the pid is gone altogether.
		return "", fmt.Errorf("cwd of process %d: %w (%w)", pid, ErrExiting, err)
	}
	if err != nil {
		return "", fmt.Errorf("cwd of process %d: %w", pid, err)
	}
	return cwd, nil
}

func (l linuxProcs) Cmdline(_ context.Context, pid int) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(l.root, strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return nil, fmt.Errorf("cmdline of process %d: %w", pid, err)
	}
	return strings.Split(strings.TrimRight(string(data), "\x00"), "\x00"), nil
}

func (l linuxProcs) Exe(_ context.Context, pid int) (string, error) {
	exe, err := os.Readlink(filepath.Join(l.root, strconv.Itoa(pid), "exe"))
	if err != nil {
		return "", fmt.Errorf("exe of process %d: %w", pid, err)
	}
	return strings.TrimSuffix(exe, " (deleted)"), nil
}

func (l linuxProcs) Environ(_ context.Context, pid int) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(l.root, strconv.Itoa(pid), "environ"))
	if err != nil {
		return nil, fmt.Errorf("environment of process %d: %w", pid, err)
	}
	if len(data) == 0 {
		// A zombie or a kernel thread shows an empty environ: not "no
		// variables set" but "nothing to read".
		return nil, fmt.Errorf("environment of process %d: %w", pid, ErrEnvUnknown)
	}
	return strings.Split(strings.TrimRight(string(data), "\x00"), "\x00"), nil
}

func (l linuxProcs) Stdio(_ context.Context, pid int) ([]string, error) {
	out := make([]string, 3)
	for fd := range out {
		target, err := os.Readlink(filepath.Join(l.root, strconv.Itoa(pid), "fd", strconv.Itoa(fd)))
		switch {
		case os.IsNotExist(err):
			// closed descriptor
		case err != nil:
			return nil, fmt.Errorf("fd %d of process %d: %w", fd, pid, err)
		default:
			out[fd] = target
		}
	}
	return out, nil
}

// parseStat parses /proc/<pid>/stat. The command name (field 2) is in
// parentheses and may itself contain spaces and parentheses ("(a) b)"), so
// it runs from the first "(" to the LAST ")"; the numbered fields follow.
func parseStat(s string) (Proc, error) {
	open := strings.IndexByte(s, '(')
	closing := strings.LastIndexByte(s, ')')
	if open < 1 || closing < open {
		return Proc{}, fmt.Errorf("stat %q: no command name", trunc(s, 60))
	}
	pid, err := strconv.Atoi(strings.TrimSpace(s[:open]))
	if err != nil {
		return Proc{}, fmt.Errorf("stat %q: bad pid", trunc(s, 60))
	}
	// rest[0] is field 3 (state); field n is rest[n-3].
	rest := strings.Fields(s[closing+1:])
	if len(rest) < 20 {
		return Proc{}, fmt.Errorf("stat %q: %d fields after the name, want ≥ 20", trunc(s, 60), len(rest))
	}
	num := func(field int) (int, error) { return strconv.Atoi(rest[field-3]) }
	p := Proc{PID: pid, Comm: s[open+1 : closing], Start: rest[22-3], Exited: rest[0] == "Z" || rest[0] == "X"}
	for _, f := range []struct {
		n   int
		dst *int
	}{{4, &p.PPID}, {5, &p.PGID}, {8, &p.TPGID}} {
		v, err := num(f.n)
		if err != nil {
			return Proc{}, fmt.Errorf("stat %q: field %d: %w", trunc(s, 60), f.n, err)
		}
		*f.dst = v
	}
	return p, nil
}

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
