package attach

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"

	"github.com/ccwake/ccwake/remote"
)

// Listener is the sockets of the instance that holds the lock: one per
// locked root in each socket directory.
type Listener struct {
	lns   []*net.UnixListener
	paths []string
	uid   int // the only uid let in: this process's own
	log   *slog.Logger
}

// Listen makes each directory private and listens on the socket of every
// root id in it. Only the holder of the roots' lock calls it, so a socket
// file already there is a leftover of a holder that died: it is replaced.
// A directory that cannot be used is skipped and said in the error; the
// listener is nil only when no socket could be made at all.
func Listen(dirs, ids []string, log *slog.Logger) (*Listener, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Listener{uid: os.Getuid(), log: log}
	var errs []error
	for _, dir := range dirs {
		if err := privateDir(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, id := range ids {
			p := SocketPath(dir, id)
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, fmt.Errorf("socket %s: %w", p, err))
				continue
			}
			ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: p, Net: "unix"})
			if err != nil {
				errs = append(errs, fmt.Errorf("socket %s: %w", p, err))
				continue
			}
			if err := os.Chmod(p, 0o600); err != nil {
				_ = ln.Close()
				errs = append(errs, fmt.Errorf("socket %s: %w", p, err))
				continue
			}
			l.lns = append(l.lns, ln)
			l.paths = append(l.paths, p)
		}
	}
	if len(l.lns) == 0 {
		if len(errs) == 0 {
			errs = append(errs, errors.New("no socket directory: no $XDG_RUNTIME_DIR, no /run/user/<uid>, no state directory"))
		}
		return nil, errors.Join(errs...)
	}
	return l, errors.Join(errs...)
}

// Paths are the sockets listened on.
func (l *Listener) Paths() []string { return l.paths }

// Serve accepts connections until ctx ends, then closes every socket
// (removing its file). A peer of another uid gets one error line and is
// closed; every other connection runs srv until it ends. Serve returns
// when every connection ended.
func (l *Listener) Serve(ctx context.Context, srv *remote.Server, subscribe func() (<-chan struct{}, func())) {
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, ln := range l.lns {
		wg.Go(func() {
			for {
				c, err := ln.AcceptUnix()
				if err != nil {
					return // closed
				}
				wg.Go(func() { l.serveConn(ctx, c, srv, subscribe) })
			}
		})
	}
	<-ctx.Done()
	for _, ln := range l.lns {
		_ = ln.Close()
	}
	wg.Wait()
}

// serveConn checks the peer, then serves it.
func (l *Listener) serveConn(ctx context.Context, c *net.UnixConn, srv *remote.Server, subscribe func() (<-chan struct{}, func())) {
	defer c.Close()
	uid, err := peerUID(c)
	if err != nil || uid != l.uid {
		why := fmt.Sprintf("refused: this ccwake serves uid %d only", l.uid)
		if err != nil {
			why = "refused: " + err.Error()
		}
		l.log.Warn("local socket: connection refused", "peer_uid", uid, "err", err)
		_ = (&remote.LineOut{W: c}).Write(remote.Line{Error: why})
		return
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Close() }) // ends the read of commands
	defer stop()
	ch, unsub := subscribe()
	defer unsub()
	_ = srv.Serve(ctx, c, c, ch)
}
