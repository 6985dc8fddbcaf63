package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ccwake/ccwake/internal/testwait"
)

// runIn starts Run on a pipe for input and a buffer for output and returns
// its result channel.
func runIn(t *testing.T, ctx context.Context, e Engine) (chan error, *io.PipeWriter) {
	t.Helper()
	in, keys := io.Pipe()
	t.Cleanup(func() { keys.Close() })
	opts := testOpts()
	opts.Program = []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(&bytes.Buffer{}), tea.WithWindowSize(100, 30)}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, e, opts) }()
	return done, keys
}

func wait(t *testing.T, done chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-testwait.After(t):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestRunEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done, _ := runIn(t, ctx, newFake(t, busySnapshot()))
	cancel()
	if err := wait(t, done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
}

func TestRunQuitReturnsNil(t *testing.T) {
	done, keys := runIn(t, context.Background(), newFake(t, busySnapshot()))
	if _, err := keys.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := wait(t, done); err != nil {
		t.Fatalf("Run = %v, want nil after q", err)
	}
}
