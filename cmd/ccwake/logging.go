package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
)

// newLogger builds the one logger every package gets handed. In --auto mode
// it writes to w (stderr) unless --log-file is set; the dashboard passes
// io.Discard for w so that a log line is never printed over the UI.
func newLogger(format, file string, w io.Writer) (*slog.Logger, func() error, error) {
	closer := func() error { return nil }
	if file != "" {
		f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("log file: %w", err)
		}
		w, closer = f, f.Close
	}
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), closer, nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), closer, nil
	default:
		closer()
		return nil, nil, fmt.Errorf("--log-format %q: want text or json: %w", format, errUsage)
	}
}
