package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
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
	roots, err := resolveRoots(o.roots, c.getenv)
	if err != nil {
		return err
	}
	stateDir, err := resolveStateDir(o.stateDir, roots, c.getenv)
	if err != nil {
		return err
	}
	backends, backendsErr := backendNames(o.backends, exec.LookPath)
	if backendsErr != nil {
		backends = []string{"tmux"} // every Locate then says why
	}
	if err := needTmux(o.reopen, backends, exec.LookPath); err != nil {
		if backendsErr != nil {
			return fmt.Errorf("%w; %w", backendsErr, err)
		}
		return err
	}
	logOut := stderr
	if !o.auto || o.stdio {
		logOut = io.Discard // never print over the dashboard, nor into ssh
	}
	log, logFile, err := newLogger(o.logFormat, logFilePath(o.logFile, c.getenv), logOut)
	if err != nil {
		return err
	}
	defer logFile.Close()
	if o.auto {
		logFile.tellOn(stderr) // a full log disk is said at once, and once
	}
	var bell chan struct{}
	if !o.auto {
		bell = make(chan struct{}, 1)
	}
	sinks, err := o.notify.sinks(log, bell)
	if err != nil {
		return err
	}

	locked, heldBy, release, err := resume.LockRoots(roots)
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer release()
	if heldBy != "" {
		log.Warn("another ccwake holds the lock: watching only, never typing", "held_by", heldBy)
	}

	daemonGC(c.getenv)
	w, err := watch.New(watch.Config{Roots: roots, Since: o.since, Loc: time.Local, Now: time.Now, Logger: log, Watch: watch.Backend(o.watch)})
	if err != nil {
		return err
	}
	if backendsErr != nil {
		log.Warn("no pane can be found: "+backendsErr.Error(), "backends", o.backends)
	}
	actor := pane.New(pane.Config{Socket: o.tmuxSocket, TmuxEnv: os.Getenv("TMUX"), Logger: log, Backends: backends,
		KittyListenOn: os.Getenv("KITTY_LISTEN_ON")})
	cfg := o.engineConfig()
	cfg.Auto = true
	cfg.DryRun = o.dryRun
	cfg.Roots = roots
	cfg.LockedRoots = locked
	cfg.LockHeldBy = heldBy
	base, baseErr := recordBase()
	cfg.StatePath, cfg.StateLegacy = recordPaths(base, baseErr, roots), legacyRecords(stateDir)
	if cfg.Reopen, err = o.reopenConfig(c, actor.Tmux(), log); err != nil {
		return err
	}
	eng := resume.New(cfg, actor, resume.RealClock{}, log)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watchErr := make(chan error, 1)
	go func() { watchErr <- w.Run(ctx) }()
	go func() { // a new or gone sessions/<pid>.json: look again for sessions no pane ran
		if err := procs.WatchSessionDirs(ctx, roots, procs.SessionDirSettle, eng.PanesChanged, log); err != nil {
			log.Warn("sessions directories not watched; sessions without a pane are looked for every few minutes", "err", err)
		}
	}()
	defer startNotifier(ctx, eng, sinks, log)() // reads eng.Snapshot on its own timer
	events := withNotices(ctx, w.Events(), logFile.Failed(), time.Now)

	watchedBy, _ := w.Backend()
	log.Info("ccwake started", "roots", roots, "watch", string(watchedBy), "auto", true, "dry_run", o.dryRun, "tmux", actor.Tmux().Socket(), "backends", backends, "records", base,
		"reopen", o.reopen, "claude_bin", cfg.Reopen.ClaudeBin)
	if o.stdio {
		err = serveStdio(ctx, c, eng, events)
	} else if o.auto {
		err = eng.Run(ctx, events)
	} else {
		engErr := make(chan error, 1)
		go func() { engErr <- eng.Run(ctx, events) }()
		local := withResumedToday(eng, newResumedCounter(logFilePath(o.logFile, c.getenv), time.Local), time.Now)
		err = runDashboard(ctx, withHosts(ctx, o, local, log), log, bell, o.notify.channels())
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
