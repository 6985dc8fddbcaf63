package resume

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/statefile"
	"github.com/ccwake/ccwake/watch"
)

// Engine decides when and whether to resume each stalled session and asks
// the Actor to act. One goroutine (Run) owns all state; the UI talks to it
// through commands (a channel) and reads published Snapshots, so there is no
// lock around the state. Actor calls never run on that goroutine: each
// attempt is a job on a goroutine of its own under one deadline, its result
// comes back as a message (jobs.go), so a hung tmux stalls one session's
// attempt and nothing else. Work per event does not grow with the number of
// sessions: due steps sit in a heap (queue.go) and snapshots are built at
// most every snapEvery (record.go).
type Engine struct {
	cfg   Config
	actor Actor
	clock Clock
	log   *slog.Logger
	rng   *rand.Rand

	// Owned by the Run goroutine.
	wave     uint64 // pass of the loop: jobs of one pass share a pane listing (pane.WithWave)
	ctx      context.Context
	events   <-chan watch.Event
	auto     bool
	locked   map[string]bool   // cleaned roots we hold the lock of
	rootKey  map[string]string // Session.Root → cleaned root, cached
	tracks   map[string]*track // by transcript file (trackKey)
	q        dueQueue          // tracks with a step scheduled, earliest first
	touched  []*track          // tracks to evaluate once the input at hand is folded in (settle)
	actions  []Action          // recent actions across sessions
	resumed  int               // confirmed resumes on day
	day      string
	dirty    bool          // the state changed since the last Snapshot
	pubAt    time.Time     // when the last Snapshot was built
	pubTimer Timer         // set while a coalesced Snapshot waits for its time
	pubCost  time.Duration // how long building the last Snapshot took

	inflight int               // jobs running
	cur      *job              // the job whose result is being folded in (its next step shares its deadline)
	stopping bool              // Run is ending: no new jobs
	results  chan jobResult    // finished jobs
	keySeq   uint64            // counts key-sending jobs started and ended
	paneKeys map[string]uint64 // pane → keySeq when keys last started or ended there
	paneBusy map[string]int    // pane → key-sending jobs running
	capNext  time.Time         // no usage-cap resume types before this (Stagger after the last)
	capBy    *track            // the track whose attempt set capNext (nil: a queued slot did); it does not wait behind itself
	caps     map[*track]bool   // tracks stalled on a usage cap: the only ones stagger moves
	reopened map[string]*track // error uuid → the track that reopened its session (reopen.go)

	states      map[string]*rootState // cleanRoot(root) → its record (nil: nothing persisted); persist.go
	statePaths  map[string]*rootState // record file → its store, shared by roots with one file
	stateWarned map[string]bool       // unusable-record warnings said

	cmds    chan func()
	changes chan struct{}
	stopped chan struct{} // closed when Run returns: commands become no-ops
	snap    atomic.Pointer[Snapshot]
}

// track is the engine's private state for one session.
type track struct {
	st Status

	// cur is what is known and done about the session's newest entry (its
	// newest error while stalled): rebuilt when that entry changes.
	cur stallState

	due  time.Time // when step comes due (the due queue's key)
	at   time.Time // cur.plan.At, staggered behind other sessions on a usage cap
	slot time.Time // its turn among usage-cap resumes that came due together

	typedAt time.Time // when ccwake typed (or restored that it had): the confirmation clock

	target   pane.Target
	busy     *job // the actor work running for this track; nil when none
	q        *dueQueue
	qi       int    // index in q; -1 when not queued
	blockedN int    // consecutive guard refusals (re-check backoff)
	lastNote string // What+Reason of the last recorded action: log a streak once

	// From the state file (persist.go, pending.go): ccwake's own text sent without its
	// Enter before a restart, for the current stall (pending) or for one
	// that is over (leftover).
	pending  *statefile.Pending
	leftover *statefile.Pending

	// The small fields last and together, so the struct packs without
	// padding: one track per transcript, 10,000 of them on a big tree.
	step       step
	confirming bool // typed; watching the transcript for the next entry
	typeErr    bool // Type returned an error: the text may sit in the input line; no extra Enter
	enterSent  bool
	gone       bool // the transcript went; dropped from tracks when busy ends
	noPane     bool // parked: no pane runs it (blockNoPane); PanesChanged wakes it
	paused     bool
	retry      bool // the user asked to resume now, once
	touched    bool // in e.touched: evaluated once the input at hand is folded in
}

// step is what a track does when its due time comes.
type step uint8

const (
	stepNone         step = iota
	stepProbe             // look at the pane (read only) to show what it waits on
	stepResume            // guards, then type
	stepConfirm           // typed: still no transcript entry? maybe one more Enter
	stepConfirmFinal      // typed: give up confirming
	stepFinish            // Enter for ccwake's own text left from before a restart
	stepLeftover          // report ccwake's own text left for a stall that is over
)

