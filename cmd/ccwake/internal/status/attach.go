package status

import (
	"context"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/ccwake/ccwake/attach"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// attachWait bounds the wait for a running service's hello and first
// update; a service that answers slower is treated as absent (a status
// then scans, as with no service).
const attachWait = 3 * time.Second

// openService connects to the ccwake that holds the lock of the roots, if
// one runs and serves them all; nil when none does.
func openService(ctx context.Context, o *Options) *attach.Conn {
	if o.RootsErr != nil {
		return nil
	}
	roots := o.Roots
	ids, err := attach.RootIDs(roots)
	if err != nil {
		return nil
	}
	cn, err := attach.Open(ctx, o.SocketDirs, ids, attachWait)
	if err != nil {
		return nil
	}
	return cn
}

// serviceRows are the stalled sessions of a service's update as status
// rows: its phases, resume times, panes and reasons, without the ones the
// user dismissed (x): they are hidden in every view until a new error.
func serviceRows(u remote.Update) []statusRow {
	var rows []statusRow
	for _, ws := range u.Sessions {
		st := ws.Status()
		if st.Session.State != watch.Stalled || st.Phase == resume.Dismissed {
			continue
		}
		rows = append(rows, statusRow{Session: st.Session, Phase: st.Phase, ResumeAt: st.ResumeAt, Pane: st.Pane, PaneErr: st.PaneErr})
	}
	slices.SortStableFunc(rows, func(a, b statusRow) int { return resume.CompareStatus(a.status(), b.status()) })
	return rows
}

// statusFromService answers `status` from a running service's memory: no
// scan of the tree, no pane lookup (it has done both). ok is false when no
// service answers; the caller scans then.
func statusFromService(ctx context.Context, o *Options) (rows []statusRow, ok bool) {
	cn := openService(ctx, o)
	if cn == nil {
		return nil, false
	}
	defer cn.Close()
	u, err := cn.Update(ctx, attachWait)
	if err != nil {
		return nil, false
	}
	return serviceRows(u), true
}

// followService is `status --json --follow` attached to a service: its
// updates, as `status --json` rows, one per change. It returns
// attach.ErrGone when the service stops (the caller follows on its own).
func followService(ctx context.Context, o *Options, cn *attach.Conn, send func(remote.Update) error) error {
	var last []byte
	for {
		u, err := cn.Update(ctx, 0)
		if err != nil {
			return err
		}
		rows := serviceRows(u)
		sts := make([]resume.Status, len(rows))
		for i, r := range rows {
			sts[i] = r.status()
		}
		fu := o.Wire(resume.Snapshot{Roots: u.Roots, Auto: u.Auto, DryRun: u.DryRun, LockHeldBy: u.LockHeldBy,
			Transcripts: u.Transcripts, ResumedDay: u.ResumedDay}, sts, o.Now())
		if k := followKey(fu); !slices.Equal(k, last) {
			if err := send(fu); err != nil {
				return err
			}
			last = k
		}
	}
}

// follow sends what `status --json` would print, once now and again at each
// change, until ctx ends: from the service's memory while one holds the
// roots (not with --all: only a scan knows every transcript), then from a
// watch-only engine of its own. `status --json --follow` and `serve --stdio
// --status` both stream it.
func follow(ctx context.Context, o *Options, send func(remote.Update) error) error {
	if !o.All {
		if cn := openService(ctx, o); cn != nil {
			err := followService(ctx, o, cn, send)
			cn.Close()
			if !errors.Is(err, attach.ErrGone) {
				if errors.Is(err, context.Canceled) {
					return nil
				}
				return err
			}
		}
	}
	return runFollow(ctx, o, send)
}

// followAttached is `status --json --follow`: follow, one bare update per
// line, until stdin closes (the reader is gone).
func followAttached(ctx context.Context, o *Options) error {
	if !o.JSON {
		return usagef("--follow needs --json: it prints one JSON object per line")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, o.Stdin)
		cancel()
	}()
	out := &remote.LineOut{W: o.Stdout}
	return follow(ctx, o, func(u remote.Update) error { return out.Write(u) })
}

// Serve is `ccwake serve --stdio --status`: the protocol of `serve
// --stdio` (hello, then update lines) read-only, for `status --host` on
// another machine. The updates are follow's: a running service's answer,
// else a watch-only engine's (no lock, auto-resume off, a dry run). Every
// command on stdin is refused. It ends when stdin closes.
func Serve(ctx context.Context, opts Options, hello remote.Hello) error {
	o := &opts
	return remote.ServeReadOnly(ctx, hello, o.Stdin, o.Stdout, func(ctx context.Context, send func(remote.Update) error) error {
		return follow(ctx, o, send)
	})
}
