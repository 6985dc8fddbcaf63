package resume

import (
	"cmp"
	"container/heap"
	"time"
)

// dueQueue holds the tracks that have a step scheduled, earliest due first
// (ties by session id), so that finding and firing the next step costs
// O(log n) whatever the number of sessions. A track is queued exactly while
// it has a step, a due time, no job running and is not gone; track.sync
// keeps that true, and every change of those fields goes through it.
type dueQueue []*track

func (q dueQueue) Len() int { return len(q) }

func (q dueQueue) Less(i, j int) bool {
	a, b := q[i], q[j]
	if c := a.due.Compare(b.due); c != 0 {
		return c < 0
	}
	return cmp.Less(a.st.Session.ID, b.st.Session.ID)
}

func (q dueQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].qi, q[j].qi = i, j
}

func (q *dueQueue) Push(x any) {
	t := x.(*track)
	t.qi = len(*q)
	*q = append(*q, t)
}

func (q *dueQueue) Pop() any {
	old := *q
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	t.qi = -1
	return t
}

// first is the track due soonest (nil when nothing is scheduled).
func (q dueQueue) first() *track {
	if len(q) == 0 {
		return nil
	}
	return q[0]
}

// schedule sets what t does next and when.
func (t *track) schedule(s step, at time.Time) {
	t.step, t.due = s, at
	t.sync()
}

// sync puts t into its engine's due queue, moves it there, or takes it out,
// as its step, due time, running job and gone flag say.
func (t *track) sync() {
	if t.q == nil {
		return
	}
	want := t.step != stepNone && !t.due.IsZero() && t.busy == nil && !t.gone
	switch {
	case want && t.qi >= 0:
		heap.Fix(t.q, t.qi)
	case want:
		heap.Push(t.q, t)
	case t.qi >= 0:
		heap.Remove(t.q, t.qi)
	}
}
