package main

import (
	"context"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/logfile"
)

// runLog is `ccwake log`: see logfile.Show.
func runLog(_ context.Context, c *cli, o *options, _ []string) error {
	return logfile.Show(logfile.ShowOptions{
		Path:  logfile.Path(o.logFile, c.getenv),
		Lines: o.lines,
		Out:   c.stdout,
		Now:   time.Now(),
	})
}
