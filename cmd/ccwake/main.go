// Command ccwake keeps Claude Code sessions working through rate limits.
//
// The pipeline runs one way:
//
//	fsnotify ─▶ watch (tail new bytes) ─▶ classify (line → Entry, error kind)
//	         ─▶ watch.Tracker (session stalled?) ─▶ resume.Engine (when? guards?)
//	         ─▶ resume.TmuxActor (send-keys) ─▶ ui / slog (show)
//
// watch never imports resume or ui; resume never imports ui.
//
// Usage:
//
//	ccwake [flags]              dashboard; resumes sessions underneath
//	ccwake --auto [flags]       headless: one log line per action
//	ccwake status [--json] [--all] [flags]
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run returns the process exit code; it is main without os.Exit so tests can
// call it.
func run(args []string) int {
	// SIGHUP (the terminal was closed) stops ccwake like SIGTERM: without
	// it the default action kills the process with no cleanup (exit 129).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	var err error
	if len(args) > 0 && args[0] == "status" {
		err = runStatus(ctx, args[1:], os.Stdout, os.Stderr)
	} else {
		err = runMain(ctx, args, os.Stdout, os.Stderr)
	}
	switch {
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(os.Stderr, "ccwake: %v\n", err)
		return 1
	}
}
