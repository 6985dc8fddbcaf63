package main

import (
	"fmt"
	"io"
	"log/slog"
)

// newLogger builds the one logger every package gets handed. It writes to w
// (stderr in --auto mode; io.Discard for the dashboard, so that a log line
// is never printed over the UI) and, unless file is "", appends to that
// rotated file, so what ccwake typed overnight is kept.
func newLogger(format, file string, w io.Writer) (*slog.Logger, func() error, error) {
	closer := func() error { return nil }
	if file != "" {
		f, err := openRotating(file, logMaxSize, logKeep)
		if err != nil {
			return nil, nil, err
		}
		if w == io.Discard {
			w = f
		} else {
			w = io.MultiWriter(w, f)
		}
		closer = f.Close
	}
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), closer, nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), closer, nil
	default:
		closer()
		return nil, nil, fmt.Errorf("--log-format %q: want text or json", format)
	}
}
