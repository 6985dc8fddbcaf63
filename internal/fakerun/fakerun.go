// Package fakerun is an ordered, scripted mux.Runner for unit tests of the
// code that builds tmux, screen and ps command lines: each call must be the
// next one expected. Only _test files import it.
package fakerun

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// Runner is an ordered mux.Runner for unit tests: each Run must match the
// next expected argv exactly, an unexpected call fails the test, and calls
// still expected at the end of the test fail it too.
type Runner struct {
	t     testing.TB
	mu    sync.Mutex
	calls []call
	next  int
}

type call struct {
	argv []string
	out  string
	err  error
}

// New returns a Runner that fails t on any call it was not told to expect.
func New(t testing.TB) *Runner {
	f := &Runner{t: t}
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
func (f *Runner) Expect(out string, err error, argv ...string) *Runner {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{argv: argv, out: out, err: err})
	return f
}

// Run implements mux.Runner.
func (f *Runner) Run(_ context.Context, argv ...string) ([]byte, error) {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.next >= len(f.calls) {
		f.t.Errorf("unexpected call: %q", argv)
		return nil, fmt.Errorf("fakerun: unexpected call %q", argv)
	}
	c := f.calls[f.next]
	if !slices.Equal(c.argv, argv) {
		f.t.Errorf("call %d:\n got  %q\n want %q", f.next, argv, c.argv)
		return nil, fmt.Errorf("fakerun: wrong call %q", argv)
	}
	f.next++
	return []byte(c.out), c.err
}
