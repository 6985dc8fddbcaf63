package resume

import "time"

// blockNoPane parks a session that no pane runs until something changed
// (PanesChanged) or, as a fallback, the next NoPaneRecheck boundary. The
// boundary is the same for every such session, so the fallback is one
// wave, one pane listing, however many sessions wait.
func (e *Engine) blockNoPane(t *track, reason string) {
	t.st.Phase, t.st.Reason = Blocked, reason
	e.note(t, "no_pane", reason)
	t.noPane = true
	t.schedule(stepResume, nextBoundary(e.clock.Now(), e.cfg.NoPaneRecheck))
}

// nextBoundary is the first multiple of d (since the zero time) after now.
func nextBoundary(now time.Time, d time.Duration) time.Time {
	return now.Truncate(d).Add(d)
}

// PanesChanged tells the engine that panes or Claude Code processes may
// have come or gone: a sessions/<pid>.json appeared or went. Every session
// parked for want of a pane is looked for again now, in one wave.
func (e *Engine) PanesChanged() {
	e.do(func() {
		now := e.clock.Now()
		for _, t := range e.tracks {
			if t.noPane && t.busy == nil && t.step == stepResume && t.due.After(now) {
				t.schedule(stepResume, now)
			}
		}
	})
}
