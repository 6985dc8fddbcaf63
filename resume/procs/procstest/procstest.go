// Package procstest is an in-memory procs.Table for unit tests of the code
// that reads process tables (pane finding, guards, reopen): the one fake
// process table of ccwake's tests. Only _test files import it.
package procstest

import (
	"context"
	"fmt"
	"slices"

	"github.com/ccwake/ccwake/resume/procs"
)

// Table is an in-memory procs.Table. Tests fill its maps directly.
type Table struct {
	Procs   map[int]procs.Proc
	CwdOf   map[int]string   // missing or "": permission denied
	CwdErr  map[int]error    // set: Cwd fails with this error
	ArgvOf  map[int][]string // missing: none
	ExeOf   map[int]string   // missing: /usr/bin/<comm>
	EnvOf   map[int][]string // missing: DefaultEnv (nil: procs.ErrEnvUnknown)
	StdioOf map[int][]string // missing: the terminal on 0-2; nil: unreadable
	// DefaultEnv is every process's environment unless EnvOf says otherwise.
	DefaultEnv []string
}

// New returns an empty Table.
func New() *Table {
	return &Table{Procs: map[int]procs.Proc{}, CwdOf: map[int]string{}, ArgvOf: map[int][]string{},
		ExeOf: map[int]string{}, EnvOf: map[int][]string{}, StdioOf: map[int][]string{}}
}

// Add registers a process in cwd; its pgid defaults to its pid and its
// tpgid to -1.
func (f *Table) Add(p procs.Proc, cwd string) *Table {
	if p.PGID == 0 {
		p.PGID = p.PID
	}
	if p.TPGID == 0 {
		p.TPGID = -1
	}
	f.Procs[p.PID] = p
	f.CwdOf[p.PID] = cwd
	return f
}

// List implements procs.Table, in pid order.
func (f *Table) List(context.Context) ([]procs.Proc, error) {
	var out []procs.Proc
	for _, p := range f.Procs {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b procs.Proc) int { return a.PID - b.PID })
	return out, nil
}

// Get implements procs.Table.
func (f *Table) Get(_ context.Context, pid int) (procs.Proc, error) {
	p, ok := f.Procs[pid]
	if !ok {
		return procs.Proc{}, fmt.Errorf("process %d: no such process", pid)
	}
	return p, nil
}

// Cwd implements procs.Table.
func (f *Table) Cwd(_ context.Context, pid int) (string, error) {
	if err := f.CwdErr[pid]; err != nil {
		return "", err
	}
	if c, ok := f.CwdOf[pid]; ok && c != "" {
		return c, nil
	}
	return "", fmt.Errorf("cwd of %d: permission denied", pid)
}

// Cmdline implements procs.Table.
func (f *Table) Cmdline(_ context.Context, pid int) ([]string, error) {
	return f.ArgvOf[pid], nil
}

// Exe implements procs.Table.
func (f *Table) Exe(_ context.Context, pid int) (string, error) {
	if e, ok := f.ExeOf[pid]; ok {
		return e, nil
	}
	return "/usr/bin/" + f.Procs[pid].Comm, nil
}

// Environ implements procs.Table.
func (f *Table) Environ(_ context.Context, pid int) ([]string, error) {
	if e, ok := f.EnvOf[pid]; ok {
		return e, nil
	}
	if f.DefaultEnv == nil {
		return nil, procs.ErrEnvUnknown
	}
	return f.DefaultEnv, nil
}

// Stdio implements procs.Table.
func (f *Table) Stdio(_ context.Context, pid int) ([]string, error) {
	if s, ok := f.StdioOf[pid]; ok {
		if s == nil {
			return nil, fmt.Errorf("fd 0 of process %d: permission denied", pid)
		}
		return s, nil
	}
	return []string{"/dev/pts/3", "/dev/pts/3", "/dev/pts/3"}, nil
}

var _ procs.Table = (*Table)(nil)
