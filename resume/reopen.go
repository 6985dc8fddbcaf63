package resume

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/resume/statefile"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Reopening a session whose process is gone (opt-in: --reopen, or the
// user's key on one session). When an attempt finds no pane, and no live
// Claude Code process anywhere may hold the session, ccwake starts
// `claude --resume=<id>` in a new tmux window in the session's cwd and
// root, then resumes it the normal way: Locate must match the new process
// positively, every guard runs, one `continue`, confirmed from the
// transcript. The reopen is recorded (in the state file too) before the
// window starts, so it happens at most once per stall, also across
// restarts; never for a fatal error, never while a process may hold it.
// Never either for a session id not of the shape Claude Code writes, nor
// in a cwd that is gone (reopenable.go): those need a human, and say so.

// defaultReopenWait is how long after starting the window the first look
// for its prompt comes: the client loads its transcript first. Later looks
// back off like any guard refusal.
const defaultReopenWait = 3 * time.Second

// mayReopen reports whether t's current stall may be reopened: reopening is
// configured, asked for (--reopen or the user's key), the error is not
// fatal, and it was not reopened for before.
func (e *Engine) mayReopen(t *track) bool {
	s := t.st.Session
	rc := e.cfg.Reopen
	switch {
	case !rc.enabled(), s.ID == "", s.Cwd == "", s.LastUUID == "":
		return false
	case !rc.Auto && !t.cur.reopenAsked:
		return false
	case t.cur.plan.Phase == Fatal || s.Kind == classify.Fatal:
		return false
	case t.cur.reopened, e.stateErrFor(t) != nil:
		return false
	}
	if st := e.stateFor(t); st != nil {
		if _, ok := st.Data().ReopenedFor(s.LastUUID); ok {
			t.cur.reopened = true
			return false
		}
	}
	return true
}

// reopen starts the look for live holders of t's session when it may be
// reopened; false means it may not (the caller blocks as before).
func (e *Engine) reopen(t *track) bool {
	if !e.mayReopen(t) {
		return false
	}
	s := t.st.Session
	if _, err := ReopenSpec(s, e.cfg.Reopen.ClaudeBin, e.cfg.Reopen.Home); err != nil {
		e.cannotReopen(t, err)
		return true
	}
	if e.cfg.DryRun {
		t.cur.reopened = true
		e.note(t, "dry_run", "would reopen it if no process holds it and its cwd exists: "+e.reopenCmd(t))
		return false
	}
	holders := e.cfg.Reopen.Holders
	j := e.start(t, jobReopenLook, func(ctx context.Context) jobResult {
		h, err := holders.Holders(ctx, s)
		if err != nil {
			return jobResult{err: fmt.Errorf("whether a process holds it is unknown: %w", err)}
		}
		if len(h) > 0 {
			return jobResult{holders: h}
		}
		return jobResult{err: checkCwd(s.Cwd)}
	})
	if j == nil {
		return false
	}
	t.st.Phase, t.st.Reason = Resuming, "no pane: looking whether any Claude Code process still holds it before reopening"
	return true
}

// reopenLooked takes the holders look: none, and the session is reopened.
func (e *Engine) reopenLooked(t *track, j *job, r jobResult) {
	if !e.current(t, j) {
		return
	}
	s := t.st.Session
	switch {
	case errors.Is(r.err, ErrCwdGone):
		e.cannotReopen(t, r.err)
		return
	case r.err != nil:
		e.block(t, "no_pane", "no pane, and not reopening: "+r.err.Error())
		return
	case len(r.holders) > 0:
		e.block(t, "no_pane", "no pane, and not reopening: "+holdersWhy(r.holders))
		return
	}
	spec, err := ReopenSpec(s, e.cfg.Reopen.ClaudeBin, e.cfg.Reopen.Home)
	if err != nil { // checked before the look; the session cannot change meanwhile
		e.cannotReopen(t, err)
		return
	}
	now := e.clock.Now()
	if e.persists(t) {
		err := e.stateFor(t).Update(func(d *statefile.Data) error {
			if !d.MarkReopened(statefile.Reopened{File: s.Transcript, UUID: s.LastUUID, ErrorAt: s.ErrorAt, At: now}) {
				return errAlreadyReopened
			}
			return nil
		})
		switch {
		case errors.Is(err, errAlreadyReopened):
			t.cur.reopened = true
			e.block(t, "no_pane", "no pane; the state file says it was reopened for this stall already: not again")
			return
		case err != nil:
			e.block(t, "state_failed", "could not record the reopen in the state file, so not reopening: "+err.Error())
			return
		}
	}
	t.cur.reopened = true
	e.reopened[s.LastUUID] = t
	rc := e.cfg.Reopen
	if e.start(t, jobSpawn, func(ctx context.Context) jobResult {
		// Looked again right before: a process that came up meanwhile wins.
		h, err := rc.Holders.Holders(ctx, s)
		if err != nil {
			return jobResult{err: fmt.Errorf("looking for holders right before: %w", err)}
		}
		if len(h) > 0 {
			return jobResult{holders: h}
		}
		if err := checkCwd(spec.Cwd); err != nil { // gone meanwhile: tmux would start it elsewhere
			return jobResult{err: err}
		}
		id, err := rc.Spawner.Spawn(ctx, spec)
		return jobResult{target: pane.Target{Pane: id}, err: err}
	}) == nil {
		e.block(t, "reopen_failed", "not reopened: ccwake is stopping")
	}
}

