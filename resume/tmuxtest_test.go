package resume

import (
	"context"
	"fmt"
	"slices"
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
