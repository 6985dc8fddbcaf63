package status

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

// annotate fills in, for each stalled session, when the resumer would act
// (the latest moment its policy allows: a running ccwake draws its own
// jitter; usage caps are planned without it and staggered by the same
// resume.StaggerPlans the engine uses; a moment already past shows as now)
// and which pane it would type into, or why there is none (only when panes
// is set: `status --line` skips the lookup).
func annotate(ctx context.Context, rows []statusRow, o *Options, now time.Time, panes bool) {
	cfg := o.Engine
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
	var actor *pane.Actor
	noPane := ""
	if panes {
		actor, noPane = statusActor(ctx, o)
	}
	wave := pane.WithWave(ctx, 1) // one pane listing serves every row
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
		t, err := actor.Locate(wave, r.Session)
		if err != nil {
			r.PaneErr = err.Error()
			continue
		}
		r.Pane = t.Pane
	}
	if panes {
		annotateReopen(ctx, rows, o, plans)
	}
}

// annotateReopen fills in, for each stalled session that waiting can cure,
// the command reopening it would run and the live processes that hold it
// (a located pane's Claude; else the process table is asked).
func annotateReopen(ctx context.Context, rows []statusRow, o *Options, plans []resume.Plan) {
	bin := o.ClaudeBin
	if o.ClaudeErr != nil {
		return
	}
	holders := procs.HolderFinder{Procs: procs.NewHost(mux.ExecRunner{})}
	home := o.Getenv("HOME")
	for i := range rows {
		r := &rows[i]
		if r.State != watch.Stalled || plans[i].Decision.Phase == resume.Fatal || r.ID == "" || r.Cwd == "" {
			continue
		}
		if err := resume.CheckReopen(r.Session); err != nil {
			r.ReopenErr = "not reopenable, it needs you: " + err.Error()
			if r.Pane == "" {
				r.PaneErr = strings.TrimPrefix(r.PaneErr+"; ", "; ") + r.ReopenErr
			}
			continue
		}
		spec, _ := resume.ReopenSpec(r.Session, bin, home) // CheckReopen passed
		r.Reopen = spec.String()
		hs, err := holders.Holders(ctx, r.Session)
		if err != nil {
			r.HeldBy = []int{-1} // unknown counts as held
			continue
		}
		for _, h := range hs {
			r.HeldBy = append(r.HeldBy, h.PID)
		}
	}
}

// statusActor returns an actor when a server of some backend answers, else
// the one-line reason why no pane can be found for any session.
func statusActor(ctx context.Context, o *Options) (*pane.Actor, string) {
	backends := o.Backends
	if o.BackendsErr != nil {
		return nil, o.BackendsErr.Error()
	}
	actor := pane.New(pane.Config{Socket: o.TmuxSocket, TmuxEnv: o.Getenv("TMUX"), Backends: backends,
		KittyListenOn: o.Getenv("KITTY_LISTEN_ON")})
	if _, err := actor.Panes(ctx); err != nil {
		if errors.Is(err, mux.ErrNoServer) {
			var none []string
			for _, b := range backends {
				switch b {
				case "tmux":
					where := "tmux's default socket"
					if s := actor.Tmux().Socket(); s != "" {
						where = s
					}
					none = append(none, "no tmux server running on "+where)
				case "screen":
					none = append(none, "no screen session")
				case "kitty":
					none = append(none, "no kitty with remote control ($KITTY_LISTEN_ON)")
				}
			}
			return nil, strings.Join(none, ", ")
		}
		return nil, fmt.Sprintf("%s: %v", strings.Join(backends, ", "), err)
	}
	return actor, ""
}

// Plan is what status says the resumer would do about each session, in
// order, without looking for panes: the rows of `ccwake status --all`
// before sorting, so a test can hold status and the engine to one answer.
func Plan(ctx context.Context, o Options, sessions []watch.Session, now time.Time) []resume.Status {
	rows := make([]statusRow, len(sessions))
	for i, s := range sessions {
		rows[i].Session = s
	}
	annotate(ctx, rows, &o, now, false)
	out := make([]resume.Status, len(rows))
	for i, r := range rows {
		out[i] = r.status()
	}
	return out
}
