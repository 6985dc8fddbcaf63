package main

import (
	"github.com/ccwake/ccwake/cmd/ccwake/internal/logfile"

	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/procs"

	"github.com/ccwake/ccwake/attach"
	"github.com/ccwake/ccwake/notify"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
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
	def, _ := resolveStateDir("", nil, getenv)
	return attach.Dirs(getenv, def, stateDir)
}

// stack is one running engine with its watcher, notifier and local socket.
type stack struct {
	eng      *resume.Engine
	hub      *remote.Hub
	server   *remote.Server
	cancel   context.CancelFunc
	engErr   chan error
	watchErr chan error
	served   chan struct{} // closed when the socket is closed
	stopNote func()
}

// start runs an engine on the roots; locked are those this process holds
// the lock of (it serves them on the local socket), heldBy who holds the
// others.
func (r *runner) start(ctx context.Context, locked []string, heldBy string) (*stack, error) {
	o, log := r.o, r.log
	w, err := watch.New(watch.Config{Roots: r.roots, Since: o.since, Loc: time.Local, Now: time.Now, Logger: log, Watch: watch.Backend(o.watch)})
	if err != nil {
		return nil, err
	}
	backends, err := backendNames(o.backends, exec.LookPath)
	if err != nil {
		log.Warn("no pane can be found: "+err.Error(), "backends", o.backends)
		backends = []string{"tmux"} // every Locate then says why
	}
	actor := pane.New(pane.Config{Socket: o.tmuxSocket, TmuxEnv: os.Getenv("TMUX"), Logger: log, Backends: backends,
		KittyListenOn: os.Getenv("KITTY_LISTEN_ON")})
	cfg := o.engineConfig()
	cfg.Auto = true
	cfg.DryRun = o.dryRun
	cfg.Roots = r.roots
	cfg.LockedRoots = locked
	cfg.LockHeldBy = heldBy
	base, baseErr := recordBase()
	cfg.StatePath, cfg.StateLegacy = recordPaths(base, baseErr, r.roots), legacyRecords(r.stateDir)
	if cfg.Reopen, err = o.reopenConfig(r.c, actor.Tmux(), log); err != nil {
		return nil, err
	}
	eng := resume.New(cfg, actor, resume.RealClock{}, log)
	ids, err := attach.RootIDs(locked)
	if err != nil {
		return nil, err
	}

	ctx, cancel := context.WithCancel(ctx)
	st := &stack{eng: eng, hub: remote.NewHub(eng.Changes()), server: newServer(eng, ids, false), cancel: cancel,
		engErr: make(chan error, 1), watchErr: make(chan error, 1), served: make(chan struct{})}
	go st.hub.Run()
	go func() { st.watchErr <- w.Run(ctx) }()
	go func() { // a new or gone sessions/<pid>.json: look again for sessions no pane ran
		if err := procs.WatchSessionDirs(ctx, r.roots, procs.SessionDirSettle, eng.PanesChanged, log); err != nil {
			log.Warn("sessions directories not watched; sessions without a pane are looked for every few minutes", "err", err)
		}
	}()
	st.stopNote = startNotifier(ctx, eng, r.sinks, log) // reads eng.Snapshot on its own timer
	events := logfile.WithNotices(ctx, w.Events(), r.logFile.Failed(), time.Now)
	go func() { st.engErr <- eng.Run(ctx, events) }()
	r.serveSocket(ctx, st, ids)
	watchedBy, _ := w.Backend()
	log.Info("ccwake started", "roots", r.roots, "watch", string(watchedBy), "auto", true, "dry_run", o.dryRun, "tmux", actor.Tmux().Socket(), "backends", backends, "records", base,
		"reopen", o.reopen, "claude_bin", cfg.Reopen.ClaudeBin)
	return st, nil
}

// serveSocket serves the engine on the local socket of every locked root
// (none: nothing to serve, another ccwake decides).
func (r *runner) serveSocket(ctx context.Context, st *stack, ids []string) {
	if len(ids) == 0 {
		close(st.served)
		return
	}
	ln, err := attach.Listen(r.dirs, ids, r.log)
	if ln == nil {
		r.log.Warn("no local socket: a dashboard or status started now cannot attach and watches on its own", "err", err)
		close(st.served)
		return
	}
	if err != nil {
		r.log.Info("local socket: some directories not used", "err", err)
	}
	r.log.Info("serving the dashboard and status on the local socket", "sockets", ln.Paths())
	go func() {
		defer close(st.served)
		ln.Serve(ctx, newServer(st.eng, ids, true), st.hub.Subscribe)
	}()
}

// wait blocks until the engine stops on its own (its events ended) or its
// context ends.
func (st *stack) wait() error {
	err := <-st.engErr
	st.engErr <- err // stop reads it again
	return err
}

// stop ends the engine and everything around it and returns why the
// watcher failed, if it did.
func (st *stack) stop() error {
	st.cancel()
	err := <-st.engErr
	st.stopNote()
	<-st.served
	werr := <-st.watchErr
	if werr != nil && !errors.Is(werr, context.Canceled) {
		return werr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
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
	var own *stack
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
			st, err := r.start(ctx, r.roots, "")
			if err != nil {
				r.releaseLock()
				return nil, err
			}
			r.log.Info("the service stopped: this dashboard took the lock and resumes")
			mu.Lock()
			own = st
			mu.Unlock()
			return st.hub.View(st.eng), nil
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
		if serr := st.stop(); serr != nil && err == nil {
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
