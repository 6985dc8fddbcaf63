package resume

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeRunner is an ordered Runner for unit tests: each Run must match the
// next expected argv exactly, an unexpected call fails the test, and calls
// still expected at the end of the test fail it too.
type fakeRunner struct {
	t     testing.TB
	mu    sync.Mutex
	calls []fakeCall
	next  int
}

type fakeCall struct {
	argv []string
	out  string
	err  error
}

func newFakeRunner(t testing.TB) *fakeRunner {
	f := &fakeRunner{t: t}
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, c := range f.calls[f.next:] {
			t.Errorf("expected call never made: %q", c.argv)
		}
	})
	return f
}

// Expect queues one call: argv must match exactly; out and err are returned.
func (f *fakeRunner) Expect(out string, err error, argv ...string) *fakeRunner {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fakeCall{argv: argv, out: out, err: err})
	return f
}

func (f *fakeRunner) Run(_ context.Context, argv ...string) ([]byte, error) {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.next >= len(f.calls) {
		f.t.Errorf("unexpected call: %q", argv)
		return nil, fmt.Errorf("fakeRunner: unexpected call %q", argv)
	}
	c := f.calls[f.next]
	if !slices.Equal(c.argv, argv) {
		f.t.Errorf("call %d:\n got  %q\n want %q", f.next, argv, c.argv)
		return nil, fmt.Errorf("fakeRunner: wrong call %q", argv)
	}
	f.next++
	return []byte(c.out), c.err
}

// fakeProcs is an in-memory ProcTable for unit tests.
type fakeProcs struct {
	procs map[int]Proc
	cwd   map[int]string
	argv  map[int][]string
	exe   map[int]string
}

func newFakeProcs() *fakeProcs {
	return &fakeProcs{procs: map[int]Proc{}, cwd: map[int]string{}, argv: map[int][]string{}, exe: map[int]string{}}
}

// add registers a process; pgid defaults to its pid and tpgid to -1.
func (f *fakeProcs) add(p Proc, cwd string) *fakeProcs {
	if p.PGID == 0 {
		p.PGID = p.PID
	}
	if p.TPGID == 0 {
		p.TPGID = -1
	}
	f.procs[p.PID] = p
	f.cwd[p.PID] = cwd
	return f
}

func (f *fakeProcs) List(context.Context) ([]Proc, error) {
	var out []Proc
	for _, p := range f.procs {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Proc) int { return a.PID - b.PID })
	return out, nil
}

func (f *fakeProcs) Get(_ context.Context, pid int) (Proc, error) {
	p, ok := f.procs[pid]
	if !ok {
		return Proc{}, fmt.Errorf("process %d: no such process", pid)
	}
	return p, nil
}

func (f *fakeProcs) Cwd(_ context.Context, pid int) (string, error) {
	if c, ok := f.cwd[pid]; ok && c != "" {
		return c, nil
	}
	return "", fmt.Errorf("cwd of %d: permission denied", pid)
}

func (f *fakeProcs) Cmdline(_ context.Context, pid int) ([]string, error) {
	return f.argv[pid], nil
}

func (f *fakeProcs) Exe(_ context.Context, pid int) (string, error) {
	if e, ok := f.exe[pid]; ok {
		return e, nil
	}
	return "/usr/bin/" + f.procs[pid].Comm, nil
}

// paneLine renders p the way list-panes/display-message print paneFormat.
func paneLine(p Pane) string {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	return strings.Join([]string{p.ID, strconv.Itoa(p.PID), p.Command, b(p.Dead), b(p.InMode), p.Mode,
		b(p.InputOff), p.TTY, p.Session, p.Window}, "\t") + "\n"
}
