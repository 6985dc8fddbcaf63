package status

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
)

// runFollow is `ccwake status --json --follow` on its own (no service
// holds the roots): it sends one update (the fields of `status --json`
// plus host and version) whenever the stalled sessions or their plans
// change, until ctx ends. It is a status, not a resumer: the engine it runs
// holds no lock, has auto-resume off and is a dry run, and nothing sends it
// commands, so it never types. The plans are what `status` prints: when a
// running ccwake would resume.
//
// The rows are the watcher's table (every session with --all), and the
// first update waits for its cold start: a one-shot reader (`status
// --host`, through `serve --stdio --status`) takes the first update as the
// answer, so it must be the whole tree, not the part scanned so far. The
// engine, which sees the same events, says when to look again.
func runFollow(ctx context.Context, o *Options, send func(remote.Update) error) error {
	if o.RootsErr != nil {
		return o.RootsErr
	}
	roots := o.Roots
	log := slog.New(slog.DiscardHandler) // stdout is the stream; a status keeps no log
	w, err := watch.New(watch.Config{Roots: roots, Since: o.Since, Loc: o.Loc, Now: o.Now, Logger: log, Watch: o.Watch})
	if err != nil {
		return err
	}
	cfg := o.Engine
	cfg.Auto, cfg.DryRun, cfg.Roots = false, true, roots // no LockedRoots: watching only
	eng := resume.New(cfg, pane.New(pane.Config{Socket: o.TmuxSocket, TmuxEnv: o.Getenv("TMUX"), Logger: log}), resume.RealClock{}, log)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watchErr := make(chan error, 1)
	go func() { watchErr <- w.Run(ctx) }()
	events, ready := untilReady(ctx, w.Events())
	engErr := make(chan error, 1)
	engDone := make(chan struct{})
	go func() { engErr <- eng.Run(ctx, events); close(engDone) }()

	select {
	case <-ready:
		remote.SendChanges(ctx, eng.Changes(), nil,
			func() remote.Update { return followUpdate(ctx, eng.Snapshot(), w.Sessions(), o, o.Now()) },
			followKey, send)
	case <-ctx.Done():
	case <-engDone: // the watcher stopped before its cold start was complete
	}
	cancel()
	err = errors.Join(<-engErr, <-watchErr)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	return nil
}

// untilReady passes the watcher's events on and closes ready once the cold
// start is complete (watch.Ready went by): from then on the watcher's table
// holds every transcript of the tree.
func untilReady(ctx context.Context, in <-chan watch.Event) (<-chan watch.Event, <-chan struct{}) {
	out := make(chan watch.Event)
	ready := make(chan struct{})
	go func() {
		defer close(out)
		for ev := range in {
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
			if ev.Kind == watch.Ready {
				close(ready)
			}
		}
	}()
	return out, ready
}

// followUpdate is what `status --json` (with --all, `status --json --all`)
// would print now, as one line: the stalled sessions of the table, or
// every one with --all; the snapshot gives the rest of the line.
func followUpdate(ctx context.Context, snap resume.Snapshot, sessions []watch.Session, o *Options, now time.Time) remote.Update {
	var rows []statusRow
	for _, s := range sessions {
		if o.All || s.State == watch.Stalled {
			rows = append(rows, statusRow{Session: s})
		}
	}
	sortRows(rows)
	annotate(ctx, rows, o, now, true)
	slices.SortStableFunc(rows, func(a, b statusRow) int { return resume.CompareStatus(a.status(), b.status()) })
	sts := make([]resume.Status, len(rows))
	for i, r := range rows {
		sts[i] = r.status()
	}
	u := o.Wire(snap, sts, now)
	u.Auto = false // this process resumes nothing
	return u
}

// followKey is the line without what changes by the clock alone: its time,
// and a resume time already due (annotate says "now" for it, every time).
func followKey(u remote.Update) []byte {
	u.Sessions = slices.Clone(u.Sessions)
	now, _ := time.Parse(time.RFC3339Nano, u.Time)
	for i, s := range u.Sessions {
		if at := s.Status().ResumeAt; !at.IsZero() && !at.After(now) {
			u.Sessions[i].ResumeAt = remote.Str("due")
		}
	}
	return remote.UpdateKey(u)
}
