package procs

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
)

// Real fsnotify on a temp Claude root: a sessions file that appears, is
// rewritten or goes wakes the engine; a root without sessions/ is watched
// for it and never given one.
func TestWatchSessionDirs(t *testing.T) {
	withDir, without := t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(withDir, "sessions"), 0o755); err != nil {
		t.Fatal(err)
	}
	calls := make(chan struct{}, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- WatchSessionDirs(ctx, []string{withDir, without}, 20*time.Millisecond, func() { calls <- struct{}{} },
			slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	wantCall := func(what string, do func()) {
		t.Helper()
		// The watch may not be armed yet: repeat the change until it is seen.
		deadline := testwait.After(t)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		do()
		for {
			select {
			case <-calls:
				return
			case <-tick.C:
				do()
			case <-deadline:
				t.Fatalf("no call after %s", what)
			}
		}
	}
	file := filepath.Join(withDir, "sessions", "123.json")
	wantCall("a sessions file appeared", func() { must(t, os.WriteFile(file, []byte(`{"pid":123}`), 0o644)) })
	wantCall("a sessions file went", func() {
		must(t, os.WriteFile(file+".x", nil, 0o644))
		_ = os.Remove(file + ".x")
	})
	if _, err := os.Stat(filepath.Join(without, "sessions")); !os.IsNotExist(err) {
		t.Fatalf("the watcher created %s/sessions: %v", without, err)
	}
	wantCall("sessions/ appeared with a file", func() {
		must(t, os.MkdirAll(filepath.Join(without, "sessions"), 0o755))
		must(t, os.WriteFile(filepath.Join(without, "sessions", "9.json"), []byte(`{}`), 0o644))
		_ = os.Remove(filepath.Join(without, "sessions", "9.json"))
	})
	// Nothing else happens: no call while nothing changes.
	for len(calls) > 0 {
		<-calls
	}
	select {
	case <-calls:
		t.Fatal("a call while nothing changed")
	case <-time.After(100 * time.Millisecond):
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
