package notify

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/ccwake/ccwake/resume"
)

// Source is what the Notifier reads: *resume.Engine satisfies it.
type Source interface {
	Snapshot() resume.Snapshot
}

// Notifier polls a Source, detects events, rate-limits them and hands each
// to every Sink. It reads Snapshots on its own timer instead of the engine's
// Changes channel: that channel has one reader (the dashboard) and a second
// would steal its wake-ups. Snapshot is an atomic load, so a poll a second
// costs nothing worth counting.
type Notifier struct {
	cfg   Config
	src   Source
	sinks []Sink
	det   *Detector
	lim   *Limiter
}

// New builds a Notifier; Run starts it.
func New(cfg Config, src Source, sinks ...Sink) *Notifier {
	cfg = cfg.withDefaults()
	return &Notifier{
		cfg:   cfg,
		src:   src,
		sinks: sinks,
		det:   NewDetector(cfg, cfg.Clock.Now()),
		lim:   NewLimiter(cfg.RateMax, cfg.RateWindow, cfg.Host),
	}
}

// Run polls until ctx ends, then waits for deliveries in flight (each is
// bounded by its timeout) and closes sinks that are io.Closers. It returns
// ctx.Err().
func (n *Notifier) Run(ctx context.Context) error {
	queues := make([]chan Event, len(n.sinks))
	var wg sync.WaitGroup
	for i, s := range n.sinks {
		queues[i] = make(chan Event, n.cfg.Queue)
		wg.Go(func() { n.deliver(ctx, s, queues[i]) })
	}
	defer func() {
		for _, q := range queues {
			close(q)
		}
		wg.Wait()
		for _, s := range n.sinks {
			if c, ok := s.(io.Closer); ok {
				c.Close()
			}
		}
	}()
	for {
		n.step(queues)
		t := n.cfg.Clock.NewTimer(n.cfg.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C():
		}
	}
}

// step reads one snapshot and queues what it raises.
func (n *Notifier) step(queues []chan Event) {
	now := n.cfg.Clock.Now()
	evs := n.lim.Admit(n.det.Detect(n.src.Snapshot(), now), now)
	for _, ev := range evs {
		n.cfg.Logger.Info("notify", "event", ev.Event, "session", ev.SessionID, "title", ev.Title)
		for i, q := range queues {
			select {
			case q <- ev:
			default:
				n.cfg.Logger.Warn("notify: delivery queue full; dropped", "sink", n.sinks[i].Name(), "event", ev.Event, "session", ev.SessionID)
			}
		}
	}
}

// deliver sends what arrives on q to s, one at a time, each under the
// timeout; failures are logged, not retried here: a sink worth retrying
// (the URL) is wrapped in Retrying, whose Send only queues.
func (n *Notifier) deliver(ctx context.Context, s Sink, q <-chan Event) {
	for ev := range q {
		if ctx.Err() != nil {
			continue // shutting down: drain without sending
		}
		sctx, cancel := context.WithTimeout(ctx, n.cfg.Timeout)
		err := s.Send(sctx, ev)
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			n.cfg.Logger.Warn("notify: delivery failed", "sink", s.Name(), "event", ev.Event, "session", ev.SessionID, "err", err)
		}
	}
}
