package resume

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

// defaultAttemptBudget is the one deadline of an attempt: Locate, Check and
// Type of one resume together (and InputHolds plus Enter of one
// confirmation, Locate plus Check of one probe). tmux answers each call in
// milliseconds; a hung server answers none, and then an attempt costs this
// long and a backoff, never the engine, because the work runs on a goroutine
// of its own. Five seconds leave room for a slow /proc walk and the pause
// between the text and Enter.
const defaultAttemptBudget = 5 * time.Second

// jobKind is which actor work a job does.
type jobKind uint8

const (
	jobProbe       jobKind = iota + 1 // Locate + Check, read only, for the dashboard
	jobCheck                          // Locate + Check before typing
	jobType                           // Type
	jobEscape                         // Escape on the usage-limit dialog
	jobHolds                          // InputHolds while confirming
	jobEnter                          // one more Enter while confirming
	jobFinishLook                     // Locate + Check + InputHolds for ccwake's own text left from before a restart
	jobFinishEnter                    // the Enter for that text
	jobLeftover                       // Locate + InputHolds: report ccwake's text left for a stall that is over
	jobReopenLook                     // Holders: may the session be reopened (reopen.go)
	jobSpawn                          // Holders again, then start `claude --resume` in a new window
	jobShow                           // Locate only, to show the pane of a session held for a human (show.go)
)

// job is actor work for one track, run off the engine goroutine under the
// attempt's deadline. A track has at most one job at a time (track.busy):
// it is out of the due queue meanwhile, so no second attempt for it can
// start. Its result comes back to the Run loop through e.results.
type job struct {
	kind    jobKind
	t       *track
	forUUID string // the error the attempt was started for
	ctx     context.Context
	cancel  context.CancelFunc
	// note and failNote are the log texts for a Type's outcome, prepared
	// when it starts (the session may have moved on when it ends).
	note, failNote string
	seq            uint64 // e.keySeq when the attempt started
	pane           string // the pane a key-sending job sends to
}

// sendsKeys reports whether a job kind sends keys to a pane.
func (k jobKind) sendsKeys() bool {
	return k == jobType || k == jobEscape || k == jobEnter || k == jobFinishEnter
}

// paneQuiet reports whether no keys went to pane, for any session, since
// j's attempt started, and none are on their way. Jobs of two sessions run
// at once; a look at a pane is only good for typing when nothing typed into
// that pane meanwhile (run one after the other, the second look would have
// seen the first one's text).
func (e *Engine) paneQuiet(j *job, pane string) bool {
	return e.paneBusy[pane] == 0 && e.paneKeys[pane] <= j.seq
}

// jobResult is what a job found.
type jobResult struct {
	j      *job
	target pane.Target
	v      pane.Verdict
	holds  bool
	// holdsErr is InputHolds' error when a look also read the input line.
	holdsErr error
	err      error
	holders  []procs.Holder // jobReopenLook, jobSpawn: live processes that may hold the session
}

// start runs work for t on a goroutine of its own. A step that follows
// another of the same attempt (Type after Check, Enter after InputHolds)
// shares its deadline; otherwise the attempt's budget starts now. It
// returns nil, starting nothing, while the engine stops, for a track that
// is gone, or for one that already has a job.
func (e *Engine) start(t *track, kind jobKind, work func(ctx context.Context) jobResult) *job {
	if e.stopping || t.gone || t.busy != nil {
		return nil
	}
	j := &job{kind: kind, t: t, forUUID: t.st.Session.LastUUID, seq: e.keySeq}
	if c := e.cur; c != nil && c.t == t {
		j.ctx, j.cancel, j.forUUID, j.seq = c.ctx, c.cancel, c.forUUID, c.seq
	} else {
		j.ctx, j.cancel = context.WithTimeout(pane.WithWave(e.actCtx(), e.wave), e.cfg.AttemptBudget)
	}
	if kind.sendsKeys() {
		j.pane = t.target.Pane
		e.keySeq++
		e.paneKeys[j.pane] = e.keySeq
		e.paneBusy[j.pane]++
	}
	t.busy = j
	t.sync()
	e.inflight++
	go func() {
		var r jobResult
		defer func() {
			if p := recover(); p != nil {
				r = jobResult{err: fmt.Errorf("actor: internal error: %v", p)}
			}
			r.j = j
			e.results <- r
		}()
		r = work(j.ctx)
	}()
	return j
}

