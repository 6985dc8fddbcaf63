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

// runFollow is `ccwake status --json --follow`: one JSON line (the fields of
// `status --json` plus host and version) whenever the stalled sessions or
// their plans change, until stdin closes or a signal stops it. It is a
// status, not a resumer: the engine it runs holds no lock, has auto-resume
// off and is a dry run, and nothing sends it commands, so it never types.
// The plans are what `status` prints: when a running ccwake would resume.
func runFollow(ctx context.Context, o *Options) error {
	if !o.JSON {
		return usagef("--follow needs --json: it prints one JSON object per line")
	}
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
	engErr := make(chan error, 1)
	go func() { engErr <- eng.Run(ctx, w.Events()) }()

	out := &remote.LineOut{W: o.Stdout}
	remote.SendChanges(ctx, eng.Changes(), nil,
		func() remote.Update { return followUpdate(ctx, eng.Snapshot(), o, o.Now()) },
		followKey, func(u remote.Update) error { return out.Write(u) })
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

// followUpdate is what `status --json` would print now, as one line.
func followUpdate(ctx context.Context, snap resume.Snapshot, o *Options, now time.Time) remote.Update {
	var rows []statusRow
	for _, st := range snap.Sessions {
		if st.Session.State == watch.Stalled {
			rows = append(rows, statusRow{Session: st.Session})
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
