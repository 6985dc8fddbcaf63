package main

import (
	"context"
	"errors"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/backends"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/paths"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/doctor"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/logfile"
	"github.com/ccwake/ccwake/watch"
)

// runDoctor maps the command line onto doctor.Run; a failed check is exit
// status 1, its lines already printed.
func runDoctor(ctx context.Context, c *cli, o *options, _ []string) error {
	config := paths.ExpandHome(o.config, c.getenv)
	if config == "" {
		config = defaultConfigPath(c.getenv)
	}
	roots, rootsErr := paths.Roots(o.roots, c.getenv)
	stateDir, _ := paths.StateDir(o.stateDir, roots, c.getenv)
	base, baseErr := paths.RecordBase()
	err := doctor.Run(ctx, doctor.Options{
		Stdout: c.stdout, Getenv: c.getenv, Now: time.Now,
		Version: versionLine(), Config: config,
		Roots: roots, RootsErr: rootsErr, Since: o.since, Watch: watch.Backend(o.watch),
		Backends: o.backends, KnownBackends: backends.Known, TmuxSocket: o.tmuxSocket, ProbeTimeout: o.probeTimeout,
		Record: paths.RecordPaths(base, baseErr, roots), Legacy: paths.LegacyRecords(stateDir),
		LogFile: logfile.Path(o.logFile, c.getenv),
	})
	if errors.Is(err, doctor.ErrProblems) {
		return errReported
	}
	return err
}
