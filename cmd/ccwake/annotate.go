package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// annotate fills in, for each stalled session, when the resumer would act
// (the latest moment its policy allows: a running ccwake draws its own
// jitter) and which pane it would type into, or why there is none.
func annotate(ctx context.Context, rows []statusRow, o *options) {
	policy := o.engineConfig().Policy
	now := time.Now()
	var actor resume.Actor
	tmuxErr := ""
	if _, err := exec.LookPath("tmux"); err != nil {
		tmuxErr = "tmux not found in $PATH"
	} else {
		actor = resume.NewTmuxActor(resume.TmuxConfig{Socket: o.tmuxSocket, TmuxEnv: os.Getenv("TMUX")})
	}
	for i := range rows {
		r := &rows[i]
		if r.State != watch.Stalled {
			continue
		}
		d := policy.Latest(r.Session, now)
		switch d.Phase {
		case resume.Waiting:
			r.ResumeAt = d.At
		case resume.Fatal, resume.GaveUp:
			r.PaneErr = fmt.Sprintf("not resumed: %s", d.Why)
			continue
		}
		if actor == nil {
			r.PaneErr = tmuxErr
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
