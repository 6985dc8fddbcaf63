package main

import (
	"os/exec"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/backends"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/paths"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/logfile"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/serve"
	"github.com/ccwake/ccwake/watch"

	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/ccwake/ccwake/resume/mux/tmux"
	"github.com/ccwake/ccwake/resume/pane"

	"github.com/ccwake/ccwake/attach"
	"github.com/ccwake/ccwake/notify"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
)

// runner is one `ccwake` / `ccwake --auto` / `serve --stdio` process: what
// it needs to start an engine, now or (a dashboard attached to a service)
// when it takes the lock over.
type runner struct {
	c        *cli
	o        *options
	roots    []string
	stateDir string
	dirs     []string // the local socket's directories (attach.Dirs)
	log      *slog.Logger
	logFile  *logfile.Sink
	sinks    []notify.Sink

	mu      sync.Mutex
	release func() // drops the locks held
}

func (r *runner) setRelease(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.release = f
}

// releaseLock drops every lock this process holds.
func (r *runner) releaseLock() {
	r.mu.Lock()
	f := r.release
	r.release = func() {}
	r.mu.Unlock()
	if f != nil {
		f()
	}
}

// socketDirs are where the local socket is looked for and served: the
// runtime directories, the default state directory and --state-dir.
func socketDirs(o *options, getenv func(string) string, stateDir string) []string {
	def, _ := paths.StateDir("", nil, getenv)
	return attach.Dirs(getenv, def, stateDir)
}

// errNotAttached means no service could be attached to: run as before.
var errNotAttached = errors.New("not attached")

// dashboardAttached runs the dashboard on the engine of the ccwake that
// holds the lock (errNotAttached when none answers on the local socket).
// When that ccwake stops, this one takes the lock within a poll or two and
// goes on with an engine of its own.
func (r *runner) dashboardAttached(ctx context.Context, bell chan struct{}) error {
	ids, err := attach.RootIDs(r.roots)
	if err != nil {
		return err
	}
	cn, err := attach.Open(ctx, r.dirs, ids, 2*time.Second)
	if err != nil {
		r.log.Warn("another ccwake holds the lock, but this dashboard cannot attach to it", "err", err)
		return errNotAttached
	}
	pid := cn.Hello.PID
	cn.Close()
	r.releaseLock() // the roots locked here (if some were free) are the service's to decide
	r.log.Info("attached to the ccwake that holds the lock", "pid", pid)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := remote.New(remote.Config{Host: "service", Dial: attach.Dialer(r.dirs, ids[0]), Logger: r.log,
		Handshake: 5 * time.Second, Backoff: resume.Backoff{Base: 100 * time.Millisecond, Cap: time.Second}})
	focus := pane.New(pane.Config{Socket: r.o.tmuxSocket, TmuxEnv: os.Getenv("TMUX"), Logger: r.log})
	view := attach.NewView(client, focus, time.Now)
	view.Note("attached", fmt.Sprintf("attached to the ccwake that holds the lock (pid %d): it decides and types; r, p, x, a act through it", pid))
	sw := attach.NewSwitch(view)
	clientCtx, stopClient := context.WithCancel(ctx)
	defer stopClient()
	go client.Run(clientCtx)
	go sw.Run(ctx)

	var mu sync.Mutex
	var own *serve.Stack
	tk := &attach.Takeover{View: view, Sw: sw,
		Lock: func() (bool, string, error) {
			locked, heldBy, release, err := resume.LockRoots(r.roots)
			switch {
			case err != nil:
				return false, "", err
			case heldBy != "" || len(locked) < len(r.roots):
				release()
				return false, heldBy, nil
			}
			r.setRelease(release)
			return true, "", nil
		},
		Start: func(ctx context.Context) (remote.Local, error) {
			st, err := serve.Start(ctx, r.serveOptions(), r.roots, "")
			if err != nil {
				r.releaseLock()
				return nil, err
			}
			r.log.Info("the service stopped: this dashboard took the lock and resumes")
			mu.Lock()
			own = st
			mu.Unlock()
			return st.Hub.View(st.Eng), nil
		}}
	tkDone := make(chan struct{})
	go func() { defer close(tkDone); tk.Run(ctx, stopClient) }()

	err = runDashboard(ctx, withHosts(ctx, r.o, sw, r.log), r.log, bell, r.o.notify.channels())
	cancel()
	<-tkDone // a takeover under way has finished starting (and sees ctx end)
	mu.Lock()
	st := own
	mu.Unlock()
	if st != nil {
		if serr := st.Stop(); serr != nil && err == nil {
			err = serr
		}
	}
	if lerr := r.logFile.Err(); lerr != nil {
		fmt.Fprintf(r.c.stderr, "ccwake: %v\n", lerr)
	}
	if err == nil || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// serveOptions are the engine stack's options from the command line.
func (r *runner) serveOptions() serve.Options {
	o := r.o
	names, backendsErr := backends.Names(o.backends, exec.LookPath)
	base, baseErr := paths.RecordBase()
	return serve.Options{
		Roots: r.roots, Since: o.since, Watch: watch.Backend(o.watch), Loc: time.Local, Now: time.Now, Getenv: os.Getenv,
		Backends: names, BackendsErr: backendsErr, BackendsFlag: o.backends, TmuxSocket: o.tmuxSocket,
		Engine: o.engineConfig(), DryRun: o.dryRun, Reopen: o.reopen,
		RecordBase: base, Record: paths.RecordPaths(base, baseErr, r.roots), Legacy: paths.LegacyRecords(r.stateDir),
		ReopenConfig: func(t *tmux.Tmux, log *slog.Logger) (resume.ReopenConfig, error) { return o.reopenConfig(r.c, t, log) },
		Log:          r.log, LogFailed: r.logFile.Failed(), Sinks: r.sinks, SocketDirs: r.dirs, Wire: wire(),
	}
}
