// Command ccwake keeps Claude Code sessions working through rate limits.
//
// The pipeline runs one way:
//
//	fsnotify ─▶ watch (tail new bytes) ─▶ classify (line → Entry, error kind)
//	         ─▶ watch.Tracker (session stalled?) ─▶ resume.Engine (when? guards?)
//	         ─▶ pane.Actor (send-keys) ─▶ ui / slog (show)
//	                                          ─▶ notify (tell a human)
//
// watch never imports resume or ui; resume never imports ui or notify.
//
// Usage:
//
//	ccwake [flags]              dashboard; resumes sessions underneath
//	ccwake --auto [flags]       headless: one log line per action
//	ccwake status [--json] [--all] [flags]
//	ccwake doctor | version | completion SHELL | man | help [COMMAND]
//
// commands.go holds the table of commands; flags.go the flags, by section.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
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

	c := &cli{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	return c.exitCode(c.execute(ctx, args))
}

// exitCode reports err on stderr and maps it to the exit status: 0 fine,
// 1 failed, 2 a usage or settings mistake (one line, then where to read more).
func (c *cli) exitCode(err error) int {
	var ue *usageError
	var es status.ExitStatus
	switch {
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, errHelp):
		return 0
	case errors.As(err, &es):
		return int(es) // `ccwake status` for scripts: nothing to print
	case errors.As(err, &ue):
		help := "ccwake --help"
		if ue.cmd != "" {
			help = "ccwake " + ue.cmd + " --help"
		}
		fmt.Fprintf(c.stderr, "ccwake: %s\nsee '%s'\n", ue.msg, help)
		return 2
	case errors.Is(err, errUsage):
		return 2 // a bare errUsage: the caller printed the mistake
	case errors.Is(err, errReported):
		return 1
	default:
		fmt.Fprintf(c.stderr, "ccwake: %v\n", err)
		return 1
	}
}
