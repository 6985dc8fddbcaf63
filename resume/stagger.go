package resume

import (
	"sort"
	"time"

	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Plan is one session with the policy's decision about it.
type Plan struct {
	Session  watch.Session
	Decision Decision
}

// StaggerPlans spaces out the resumes of sessions waiting on usage caps, in
// place: every session behind one cap gets the same reset, and typing into
// all of them at once would hit the cap together again. Sorted by planned
// time, then oldest stall first, each usage-cap resume comes at least gap
// after the one before it (gap <= 0: unchanged). Other kinds keep their
// times: their jittered backoff spreads them already.
//
// The engine and `ccwake status` both call it, so they show the same
// resume_at for the same sessions.
func StaggerPlans(plans []Plan, gap time.Duration) {
	if gap <= 0 {
		return
	}
	var idx []int
	for i, p := range plans {
		if p.Session.State == watch.Stalled && p.Session.Kind == classify.UsageLimit &&
			p.Decision.Phase == Waiting && !p.Decision.At.IsZero() {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := plans[idx[a]], plans[idx[b]]
		if !x.Decision.At.Equal(y.Decision.At) {
			return x.Decision.At.Before(y.Decision.At)
		}
		if xs, ys := stalledAt(x.Session), stalledAt(y.Session); !xs.Equal(ys) {
			return xs.Before(ys)
		}
		if x.Session.ID != y.Session.ID {
			return x.Session.ID < y.Session.ID
		}
		return x.Session.Transcript < y.Session.Transcript
	})
	var prev time.Time
	for n, i := range idx {
		d := &plans[i].Decision
		if n > 0 && d.At.Before(prev.Add(gap)) {
			d.At = prev.Add(gap)
		}
		prev = d.At
	}
}

// stalledAt is when the stall began, as well as the transcript says.
func stalledAt(s watch.Session) time.Time {
	for _, t := range []time.Time{s.StalledAt, s.ErrorAt, s.LastAt} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
