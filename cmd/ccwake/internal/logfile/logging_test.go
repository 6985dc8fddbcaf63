package logfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// A --log-file on a full disk (/dev/full: every write fails with ENOSPC)
// drops log lines; that is said once, not per line and not never: on the
// writer given to TellOn (stderr in --auto mode) and as one Warning event,
// which the real engine records in the log the dashboard shows.
func TestLogFileFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	log, sink, err := NewLogger("text", "/dev/full", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	var told bytes.Buffer
	sink.TellOn(&told)

	// The engine runs on the watcher's events plus the sink's notices.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := make(chan watch.Event)
	eng := resume.New(resume.DefaultConfig(), nil, resume.RealClock{}, log)
	engDone := make(chan error, 1)
	go func() { engDone <- eng.Run(ctx, WithNotices(ctx, in, sink.Failed(), time.Now)) }()

	for i := range 5 {
		log.Info("a line the disk has no room for", "i", i)
	}
	if n := strings.Count(told.String(), "\n"); n != 1 || !strings.Contains(told.String(), "/dev/full") ||
		!strings.Contains(told.String(), "no space left on device") || !strings.Contains(told.String(), "dropped") {
		t.Errorf("told %d lines, want one naming the file, ENOSPC and the dropping:\n%s", n, told.String())
	}
	if err := sink.Err(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Err() = %v, want ENOSPC", err)
	}

	// A watcher event still gets through, after the notice.
	in <- watch.Event{Kind: watch.Warning, Err: errors.New("from the watcher")}
	var warnings []string
	testkit.WaitFor(t, "two warnings", func() bool {
		warnings = warnings[:0]
		for _, a := range eng.Snapshot().Log {
			if a.What == "warning" {
				warnings = append(warnings, a.Reason)
			}
		}
		return len(warnings) >= 2
	}, func() string { return fmt.Sprintf("warnings: %q", warnings) })
	full := 0
	for _, w := range warnings {
		if strings.Contains(w, "/dev/full") && strings.Contains(w, "no space left on device") {
			full++
		}
	}
	if full != 1 || len(warnings) != 2 {
		t.Errorf("engine log warnings %q: want one about the log file and the watcher's", warnings)
	}

	// The stream closes when the watcher's does.
	close(in)
	select {
	case err := <-engDone:
		if err != nil {
			t.Errorf("engine: %v", err)
		}
	case <-testwait.After(t):
		t.Fatal("engine still running after the watcher's events closed")
	}
}
