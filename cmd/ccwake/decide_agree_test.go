package main

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Issue 9 item 5: `ccwake status` and a running engine (auto-resume on, the
// root locked, nothing typed yet) decide the same phase for the same
// sessions, with the same resume time where no jitter is drawn, and the
// engine never later than status's "at the latest" where it is.
func TestStatusAndEngineAgree(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	now := time.Now().UTC()
	stall := func(id string, kind classify.Kind, attempts int, mod ...func(*watch.Session)) watch.Session {
		s := watch.Session{ID: id, Root: root, Transcript: root + "/" + id + ".jsonl", State: watch.Stalled, Kind: kind,
			Attempts: attempts, LastUUID: id + "-e", ErrorAt: now.Add(-time.Second), StalledAt: now.Add(-time.Second)}
		for _, m := range mod {
			m(&s)
		}
		return s
	}
	reset := now.Add(time.Hour).Truncate(time.Second)
	sessions := []watch.Session{
		stall("throttle", classify.Throttle, 1),
		stall("rate", classify.RateLimit, 3),
		stall("capA", classify.UsageLimit, 1, func(s *watch.Session) { s.ResetsAt = reset }),
		stall("capB", classify.UsageLimit, 1, func(s *watch.Session) { s.ResetsAt = reset; s.StalledAt = now.Add(-time.Hour) }),
		stall("probe", classify.UsageLimit, 2),
		stall("stated", classify.RateLimit, 1, func(s *watch.Session) { s.ResetsAt = now.Add(10 * time.Minute) }),
		stall("fatal", classify.Fatal, 1),
		stall("gaveup", classify.ServerError, 9),
		stall("nouuid", classify.Throttle, 1, func(s *watch.Session) { s.LastUUID = "" }),
		{ID: "working", Root: root, State: watch.Working, LastUUID: "r"},
	}
	jittered := map[string]bool{"throttle": true, "rate": true}

	// ccwake status
	o, f := flagsOf(findCommand("status"))
	if err := f.Parse(nil); err != nil {
		t.Fatal(err)
	}
	bin, binErr := o.claudePath()
	rows := status.Plan(context.Background(), status.Options{Getenv: os.Getenv, Engine: o.engineConfig(), ClaudeBin: bin, ClaudeErr: binErr}, sessions, now)

	// the engine
	cfg := o.engineConfig()
	cfg.Auto, cfg.DryRun, cfg.Seed = true, true, 1
	cfg.Roots, cfg.LockedRoots = []string{root}, []string{root}
	cfg.ProbeDelay = 24 * time.Hour
	eng := resume.New(cfg, refuseActor{}, resume.RealClock{}, nil)
	events := make(chan watch.Event, len(sessions))
	for _, s := range sessions {
		events <- watch.Event{Kind: watch.SessionChanged, Session: s}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx, events) }()
	defer func() { cancel(); <-done }()
	// The Snapshot lists the stalled sessions; a working one is only
	// counted (Transcripts): its phase is Idle.
	got := map[string]resume.Status{}
	deadline := testwait.After(t)
	for snap := eng.Snapshot(); snap.Transcripts < len(sessions) || len(got) < len(sessions)-1; snap = eng.Snapshot() {
		select {
		case <-eng.Changes():
		case <-deadline:
			t.Fatalf("the engine tracks %d of %d sessions, lists %d", snap.Transcripts, len(sessions), len(got))
		}
		for _, st := range eng.Snapshot().Sessions {
			got[st.Session.ID] = st
		}
	}

	for _, r := range rows {
		st, ok := got[r.Session.ID]
		if !ok && r.Session.State != watch.Stalled {
			st.Phase = resume.Idle
		}
		want := r.Phase
		if r.Session.State != watch.Stalled {
			want = resume.Idle // status leaves a working row's phase empty
		}
		if st.Phase != want {
			t.Errorf("%s: engine %s, status %s (%s)", r.Session.ID, st.Phase, want, st.Reason)
			continue
		}
		if want != resume.Waiting {
			continue
		}
		switch late := r.ResumeAt.Add(time.Second); {
		case jittered[r.Session.ID]:
			if st.ResumeAt.After(late) {
				t.Errorf("%s: engine resumes at %v, after status's latest %v", r.Session.ID, st.ResumeAt, r.ResumeAt)
			}
		case !st.ResumeAt.Equal(r.ResumeAt) && r.ResumeAt.After(now):
			t.Errorf("%s: engine resumes at %v, status says %v", r.Session.ID, st.ResumeAt, r.ResumeAt)
		}
	}
}

// refuseActor finds no pane: the test compares decisions, not actions.
type refuseActor struct{}

var errRefuse = errors.New("test: no panes")

func (refuseActor) Locate(context.Context, watch.Session) (pane.Target, error) {
	return pane.Target{}, errRefuse
}
func (refuseActor) Check(context.Context, pane.Target, watch.Session) pane.Verdict {
	return pane.Verdict{Reason: errRefuse.Error()}
}
func (refuseActor) Type(context.Context, pane.Target, string) error { return errRefuse }
func (refuseActor) Enter(context.Context, pane.Target) error        { return errRefuse }
func (refuseActor) Escape(context.Context, pane.Target) error       { return errRefuse }
func (refuseActor) InputHolds(context.Context, pane.Target, string) (bool, error) {
	return false, errRefuse
}
