package resume

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// BenchmarkEngineEvent is the engine's cost of one watcher event with 1,000
// and 10,000 sessions tracked: fold the event in, reschedule, and (coalesced)
// publish. The events channel is unbuffered, so each iteration waits until
// the engine took the previous event, and the time per op is the engine's
// time per event. Every event changes one session: a stall scheduled an
// hour out, then a reply, in turn.
func BenchmarkEngineEvent(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Auto, cfg.Seed = true, 1
			cfg.LockedRoots = []string{testRoot}
			cfg.ProbeDelay = 24 * time.Hour // no probes: the benchmark measures events, not the actor
			e := New(cfg, newFakeActor(), RealClock{}, nil)
			events := make(chan watch.Event)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- e.Run(ctx, events) }()
			defer func() { cancel(); <-done }()
			later := time.Now().Add(time.Hour)
			session := func(i int) watch.Session {
				s := stall(fmt.Sprintf("s%05d", i%n), fmt.Sprintf("e%d", i), classify.RateLimit, 1, later)
				if (i/n)%2 == 1 {
					s = working(s, fmt.Sprintf("w%d", i), later)
				}
				return s
			}
			for i := range n {
				events <- watch.Event{Kind: watch.SessionChanged, Session: session(i)}
			}
			b.ResetTimer()
			i := n
			for b.Loop() {
				events <- watch.Event{Kind: watch.SessionChanged, Session: session(i)}
				i++
			}
		})
	}
}
