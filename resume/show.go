package resume

import (
	"context"

	"github.com/ccwake/ccwake/watch"
)

// showPane looks up, read only, the pane of a session held for a human
// (fatal, gave up, blocked, unconfirmed), so every view shows where it runs
// and the jump key can go there. Finding a pane to show is not a guard for
// typing: nothing is ever typed on this lookup; an attempt always locates
// and checks the pane itself. Once per error, through the Actor, so any
// backend's Locate (its sessions file, its process) names the pane.
func (e *Engine) showPane(t *track) {
	s := t.st.Session
	if t.st.Pane != "" || t.cur.shown || t.busy != nil || s.State != watch.Stalled {
		return
	}
	switch t.st.Phase {
	case Fatal, GaveUp, Blocked, Unconfirmed:
	default:
		return
	}
	t.cur.shown = true
	e.start(t, jobShow, func(ctx context.Context) jobResult {
		tg, err := e.actor.Locate(ctx, s)
		return jobResult{target: tg, err: err}
	})
}

// shownPane puts the pane showPane found on the status (or why there is
// none); the phase and schedule stay as they were.
func (e *Engine) shownPane(t *track, j *job, r jobResult) {
	if t.st.Session.LastUUID != j.forUUID || t.st.Pane != "" {
		return
	}
	if why := e.timedOut(j, r.err); why != "" {
		t.st.PaneErr = why
		return
	}
	if r.err != nil {
		t.st.PaneErr = r.err.Error()
		return
	}
	t.st.Pane, t.st.PaneErr = r.target.Pane, ""
}
