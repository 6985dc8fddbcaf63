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
// updates, as `status --json` rows, one line per change. It returns
// attach.ErrGone when the service stops (the caller follows on its own).
func followService(ctx context.Context, o *Options, cn *attach.Conn) error {
	out := &remote.LineOut{W: o.Stdout}
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
			if err := out.Write(fu); err != nil {
				return err
			}
			last = k
		}
	}
}

// followAttached runs followService while a service runs, then follows on
// its own (a watch-only engine, as with no service).
// Either ends when stdin closes (the reader is gone).
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
	if cn := openService(ctx, o); cn != nil {
		err := followService(ctx, o, cn)
		cn.Close()
		if !errors.Is(err, attach.ErrGone) {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
	}
	return runFollow(ctx, o)
}
