package main

import (
	"context"
	"slices"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/service"
)

// serviceCommand is `ccwake service install|uninstall|print`: ccwake --auto
// as a systemd user service (Linux) or a launchd agent (macOS), for the
// binary that runs the command, wherever it was installed.
func serviceCommand() *command {
	return &command{
		name:    "service",
		summary: "install or uninstall ccwake --auto as a systemd user service or launchd agent",
		synopsis: []string{"service install     write the unit/agent for this ccwake and start it",
			"service uninstall   stop it and remove the unit/agent",
			"service print       print the unit/agent install would write"},
		args: []string{"ACTION"},
		run:  runService,
	}
}

// runService maps the command line onto service.Run.
func runService(ctx context.Context, c *cli, _ *options, args []string) error {
	if !slices.Contains(service.Actions, args[0]) {
		return usagef("service", "unknown action %q: want install, uninstall or print", args[0])
	}
	return service.Run(ctx, service.Options{Action: args[0], Stdout: c.stdout, Getenv: c.getenv, Version: versionLine()})
}
