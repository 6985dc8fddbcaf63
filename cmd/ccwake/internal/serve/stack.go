package serve

import (
	"context"
	"errors"

	"github.com/ccwake/ccwake/attach"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/logfile"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

// Stack is one running engine with its watcher, notifier and local socket.
type Stack struct {
	Eng      *resume.Engine
	Hub      *remote.Hub
	server   *remote.Server
	cancel   context.CancelFunc
	engErr   chan error
	watchErr chan error
	served   chan struct{} // closed when the socket is closed
	stopNote func()
}

// Start runs an engine on the roots; locked are those this process holds
// the lock of (it serves them on the local socket), heldBy who holds the
// others.
func Start(ctx context.Context, o Options, locked []string, heldBy string) (*Stack, error) {
	log := o.Log
	w, err := watch.New(watch.Config{Roots: o.Roots, Since: o.Since, Loc: o.Loc, Now: o.Now, Logger: log, Watch: o.Watch})
	if err != nil {
		return nil, err
	}
	backends := o.Backends
	if err := o.BackendsErr; err != nil {
		log.Warn("no pane can be found: "+err.Error(), "backends", o.BackendsFlag)
		backends = []string{"tmux"} // every Locate then says why
	}
	actor := pane.New(pane.Config{Socket: o.TmuxSocket, TmuxEnv: o.Getenv("TMUX"), Logger: log, Backends: backends,
		KittyListenOn: o.Getenv("KITTY_LISTEN_ON")})
	cfg := o.Engine
	cfg.Auto = true
	cfg.DryRun = o.DryRun
	cfg.Roots = o.Roots
	cfg.LockedRoots = locked
	cfg.LockHeldBy = heldBy
	cfg.StatePath, cfg.StateLegacy = o.Record, o.Legacy
	if cfg.Reopen, err = o.ReopenConfig(actor.Tmux(), log); err != nil {
		return nil, err
	}
	eng := resume.New(cfg, actor, resume.RealClock{}, log)
	ids, err := attach.RootIDs(locked)
	if err != nil {
		return nil, err
	}

	ctx, cancel := context.WithCancel(ctx)
	st := &Stack{Eng: eng, Hub: remote.NewHub(eng.Changes()), server: o.Wire.Server(eng, ids, false), cancel: cancel,
		engErr: make(chan error, 1), watchErr: make(chan error, 1), served: make(chan struct{})}
	go st.Hub.Run()
	go func() { st.watchErr <- w.Run(ctx) }()
	go func() { // a new or gone sessions/<pid>.json: look again for sessions no pane ran
		if err := procs.WatchSessionDirs(ctx, o.Roots, procs.SessionDirSettle, eng.PanesChanged, log); err != nil {
			log.Warn("sessions directories not watched; sessions without a pane are looked for every few minutes", "err", err)
		}
	}()
	st.stopNote = startNotifier(ctx, eng, o.Sinks, log) // reads eng.Snapshot on its own timer
	events := logfile.WithNotices(ctx, w.Events(), o.LogFailed, o.Now)
	go func() { st.engErr <- eng.Run(ctx, events) }()
	serveSocket(ctx, o, st, ids)
	watchedBy, _ := w.Backend()
	log.Info("ccwake started", "roots", o.Roots, "watch", string(watchedBy), "auto", true, "dry_run", o.DryRun, "tmux", actor.Tmux().Socket(), "backends", backends, "records", o.RecordBase,
		"reopen", o.Reopen, "claude_bin", cfg.Reopen.ClaudeBin)
	return st, nil
}

// serveSocket serves the engine on the local socket of every locked root
// (none: nothing to serve, another ccwake decides).
func serveSocket(ctx context.Context, o Options, st *Stack, ids []string) {
	if len(ids) == 0 {
		close(st.served)
		return
	}
	ln, err := attach.Listen(o.SocketDirs, ids, o.Log)
	if ln == nil {
		o.Log.Warn("no local socket: a dashboard or status started now cannot attach and watches on its own", "err", err)
		close(st.served)
		return
	}
	if err != nil {
		o.Log.Info("local socket: some directories not used", "err", err)
	}
	o.Log.Info("serving the dashboard and status on the local socket", "sockets", ln.Paths())
	go func() {
		defer close(st.served)
		ln.Serve(ctx, o.Wire.Server(st.Eng, ids, true), st.Hub.Subscribe)
	}()
}

// Wait blocks until the engine stops on its own (its events ended) or its
// context ends.
func (st *Stack) Wait() error {
	err := <-st.engErr
	st.engErr <- err // stop reads it again
	return err
}

// Stop ends the engine and everything around it and returns why the
// watcher failed, if it did.
func (st *Stack) Stop() error {
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
