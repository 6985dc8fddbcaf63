package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
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

// serveStdio speaks the protocol on stdin and stdout for the engine of st
// (started as --auto starts it): a hello, then an update line whenever the
// shown sessions change, and an answer to each command read from stdin. It
// ends when stdin closes (the ssh connection went) or ctx does.
func serveStdio(ctx context.Context, c *cli, st *stack) error {
	ch, unsub := st.hub.Subscribe()
	defer unsub()
	if err := st.server.Serve(ctx, os.Stdin, c.stdout, ch); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// newServer is the protocol server of eng. full is the local socket's: every
// action the engine keeps, so an attached dashboard shows the history it
// would show itself; else (ssh) the newest 5 per session and 50 in the log.
func newServer(eng *resume.Engine, ids []string, full bool) *remote.Server {
	hist, logN := 5, 50
	if full {
		hist, logN = math.MaxInt, math.MaxInt
	}
	return &remote.Server{
		Src:   eng,
		Hello: remote.Hello{Version: versionWord(), Host: hostName(), Proto: remote.Proto, PID: os.Getpid(), RootIDs: ids},
		Build: func(snap resume.Snapshot, now time.Time) remote.Update { return serveUpdateN(snap, now, hist, logN) },
		Key:   remote.UpdateKey,
	}
}

// serveUpdate is the snapshot's shown sessions: stalled ones, and any the
// resumer holds in a phase of its own (paused, resumed a moment ago, …).
func serveUpdate(snap resume.Snapshot, now time.Time) remote.Update {
	return serveUpdateN(snap, now, 5, 50)
}

// serveUpdateN is serveUpdate with the newest hist actions per session and
// logN in the log.
func serveUpdateN(snap resume.Snapshot, now time.Time, hist, logN int) remote.Update {
	var sts []resume.Status
	for _, st := range snap.Sessions {
		switch {
		case st.Session.State == watch.Stalled:
		case st.Phase == resume.Idle || st.Phase == resume.Watching || st.Phase == "":
			continue
		case st.Phase == resume.Resumed && now.Sub(st.LastActivity()) > time.Hour:
			continue
		}
		sts = append(sts, st)
	}
	u := wireUpdateN(snap, sts, now, hist)
	u.Log = snap.Log[max(0, len(snap.Log)-logN):]
	return u
}
