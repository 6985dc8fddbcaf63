package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// annotate fills in, for each stalled session, when the resumer would act
// (the latest moment its policy allows: a running ccwake draws its own
// jitter; usage caps are planned without it and staggered by the same
// resume.StaggerPlans the engine uses; a moment already past shows as now)
// and which pane it would type into, or why there is none (only when panes
// is set: `status --line` skips the lookup).
func annotate(ctx context.Context, rows []statusRow, o *options, now time.Time, panes bool) {
	cfg := o.engineConfig()
	plans := make([]resume.Plan, len(rows))
	for i, r := range rows {
		plans[i].Session = r.Session
		if r.State != watch.Stalled {
			continue
		}
		d := cfg.Latest(r.Session, now)
		if d.Phase == resume.Waiting && d.At.Before(now) {
			d.At = now // due: the engine acts now, then staggers the rest from now
		}
		plans[i].Decision = d
	}
	staggered := slices.Clone(plans)
	resume.StaggerPlans(staggered, cfg.Stagger)
	outcomes := make([]resume.Outcome, len(rows))
	for i, r := range rows {
		// The engine's decision, for a running ccwake with auto-resume on
		// and the root locked that has typed nothing yet.
		outcomes[i] = resume.Decide(r.Session, resume.History{
			Plan: &plans[i].Decision, At: staggered[i].Decision.At, Stagger: cfg.Stagger,
		}, now, cfg.Policy)
	}
	var actor *resume.TmuxActor
	noPane := ""
	if panes {
		actor, noPane = statusActor(ctx, o)
	}
	for i := range rows {
		r := &rows[i]
		if r.State != watch.Stalled {
			continue
		}
		d := outcomes[i]
		r.Phase = d.Phase
		if !panes {
			if d.Phase == resume.Waiting {
				r.ResumeAt = d.At
			}
			continue
		}
		switch d.Phase {
		case resume.Waiting:
			r.ResumeAt = d.At
		case resume.Fatal, resume.GaveUp, resume.Watching:
			r.PaneErr = "not looked up: " + d.Why
			continue
		}
		if actor == nil {
			r.PaneErr = noPane
			continue
		}
		t, err := actor.Locate(ctx, r.Session)
		if err != nil {
			r.PaneErr = err.Error()
			continue
		}
		r.Pane = t.Pane
	}
}

// statusActor returns a tmux actor when a tmux server answers, else the
// one-line reason why no pane can be found for any session.
func statusActor(ctx context.Context, o *options) (*resume.TmuxActor, string) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return nil, "tmux not found in $PATH"
	}
	actor := resume.NewTmuxActor(resume.TmuxConfig{Socket: o.tmuxSocket, TmuxEnv: os.Getenv("TMUX")})
	if _, err := actor.Tmux().ListPanes(ctx); err != nil {
		if errors.Is(err, resume.ErrNoServer) {
			where := "tmux's default socket"
			if s := actor.Tmux().Socket(); s != "" {
				where = s
			}
			return nil, fmt.Sprintf("no tmux server running on %s", where)
		}
		return nil, fmt.Sprintf("tmux: %v", err)
	}
	return actor, ""
}
