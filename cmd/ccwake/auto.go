package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// runMain is `ccwake` (dashboard) and `ccwake --auto` (headless). Both run
// the same engine; they differ only in how they show it.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	roots, err := o.parseArgs("ccwake",
		"usage: ccwake [--auto] [--dry-run] [--claude-dir DIR]... [flags]\n       ccwake status [--json] [--all] [flags]",
		args, stderr, func(fs *flag.FlagSet) {
			fs.BoolVar(&o.auto, "auto", false, "run headless: resume stalled sessions and log one line per action")
			fs.BoolVar(&o.dryRun, "dry-run", false, "decide and log, but never type")
			fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
			fs.StringVar(&o.logFile, "log-file", "", "write logs to this file (the dashboard logs nowhere else)")
		})
	if err != nil {
		return err
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		return errors.New("tmux not found in $PATH: ccwake resumes sessions by typing into tmux panes (install tmux, or use `ccwake status`)")
	}
	logOut := stderr
	if !o.auto {
		logOut = io.Discard // never print over the dashboard
	}
	log, logFile, err := newLogger(o.logFormat, o.logFile, logOut)
	if err != nil {
		return err
	}
	defer logFile.Close()
	if o.auto {
		logFile.tellOn(stderr) // a full log disk is said at once, and once
	}

	locked, heldBy, release, err := resume.LockRoots(roots)
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer release()
	if heldBy != "" {
		log.Warn("another ccwake holds the lock: watching only, never typing", "held_by", heldBy)
	}

	w, err := watch.New(watch.Config{Roots: roots, Since: o.since, Loc: time.Local, Now: time.Now, Logger: log})
	if err != nil {
		return err
	}
	actor := resume.NewTmuxActor(resume.TmuxConfig{Socket: o.tmuxSocket, TmuxEnv: os.Getenv("TMUX"), Logger: log})
	cfg := o.engineConfig()
	cfg.Auto = true
	cfg.DryRun = o.dryRun
	cfg.Roots = roots
	cfg.LockedRoots = locked
	cfg.LockHeldBy = heldBy
	eng := resume.New(cfg, actor, resume.RealClock{}, log)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watchErr := make(chan error, 1)
	go func() { watchErr <- w.Run(ctx) }()
	events := withNotices(ctx, w.Events(), logFile.Failed(), time.Now)

	log.Info("ccwake started", "roots", roots, "auto", true, "dry_run", o.dryRun, "tmux", actor.Tmux().Socket())
	if o.auto {
		err = eng.Run(ctx, events)
	} else {
		engErr := make(chan error, 1)
		go func() { engErr <- eng.Run(ctx, events) }()
		err = runDashboard(ctx, eng, log)
		cancel()
		<-engErr
		if lerr := logFile.Err(); lerr != nil {
			fmt.Fprintf(stderr, "ccwake: %v\n", lerr) // the dashboard showed it; the terminal is ours again
		}
	}
	cancel()
	if werr := <-watchErr; werr != nil && !errors.Is(werr, context.Canceled) && err == nil {
		err = werr
	}
	if errors.Is(err, context.Canceled) {
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
	return cfg
}
