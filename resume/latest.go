package resume

import (
	"math/rand/v2"
	"time"

	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Latest is Decide without the jitter: the latest moment the policy would
// resume s. A one-shot `ccwake status` cannot know the draw a running ccwake
// made, but it can say "by then at the latest".
func (p Policy) Latest(s watch.Session, now time.Time) Decision {
	d := p.Decide(s, now, rand.New(rand.NewPCG(1, 1))) // the draw is replaced below
	// Caps and stated waits are planned without jitter.
	if d.Phase != Waiting || s.Kind == classify.UsageLimit || !s.ResetsAt.IsZero() {
		return d
	}
	from := s.ErrorAt
	if from.IsZero() {
		from = s.LastAt
	}
	if from.IsZero() {
		from = now
	}
	b, _ := p.backoff(s.Kind)
	d.At = from.Add(b.Ceiling(max(s.Attempts, 1) - 1))
	return d
}