// finish folds a job's result into its track, on the Run goroutine. The
// attempt's deadline is released unless the result started its next step.
func (e *Engine) finish(r jobResult) {
	defer e.settle() // after the deferred check below
	j, t := r.j, r.j.t
	e.inflight--
	t.busy = nil
	if j.pane != "" {
		e.keySeq++
		e.paneKeys[j.pane] = e.keySeq
		if e.paneBusy[j.pane]--; e.paneBusy[j.pane] <= 0 {
			delete(e.paneBusy, j.pane)
		}
	}
	if key := trackKey(t.st.Session); t.gone && e.tracks[key] == t {
		delete(e.tracks, key) // SessionGone came while the job ran
	}
	t.sync()
	e.dirty = true
	e.cur = j
	defer func() {
		e.cur = nil
		// Events folded in while the job ran may have left the track with
		// nothing scheduled (evaluate schedules nothing for a busy track,
		// e.g. a new error that confirmed a Type still running): plan now.
		if t.busy == nil && t.step == stepNone && !t.gone {
			e.replan(t)
		}
		if t.busy == nil || t.busy.ctx != j.ctx {
			j.cancel()
		}
	}()
	switch j.kind {
	case jobType:
		e.typed(t, j, r.err)
		return
	case jobEscape:
		e.escaped(t, r.err)
		return
	case jobEnter:
		e.entered(t, r.err)
		return
	case jobFinishEnter:
		e.finishEntered(t, r.err)
		return
	case jobSpawn:
		e.spawned(t, r)
		return
	}
	// Looking, not acting: when the session is gone or ccwake stops, what
	// the look found no longer matters.
	if t.gone || e.stopping {
		return
	}
	switch j.kind {
	case jobProbe:
		e.probed(t, j, r)
	case jobCheck:
		e.checked(t, j, r)
	case jobHolds:
		e.held(t, j, r)
	case jobFinishLook:
		e.finishLooked(t, j, r)
	case jobLeftover:
		e.leftoverLooked(t, j, r)
	case jobReopenLook:
		e.reopenLooked(t, j, r)
	case jobShow:
		e.shownPane(t, j, r)
	}
}

// waitJobs folds in the results of every running job (used when Run ends:
// a job never outlives the engine, and its deadline bounds the wait).
func (e *Engine) waitJobs() {
	for e.inflight > 0 {
		e.finish(<-e.results)
	}
}

// look is the work of a probe and of an attempt's check: find the pane,
// then run the guards on it.
func (e *Engine) look(s watch.Session) func(ctx context.Context) jobResult {
	return func(ctx context.Context) jobResult {
		tg, err := e.actor.Locate(ctx, s)
		if err != nil {
			return jobResult{err: err}
		}
		return jobResult{target: tg, v: e.actor.Check(ctx, tg, s)}
	}
}

// timedOut reports why j's tmux work did not finish in time ("" when it
// did): the attempt's deadline passed, or one command timed out.
func (e *Engine) timedOut(j *job, err error) string {
	switch {
	case errors.Is(j.ctx.Err(), context.DeadlineExceeded):
		return fmt.Sprintf("tmux did not answer within %s (one attempt's budget); trying again later", e.cfg.AttemptBudget)
	case errors.Is(err, mux.ErrTimeout):
		return "tmux did not answer: " + err.Error() + "; trying again later"
	}
	return ""
}

// timeToType reports whether the running attempt has enough of its budget
// left to type and send Enter: text typed without its Enter would sit in the
// user's input line, so a slow tmux gets no keys at all rather than half.
func (e *Engine) timeToType() bool {
	if e.cur == nil {
		return true
	}
	dl, ok := e.cur.ctx.Deadline()
	return !ok || time.Until(dl) >= e.cfg.AttemptBudget/5
}
