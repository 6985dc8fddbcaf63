package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ccwake/ccwake/resume"
)

// RetryConfig tunes Retrying; zero fields take the defaults in config.go.
type RetryConfig struct {
	Attempts   int           // tries in all, the first included
	Backoff    time.Duration // the wait after the first failure; doubles each time
	MaxBackoff time.Duration // the longest wait
	Timeout    time.Duration // one attempt
	InFlight   int           // attempts at once
	Queue      int           // events waiting (for a slot or a retry); more are dropped
	Clock      resume.Clock  // default the wall clock
	Logger     *slog.Logger  // default discard
}

func (c RetryConfig) withDefaults() RetryConfig {
	dur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	dur(&c.Backoff, DefaultBackoff)
	dur(&c.MaxBackoff, DefaultMaxBackoff)
	dur(&c.Timeout, DefaultTimeout)
	num := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	num(&c.Attempts, DefaultAttempts)
	num(&c.InFlight, DefaultInFlight)
	num(&c.Queue, DefaultQueue)
	if c.Clock == nil {
		c.Clock = resume.RealClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Retrying delivers through a Sink that may fail for a while (a webhook
// whose server restarts, answers 5xx, refuses connections): an attempt that
// fails with a Retryable error is tried again after a backoff, up to
// Attempts times; when it gives up, or the error is permanent, it logs
// that once. Its own Send only queues the event and returns, and up to
// InFlight attempts run at once, each under Timeout, so a server that
// accepts and never answers holds up no other event and no other sink.
// Close drops what still waits (and says how much) and ends the attempts.
type Retrying struct {
	sink Sink
	cfg  RetryConfig

	start  sync.Once
	stop   sync.Once
	in     chan Event
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

// NewRetrying wraps s.
func NewRetrying(s Sink, cfg RetryConfig) *Retrying {
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	return &Retrying{sink: s, cfg: cfg, in: make(chan Event, cfg.Queue), ctx: ctx, cancel: cancel, done: make(chan struct{})}
}

// Name implements Sink: the wrapped sink's.
func (r *Retrying) Name() string { return r.sink.Name() }

// Send implements Sink: it queues ev and returns; an error only when the
// queue is full or r is closed.
func (r *Retrying) Send(_ context.Context, ev Event) error {
	if r.ctx.Err() != nil {
		return fmt.Errorf("notify %s: closed", r.Name())
	}
	r.start.Do(func() { go r.run() })
	select {
	case r.in <- ev:
		return nil
	default:
		return fmt.Errorf("notify %s: %d notifications wait for delivery already", r.Name(), r.cfg.Queue)
	}
}

// Close implements io.Closer: it cancels the attempts in flight, waits for
// them, and logs what is left undelivered.
func (r *Retrying) Close() error {
	r.stop.Do(func() {
		r.cancel()
		r.start.Do(func() { close(r.done) }) // never started: nothing to wait for
		<-r.done
	})
	return nil
}

// job is one event on its way: the attempts made and when the next is due.
type job struct {
	ev       Event
	attempts int
	due      time.Time
}

// result is how one attempt went.
type result struct {
	job job
	err error
}

// run owns the queue: it starts attempts while slots are free, schedules
// the failed ones, and fires the retries that came due.
func (r *Retrying) run() {
	defer close(r.done)
	var ready, waiting []job // waiting: for their due time, in no order
	results := make(chan result)
	inFlight := 0
	var timer resume.Timer
	for {
		for len(ready) > 0 && inFlight < r.cfg.InFlight {
			inFlight++
			j := ready[0]
			ready = ready[1:]
			go func() { results <- result{j, r.attempt(j.ev)} }()
		}
		var fire <-chan time.Time
		if timer != nil {
			timer.Stop()
			timer = nil
		}
		if len(waiting) > 0 {
			timer = r.cfg.Clock.NewTimer(earliest(waiting).Sub(r.cfg.Clock.Now()))
			fire = timer.C()
		}
		select {
		case ev := <-r.in:
			if len(ready)+len(waiting) >= r.cfg.Queue {
				r.cfg.Logger.Warn("notify: delivery queue full; dropped", "sink", r.Name(), "event", ev.Event, "session", ev.SessionID)
				continue
			}
			ready = append(ready, job{ev: ev})
		case res := <-results:
			inFlight--
			if j, again := r.settle(res); again {
				waiting = append(waiting, j)
			}
		case <-fire:
			timer = nil
			now := r.cfg.Clock.Now()
			keep := waiting[:0]
			for _, j := range waiting {
				if j.due.After(now) {
					keep = append(keep, j)
				} else {
					ready = append(ready, j)
				}
			}
			waiting = keep
		case <-r.ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			for ; inFlight > 0; inFlight-- {
				if res := <-results; res.err != nil {
					ready = append(ready, res.job)
				}
			}
			if n := len(ready) + len(waiting) + len(r.in); n > 0 {
				r.cfg.Logger.Warn("notify: not delivered: ccwake is stopping", "sink", r.Name(), "notifications", n)
			}
			return
		}
	}
}

// attempt is one try under the attempt timeout, on the injected clock.
func (r *Retrying) attempt(ev Event) error {
	ctx, cancel := context.WithCancelCause(r.ctx)
	defer cancel(nil)
	t := r.cfg.Clock.NewTimer(r.cfg.Timeout)
	defer t.Stop()
	go func() {
		select {
		case <-t.C():
			cancel(fmt.Errorf("no answer within %s: %w", r.cfg.Timeout, context.DeadlineExceeded))
		case <-ctx.Done():
		}
	}()
	err := r.sink.Send(ctx, ev)
	if err != nil && context.Cause(ctx) != nil && r.ctx.Err() == nil {
		err = fmt.Errorf("%w (%w)", context.Cause(ctx), err)
	}
	return err
}

// settle counts the attempt: it returns the job with its next due time when
// it is to be tried again; else it logs the outcome of a failure, once.
func (r *Retrying) settle(res result) (job, bool) {
	j := res.job
	j.attempts++
	if res.err == nil || r.ctx.Err() != nil {
		return j, false
	}
	log := r.cfg.Logger.With("sink", r.Name(), "event", j.ev.Event, "session", j.ev.SessionID, "attempts", j.attempts)
	if !Retryable(res.err) {
		log.Warn("notify: delivery failed", "err", res.err)
		return j, false
	}
	if j.attempts >= r.cfg.Attempts {
		log.Warn("notify: delivery failed; gave up", "err", res.err)
		return j, false
	}
	wait := r.backoff(j.attempts, res.err)
	log.Debug("notify: delivery failed; trying again", "in", wait, "err", res.err)
	j.due = r.cfg.Clock.Now().Add(wait)
	return j, true
}

// backoff is the wait after the n-th failed attempt: Backoff doubled n-1
// times, at most MaxBackoff; a longer Retry-After from the server wins, up
// to MaxRetryAfter.
func (r *Retrying) backoff(n int, err error) time.Duration {
	d := r.cfg.Backoff
	for i := 1; i < n && d < r.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, r.cfg.MaxBackoff)
	if se, ok := errors.AsType[*StatusError](err); ok && se.RetryAfter > d {
		d = min(se.RetryAfter, MaxRetryAfter)
	}
	return d
}

func earliest(jobs []job) time.Time {
	t := jobs[0].due
	for _, j := range jobs[1:] {
		if j.due.Before(t) {
			t = j.due
		}
	}
	return t
}

// Retryable reports whether trying err's delivery again may succeed: an
// HTTP answer that says so (StatusError.Temporary), a network error or a
// timeout; not an error marked Permanent.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := errors.AsType[permanentError](err); ok {
		return false
	}
	if se, ok := errors.AsType[*StatusError](err); ok {
		return se.Temporary()
	}
	return true
}

// Permanent marks err as one that trying again cannot cure (the event
// cannot be encoded, the request cannot be built).
func Permanent(err error) error { return permanentError{err} }

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }
