package main

import (
	"context"
)

// serveCommand is `ccwake serve --stdio`: what a dashboard on another
// machine runs over ssh.
func serveCommand() *command {
	return &command{
		name:     "serve",
		summary:  "run as --auto does and talk JSON lines on stdin/stdout (what `ccwake --host` runs over ssh)",
		synopsis: []string{"serve --stdio [flags]"},
		flags: func(o *options, f *flagSet) {
			f.section("Watching", o.watchFlags)
			f.section("Resuming", func(f *flagSet) {
				f.BoolVar(&o.stdio, "stdio", false, "speak the protocol on stdin and stdout (required)")
				f.BoolVar(&o.dryRun, "dry-run", false, "decide and log, but never type")
				f.StringVar(&o.stateDir, "state-dir", "", "where earlier versions kept the record of what was typed; still read (default $XDG_STATE_HOME/ccwake, else ~/.local/state/ccwake). The record itself is per root under the passwd home")
				o.resumeFlags(f)
			})
			f.section("Output", o.logFlags)
			f.section("Settings", o.metaFlags)
		},
		run: func(ctx context.Context, c *cli, o *options, _ []string) error {
			if !o.stdio {
				return usagef("serve", "serve needs --stdio: it speaks JSON lines on stdin and stdout")
			}
			o.auto = true // the same engine, lock and guards as --auto
			return runMainCmd(ctx, c, o, nil)
		},
	}
}
