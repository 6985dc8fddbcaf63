package attach

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	panes "github.com/ccwake/ccwake/resume/pane"
)

// View is the dashboard's engine while it is attached: the service's last
// update as a snapshot, and every key sent to the service as a command.
// Only a jump runs here: it types nothing, and the pane is the one the
// service matched.
type View struct {
	c     *remote.Client
	focus resume.Focuser // nil: jumps say why they cannot
	now   func() time.Time

	mu    sync.Mutex
	notes []resume.Action // commands not sent, and what the attach itself did
}

// NewView shows c (a client of the local socket). focus brings panes to the
// front for o.
func NewView(c *remote.Client, focus resume.Focuser, now func() time.Time) *View {
	if now == nil {
		now = time.Now
	}
	return &View{c: c, focus: focus, now: now}
}

// Client is the connection the view shows.
func (v *View) Client() *remote.Client { return v.c }

// Note adds a line to the view's event log.
func (v *View) Note(what, reason string) {
	v.mu.Lock()
	v.notes = append(v.notes, resume.Action{Time: v.now(), What: what, Reason: reason})
	if len(v.notes) > 50 {
		v.notes = slices.Clone(v.notes[len(v.notes)-25:])
	}
	v.mu.Unlock()
}

// Snapshot is the service's last update as the resumer's snapshot.
func (v *View) Snapshot() resume.Snapshot {
	snap := resume.Snapshot{Taken: v.now()}
	u, ok := v.c.Update()
	if ok {
		snap.Roots = u.Roots
		snap.Transcripts = u.Transcripts
		snap.Auto = u.Auto
		snap.DryRun = u.DryRun
		snap.LockHeldBy = u.LockHeldBy
		snap.ResumedDay = u.ResumedDay
		for _, ws := range u.Sessions {
			snap.Sessions = append(snap.Sessions, ws.Status())
		}
		snap.Log = slices.Clone(u.Log)
	}
	snap.Log = append(snap.Log, v.c.Events()...)
	v.mu.Lock()
	snap.Log = append(snap.Log, v.notes...)
	v.mu.Unlock()
	slices.SortStableFunc(snap.Log, func(a, b resume.Action) int { return a.Time.Compare(b.Time) })
	slices.SortStableFunc(snap.Sessions, resume.CompareStatus)
	return snap
}

// Changes signals a new update or connection state.
func (v *View) Changes() <-chan struct{} { return v.c.Changes() }

// send sends one command; when it cannot go, the log says so.
func (v *View) send(cmd, id string) {
	if err := v.c.Send(remote.Command{Cmd: cmd, Session: id}); err != nil {
		v.Note("not_sent", err.Error())
	}
}

// Retry asks the service to resume the session now.
func (v *View) Retry(id string) { v.send("retry", id) }

// Pause asks the service to pause or unpause the session.
func (v *View) Pause(id string, on bool) {
	if on {
		v.send("pause", id)
		return
	}
	v.send("resume", id)
}

// Dismiss asks the service to hide the session until it stalls again.
func (v *View) Dismiss(id string) { v.send("dismiss", id) }

// Reopen asks the service to reopen the session.
func (v *View) Reopen(id string) { v.send("reopen", id) }

// SetAuto turns the service's auto-resume on or off.
func (v *View) SetAuto(on bool) {
	if on {
		v.send(remote.CmdAutoOn, "")
		return
	}
	v.send(remote.CmdAutoOff, "")
}

// Jump brings the pane the service matched to the session to the front.
func (v *View) Jump(ctx context.Context, id string) error {
	u, _ := v.c.Update()
	for _, s := range u.Sessions {
		if s.SessionID != id && s.Transcript != id {
			continue
		}
		pane := s.Status().Pane
		switch {
		case pane == "":
			return fmt.Errorf("%w: no pane is known for this session", panes.ErrCannotFocus)
		case v.focus == nil:
			return fmt.Errorf("%w: this dashboard cannot reach the pane", panes.ErrCannotFocus)
		}
		return v.focus.Focus(ctx, pane)
	}
	return errors.New("no such session")
}