// spawned takes the result of starting the window. Whatever it was, this
// stall is not reopened again.
func (e *Engine) spawned(t *track, r jobResult) {
	e.drain() // the resumed client may have written its new file already
	switch {
	case errors.Is(r.err, ErrCwdGone):
		e.cannotReopen(t, fmt.Errorf("%w (not trying again for this stall)", r.err))
		return
	case r.err != nil:
		e.block(t, "reopen_failed", "reopening failed (not trying again for this stall): "+r.err.Error())
		return
	case len(r.holders) > 0:
		e.block(t, "no_pane", "no pane, and not reopening: "+holdersWhy(r.holders))
		return
	}
	s := t.st.Session
	pane := r.target.Pane
	if b, id := mux.Split(pane); b == "tmux" && id == pane {
		pane = mux.Qualify("tmux", id) // pane ids carry their backend everywhere ccwake shows them
	}
	e.updateState(t, "the reopen's pane", func(d *statefile.Data) {
		for i := range d.Reopened {
			if d.Reopened[i].UUID == s.LastUUID {
				d.Reopened[i].Pane = pane
			}
		}
	})
	t.blockedN = 0
	t.st.Pane, t.st.PaneErr = "", ""
	t.st.Phase, t.st.Reason = Resuming, "reopened in pane "+pane+"; resuming once its prompt is up (every guard applies)"
	e.note(t, "reopened", "claude --resume="+s.ID+" in a new tmux window (pane "+pane+"): "+e.reopenCmd(t))
	switch {
	case t.cur.continuedIn != "":
		e.replan(t) // its new file came first: that track resumes it
	case !t.gone && !e.stopping:
		t.schedule(stepResume, e.clock.Now().Add(e.cfg.ReopenWait))
	}
}

// cannotReopen parks a stall that has no pane and that reopening cannot
// cure (its cwd is gone, its id is not one Claude Code writes): a human has
// to act, and the reason says why. It is looked at again after the usual
// backoff, so a directory mounted again or a session started by hand is
// still found; the note is written once while the reason stays the same.
func (e *Engine) cannotReopen(t *track, err error) {
	e.block(t, "needs_human", "no pane, and not reopening: "+err.Error()+"; it needs you: resume it by hand where it lives now")
}

// errAlreadyReopened stops a state update: the stall was reopened already.
var errAlreadyReopened = errors.New("already reopened for this error")

// holdersWhy says which processes hold the session.
func holdersWhy(hs []procs.Holder) string {
	parts := make([]string, 0, len(hs))
	for _, h := range hs {
		parts = append(parts, "pid "+strconv.Itoa(h.PID)+" ("+h.Why+")")
	}
	return "a live Claude Code process may hold it: " + strings.Join(parts, ", ")
}

// reopenCmd is the command reopening t would run ("" when reopening is off).
func (e *Engine) reopenCmd(t *track) string {
	if !e.cfg.Reopen.enabled() {
		return ""
	}
	spec, err := ReopenSpec(t.st.Session, e.cfg.Reopen.ClaudeBin, e.cfg.Reopen.Home)
	if err != nil {
		return ""
	}
	return spec.String()
}

// continuation hands a reopened stall over to the transcript the resumed
// client writes when that is a new file: its copied entries carry the
// error's uuid. The new track inherits the user's ask; the old one stops
// acting for this stall.
func (e *Engine) continuation(t *track) {
	s := t.st.Session
	o := e.reopened[s.LastUUID]
	if o == nil || o == t || o.st.Session.Transcript == s.Transcript {
		return
	}
	t.cur.reopened = true // the copy is the reopened session: never reopened again
	if o.retry || (o.cur.reopenAsked && o.cur.uuid == s.LastUUID) {
		t.retry = true
	}
	o.cur.continuedIn = s.Transcript
	o.retry = false
	o.schedule(stepNone, time.Time{})
	e.replan(o)
	e.note(t, "continued", fmt.Sprintf("the reopened session continues in this file (copied from %s)", o.st.Session.Transcript))
}

// Reopen asks for session id to be reopened when no process holds it, and
// resumed now (like Retry). With a live pane it is only a Retry.
func (e *Engine) Reopen(id string) {
	e.do(func() {
		for _, t := range e.named(id) {
			e.reopenOne(t)
		}
	})
}

// reopenOne is Reopen for one track, on the Run goroutine.
func (e *Engine) reopenOne(t *track) {
	s := t.st.Session
	switch {
	case !e.cfg.Reopen.enabled():
		e.note(t, "reopen_refused", "reopening is not configured (no claude binary or no tmux)")
		return
	case s.State != watch.Stalled || s.LastUUID == "":
		e.note(t, "reopen_refused", "not stalled: nothing to reopen")
		return
	case t.st.Phase == Fatal || s.Kind == classify.Fatal:
		e.note(t, "reopen_refused", "waiting does not cure this error")
		return
	case t.cur.reopened:
		e.note(t, "reopen_refused", "already reopened for this stall")
		return
	case !ValidSessionID(s.ID):
		e.note(t, "reopen_refused", errBadSessionID(s.ID).Error())
		return
	}
	t.cur.reopenAsked = true
	e.note(t, "reopen", "reopen requested: "+e.reopenCmd(t))
	e.retryNow(t)
}
