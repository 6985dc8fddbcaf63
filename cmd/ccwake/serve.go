package main

import (
	"context"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
	"github.com/ccwake/ccwake/remote"
)

// serveCommand is `ccwake serve --stdio`: what a dashboard on another
// machine runs over ssh; with --status, what `status --host` runs.
func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "run as --auto does and talk JSON lines on stdin/stdout (what `ccwake --host` runs over ssh); --status: read-only (what `ccwake status --host` runs)",
		synopsis: []string{"serve --stdio [flags]",
			"serve --stdio --status [--all] [flags]"},
		flags: func(o *options, f *flagSet) {
			f.section("Watching", o.watchFlags)
			f.section("Resuming", func(f *flagSet) {
				f.BoolVar(&o.stdio, "stdio", false, "speak the protocol on stdin and stdout (required)")
				f.BoolVar(&o.serveStatus, "status", false, "read-only: the updates say what 'ccwake status --json' says (a running ccwake's view, else a watch of its own); holds no lock, never types, refuses every command (what 'ccwake status --host' runs; a ccwake from before this flag is too old for it)")
				f.BoolVar(&o.all, "all", false, "with --status: every session seen within --since, not only stalled ones (with --print-config: every setting)")
				f.BoolVar(&o.dryRun, "dry-run", false, "decide and log, but never type")
				f.StringVar(&o.stateDir, "state-dir", "", "where earlier versions kept the record of what was typed; still read (default $XDG_STATE_HOME/ccwake, else ~/.local/state/ccwake). The record itself is per root under the passwd home")
				o.resumeFlags(f)
			})
			f.section("Output", o.logFlags)
			f.section("Settings", o.metaFlags)
		},
		run: func(ctx context.Context, c *cli, o *options, _ []string) error {
			switch {
			case !o.stdio:
				return usagef("serve", "serve needs --stdio: it speaks JSON lines on stdin and stdout")
			case o.serveStatus:
				// A status: no lock, no engine that may type, no log.
				hello := remote.Hello{Version: versionWord(), Host: hostName(), Proto: remote.Proto}
				return status.Serve(ctx, statusOptions(c, o), hello)
			}
			o.auto = true // the same engine, lock and guards as --auto
			return runMainCmd(ctx, c, o, nil)
		},
	}
}
