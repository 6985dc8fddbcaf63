package watch_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/internal/synth"
)

// BenchmarkStartup compares what `ccwake status` does (status: one cold
// scan) with what `ccwake --auto` does before it has decided every stall
// (auto: a watcher, with its inotify watches, feeding an engine, until the
// engine's Snapshot holds every stalled session in a decided phase). Issue
// 9 asks auto to take at most 1.5× status.
func BenchmarkStartup(b *testing.B) {
	root := synth.BenchTree(b)
	cfg := watch.Config{Roots: []string{root}, Since: 30 * 24 * time.Hour, Loc: time.UTC}
	stalled := stalledIn(b, root)
	b.Run("status", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := watch.Scan(context.Background(), cfg); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(stalled), "stalled")
	})
	b.Run("auto", func(b *testing.B) {
		for b.Loop() {
			autoStart(b, cfg, stalled)
		}
		b.ReportMetric(float64(stalled), "stalled")
	})
}

// autoStart runs a watcher and an engine (dry run, auto on, the root
// locked) until every one of the stalled sessions has left Idle.
func autoStart(b *testing.B, cfg watch.Config, stalled int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := watch.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	ecfg := resume.DefaultConfig()
	ecfg.Auto, ecfg.DryRun, ecfg.Seed = true, true, 1
	ecfg.Roots, ecfg.LockedRoots = cfg.Roots, cfg.Roots
	ecfg.ProbeDelay = 24 * time.Hour // decisions, not the actor
	eng := resume.New(ecfg, noActor{}, resume.RealClock{}, nil)
	werr := make(chan error, 1)
	eerr := make(chan error, 1)
	go func() { werr <- w.Run(ctx) }()
	go func() { eerr <- eng.Run(ctx, w.Events()) }()
	defer func() { cancel(); <-werr; <-eerr }()
	for range eng.Changes() {
		n := 0
		for _, st := range eng.Snapshot().Sessions {
			if st.Session.State == watch.Stalled && st.Phase != resume.Idle {
				n++
			}
		}
		if n >= stalled {
			return
		}
	}
	b.Fatal("engine stopped before deciding every stall")
}

// noActor finds no pane: the benchmark measures deciding, not acting.
type noActor struct{}

var errNoPane = errors.New("benchmark: no panes")

func (noActor) Locate(context.Context, watch.Session) (pane.Target, error) {
	return pane.Target{}, errNoPane
}
func (noActor) Check(context.Context, pane.Target, watch.Session) pane.Verdict {
	return pane.Verdict{Reason: errNoPane.Error()}
}
func (noActor) Type(context.Context, pane.Target, string) error { return errNoPane }
func (noActor) Enter(context.Context, pane.Target) error        { return errNoPane }
func (noActor) Escape(context.Context, pane.Target) error       { return errNoPane }
func (noActor) InputHolds(context.Context, pane.Target, string) (bool, error) {
	return false, errNoPane
}

// stalledIn counts the stalled sessions of a tree (a cold scan).
func stalledIn(b *testing.B, root string) int {
	b.Helper()
	sessions, _, err := watch.Scan(context.Background(), watch.Config{Roots: []string{root}, Loc: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, s := range sessions {
		if s.State == watch.Stalled {
			n++
		}
	}
	return n
}
