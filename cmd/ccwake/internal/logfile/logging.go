package logfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/ccwake/ccwake/watch"
)

// ErrFormat is a --log-format that is neither text nor json: a usage
// mistake, which the command line reports as one (exit 2).
var ErrFormat = errors.New("usage: unknown log format")

// NewLogger builds the one logger every package gets handed. It writes to w
// (stderr in --auto mode; io.Discard for the dashboard, so that a log line
// is never printed over the UI) and, unless file is "", appends to that
// rotated file, so what ccwake typed overnight is kept. The returned sink is
// the log file (nil without one); close it when done.
func NewLogger(format, file string, w io.Writer) (*slog.Logger, *Sink, error) {
	var sink *Sink
	if file != "" {
		f, err := openRotating(file, MaxSize, Keep)
		if err != nil {
			return nil, nil, err
		}
		sink = &Sink{f: f, path: file, failed: make(chan error, 1)}
		if w == nil || w == io.Discard {
			w = sink
		} else {
			w = io.MultiWriter(w, sink)
		}
	}
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), sink, nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), sink, nil
	default:
		sink.Close()
		return nil, nil, fmt.Errorf("--log-format %q: want text or json: %w", format, ErrFormat)
	}
}

// Sink is the --log-file. A write that fails (a full disk: ENOSPC) drops
// that log line; the first failure is told once, never per line: on tell
// (stderr in --auto mode; nil in the dashboard, which must not be printed
// over) and on Failed, which the dashboard's event log receives.
type Sink struct {
	f    io.WriteCloser
	path string

	mu    sync.Mutex
	tell  io.Writer // where the first failure is printed at once; nil: not
	first error     // the first failed write, nil while none
	// failed receives the first failure (capacity 1, one send).
	failed chan error
}

func (s *Sink) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	if err != nil {
		s.mu.Lock()
		if s.first == nil {
			s.first = fmt.Errorf("log file %s: %w: log lines are being dropped", s.path, err)
			if s.tell != nil {
				fmt.Fprintf(s.tell, "ccwake: %v\n", s.first)
			}
			s.failed <- s.first
		}
		s.mu.Unlock()
	}
	return n, err
}

// TellOn makes the first failure print on w as it happens.
func (s *Sink) TellOn(w io.Writer) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tell = w
}

// Err is the first failed write (nil while none, or without a log file).
func (s *Sink) Err() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first
}

// Failed receives the first failure; nil (never ready) without a log file.
func (s *Sink) Failed() <-chan error {
	if s == nil {
		return nil
	}
	return s.failed
}

// Close closes the file; a nil sink is fine.
func (s *Sink) Close() error {
	if s == nil {
		return nil
	}
	return s.f.Close()
}

// WithNotices forwards the watcher's events and adds one Warning event for
// each error that arrives on notes (a failing log file), so that the engine
// records it and the dashboard shows it like any watcher warning. The
// result closes when events closes; once ctx ends events still drain, so
// the watcher never blocks on a reader that is gone.
func WithNotices(ctx context.Context, events <-chan watch.Event, notes <-chan error, now func() time.Time) <-chan watch.Event {
	out := make(chan watch.Event)
	go func() {
		defer close(out)
		for {
			var ev watch.Event
			select {
			case e, ok := <-events:
				if !ok {
					return
				}
				ev = e
			case err := <-notes:
				notes = nil // one notice per source is enough
				ev = watch.Event{Kind: watch.Warning, Err: err, Time: now()}
			}
			select {
			case out <- ev:
			case <-ctx.Done():
			}
		}
	}()
	return out
}
