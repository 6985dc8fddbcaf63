package main

import (
	"github.com/ccwake/ccwake/cmd/ccwake/internal/backends"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/logfile"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/paths"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/serve"

	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"

	"github.com/ccwake/ccwake/resume"
)

// runMain is `ccwake [flags]` with args parsed as on the command line.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := &cli{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	return c.exec(ctx, findCommand(""), args)
}

// runMainCmd is `ccwake` (dashboard) and `ccwake --auto` (headless). Both
// run the same engine; they differ only in how they show it.
func runMainCmd(ctx context.Context, c *cli, o *options, _ []string) error {
	stderr := c.stderr
	if err := o.checkHosts(""); err != nil {
		return err
	}
	roots, err := paths.Roots(o.roots, c.getenv)
	if err != nil {
		return err
	}
	stateDir, err := paths.StateDir(o.stateDir, roots, c.getenv)
	if err != nil {
		return err
	}
	names, backendsErr := backends.Names(o.backends, exec.LookPath)
	if backendsErr != nil {
		names = []string{"tmux"} // every Locate then says why
	}
	if err := backends.NeedTmux(o.reopen, names, exec.LookPath); err != nil {
		if backendsErr != nil {
			return fmt.Errorf("%w; %w", backendsErr, err)
		}
		return err
	}
	logOut := stderr
	if !o.auto || o.stdio {
		logOut = io.Discard // never print over the dashboard, nor into ssh
	}
	log, logFile, err := logfile.NewLogger(o.logFormat, logfile.Path(o.logFile, c.getenv), logOut)
	if errors.Is(err, logfile.ErrFormat) {
		return fmt.Errorf("%w: %w", err, errUsage)
	}
	if err != nil {
		return err
	}
	defer logFile.Close()
	if o.auto {
		logFile.TellOn(stderr) // a full log disk is said at once, and once
	}
	var bell chan struct{}
	if !o.auto {
		bell = make(chan struct{}, 1)
	}
	sinks, err := o.notify.sinks(log, bell)
	if err != nil {
		return err
	}

	r := &runner{c: c, o: o, roots: roots, stateDir: stateDir, log: log, logFile: logFile, sinks: sinks}
	r.dirs = socketDirs(o, c.getenv, stateDir)
	locked, heldBy, release, err := resume.LockRoots(roots)
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	r.setRelease(release)
	defer r.releaseLock()
	daemonGC(c.getenv)
	if heldBy != "" && !o.auto {
		// The dashboard: show what the holder decides, never a plan of its own.
		err := r.dashboardAttached(ctx, bell)
		if !errors.Is(err, errNotAttached) {
			return err
		}
	}
	if heldBy != "" {
		log.Warn("another ccwake holds the lock: watching only, never typing", "held_by", heldBy)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := serve.Start(ctx, r.serveOptions(), locked, heldBy)
	if err != nil {
		return err
	}
	switch {
	case o.stdio:
		err = serve.Stdio(ctx, st, os.Stdin, c.stdout)
	case o.auto:
		err = st.Wait()
	default:
		err = runDashboard(ctx, withHosts(ctx, o, st.Hub.View(st.Eng), log), log, bell, o.notify.channels())
	}
	cancel()
	if serr := st.Stop(); serr != nil && err == nil {
		err = serr
	}
	if !o.auto {
		if lerr := logFile.Err(); lerr != nil {
			fmt.Fprintf(stderr, "ccwake: %v\n", lerr) // the dashboard showed it; the terminal is ours again
		}
	}
	if err == nil || errors.Is(err, context.Canceled) {
		log.Info("ccwake stopped")
		return nil
	}
	return err
}

// engineConfig maps the flags onto the engine's configuration.
func (o *options) engineConfig() resume.Config {
	cfg := resume.DefaultConfig()
	cfg.Message = o.message
	cfg.MaxAttempts = o.maxAttempts
	cfg.ResetMargin = o.resetMargin
	cfg.Throttle = resume.Backoff{Base: o.throttle.base, Cap: o.throttle.cap}
	cfg.RateLimit = resume.Backoff{Base: o.rateLimit.base, Cap: o.rateLimit.cap}
	cfg.Overloaded = resume.Backoff{Base: o.overloaded.base, Cap: o.overloaded.cap}
	cfg.ServerError = resume.Backoff{Base: o.serverError.base, Cap: o.serverError.cap}
	cfg.Seed = o.seed
	cfg.Stagger = o.stagger
	cfg.CapProbe = o.capProbe
	return cfg
}

// daemonGC collects garbage when the heap grows by half (GOGC=50) rather
// than doubles, unless GOGC or GOMEMLIMIT says otherwise: a daemon that
// runs for weeks allocates little once started, and what it holds for
// 10,000 sessions (about 20 MiB) should not double in resident size
// between collections.
func daemonGC(getenv func(string) string) {
	if getenv("GOGC") == "" && getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(50)
	}
}