// New builds an engine. The log may be nil (discard). Call Run to start it.
func New(cfg Config, actor Actor, clock Clock, log *slog.Logger) *Engine {
	cfg = cfg.withDefaults()
	if clock == nil {
		clock = RealClock{}
	}
	clock = wallClock{clock}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rng := cfg.Rand
	if rng == nil {
		seed := uint64(cfg.Seed)
		if seed == 0 {
			seed = rand.Uint64()
		}
		rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	}
	e := &Engine{
		cfg: cfg, actor: actor, clock: clock, log: log, rng: rng,
		auto:        cfg.Auto,
		locked:      map[string]bool{},
		rootKey:     map[string]string{},
		tracks:      map[string]*track{},
		caps:        map[*track]bool{},
		reopened:    map[string]*track{},
		states:      map[string]*rootState{},
		statePaths:  map[string]*rootState{},
		stateWarned: map[string]bool{},
		results:     make(chan jobResult, 16),
		paneKeys:    map[string]uint64{},
		paneBusy:    map[string]int{},
		cmds:        make(chan func(), 64),
		changes:     make(chan struct{}, 1),
		stopped:     make(chan struct{}),
	}
	for _, r := range cfg.LockedRoots {
		e.locked[cleanRoot(r)] = true
	}
	e.openState()
	e.publish()
	e.pubAt = time.Time{} // the empty start does not delay the first real Snapshot
	return e
}

// Run consumes watcher events and acts until ctx ends (returning ctx.Err())
// or events is closed (returning nil). Call it once. When it returns, the
// last Snapshot stays readable, Changes is closed and commands do nothing.
func (e *Engine) Run(ctx context.Context, events <-chan watch.Event) error {
	e.ctx = ctx
	e.events = events
	timer := e.clock.NewTimer(time.Hour)
	timer.Stop()
	defer func() {
		timer.Stop()
		e.stopping = true
		e.waitJobs()
		e.publish()
		close(e.stopped)
		close(e.changes)
	}()
	var armed time.Time
	for {
		e.fireDue()
		if e.dirty && e.pubTimer == nil {
			if wait := e.publishWait(); wait > 0 {
				e.pubTimer = e.clock.NewTimer(wait)
			} else {
				e.publish()
			}
		}
		if e.events == nil { // drain saw the watcher close its stream
			return nil
		}
		if next := e.nextDue(); !next.Equal(armed) {
			timer.Stop()
			armed = next
			if !next.IsZero() {
				timer = e.clock.NewTimer(e.wait(next))
			}
		}
		var tc, pc <-chan time.Time
		if !armed.IsZero() {
			tc = timer.C()
		}
		if e.pubTimer != nil {
			pc = e.pubTimer.C()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-e.events:
			if !ok {
				return nil
			}
			e.handle(ev)
		case f := <-e.cmds:
			f()
		case r := <-e.results:
			e.finish(r)
		case <-tc:
			armed = time.Time{} // fired: re-arm for whatever is due next
		case <-pc:
			e.publish()
		}
	}
}

// wait is how long the timer for a step due at next runs: never longer than
// WallRecheck, because a timer runs on the monotonic clock, which stops
// while the machine sleeps. Waking up every WallRecheck while something is
// scheduled finds a deadline that passed during a suspend within that
// interval; with nothing scheduled there is no timer at all.
func (e *Engine) wait(next time.Time) time.Duration {
	return min(next.Sub(e.clock.Now()), e.cfg.WallRecheck)
}

// nextDue is the earliest due time of any track (zero: nothing scheduled).
// Tracks whose job runs are not in the queue: their step waits for it.
func (e *Engine) nextDue() time.Time {
	if t := e.q.first(); t != nil {
		return t.due
	}
	return time.Time{}
}

// fireDue runs every step whose time has come, earliest first. Every step
// either ends or schedules itself in the future; the cap is insurance that a
// mistake there costs a warning and a pause, never a spinning CPU.
func (e *Engine) fireDue() {
	e.wave++ // jobs started in one pass share one pane listing (pane.WithWave)
	for n := 0; ; n++ {
		now := e.clock.Now()
		if n > 100+10*len(e.tracks) {
			e.record(nil, "warning", "engine: steps keep coming due at once; pausing them")
			for _, t := range slices.Clone(e.q) {
				if !t.due.After(now) {
					t.schedule(t.step, now.Add(e.cfg.BlockedBase))
				}
			}
			return
		}
		first := e.q.first()
		if first == nil || first.due.After(now) {
			return
		}
		e.drain() // each event settles its own tracks
		if first.qi < 0 || first.due.After(e.clock.Now()) {
			continue // the events changed the plan
		}
		e.run(first)
		e.settle()
		e.dirty = true
	}
}

// run performs a track's due step.
func (e *Engine) run(t *track) {
	st := t.step
	// Out of the due queue now: a step that schedules nothing next (e.g.
	// unconfirmed) must not stay queued with no time, or it comes due
	// again at once, over and over.
	t.schedule(stepNone, time.Time{})
	switch st {
	case stepProbe:
		e.probe(t)
	case stepResume:
		e.attempt(t)
	case stepConfirm:
		e.confirmCheck(t)
	case stepConfirmFinal:
		e.unconfirmed(t)
	case stepFinish:
		e.finishPending(t)
	case stepLeftover:
		e.leftoverLook(t)
	}
}

// actCtx is the context actor calls run under.
func (e *Engine) actCtx() context.Context {
	if e.ctx == nil {
		return context.Background()
	}
	return e.ctx
}
