package notify

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// maxSummaryTitles is how many held-back titles a summary quotes.
const maxSummaryTitles = 3

// Limiter lets at most max events through per sliding window; the excess is
// counted and later sent as one Summary event, when the window has room
// again. Its memory is bounded: max send times, one count per kind and a
// few titles. Not safe for concurrent use.
type Limiter struct {
	max    int
	window time.Duration
	host   string

	sent   []time.Time // send times within the window, oldest first
	held   map[Kind]int
	total  int
	titles []string
}

// NewLimiter allows max events per window.
func NewLimiter(max int, window time.Duration, host string) *Limiter {
	return &Limiter{max: max, window: window, host: host, held: map[Kind]int{}}
}

// Admit returns what may be delivered now: first a summary of what was held
// back, when the window has room for it, then as many of evs as fit. The
// rest are held. Call it with no events to let a pending summary out.
func (l *Limiter) Admit(evs []Event, now time.Time) []Event {
	l.expire(now)
	var out []Event
	if l.total > 0 && l.room() {
		out = append(out, l.summary(now))
		l.sent = append(l.sent, now)
	}
	for _, ev := range evs {
		if l.total == 0 && l.room() {
			out = append(out, ev)
			l.sent = append(l.sent, now)
			continue
		}
		l.hold(ev)
	}
	return out
}

// Held is how many events wait for the next summary.
func (l *Limiter) Held() int { return l.total }

func (l *Limiter) room() bool { return len(l.sent) < l.max }

// expire drops send times that left the window.
func (l *Limiter) expire(now time.Time) {
	i := 0
	for i < len(l.sent) && !l.sent[i].After(now.Add(-l.window)) {
		i++
	}
	l.sent = slices.Delete(l.sent, 0, i)
}

func (l *Limiter) hold(ev Event) {
	l.held[ev.Event]++
	l.total++
	if len(l.titles) < maxSummaryTitles {
		l.titles = append(l.titles, ev.Title)
	}
}

// summary builds the Summary event for what is held and resets the count.
func (l *Limiter) summary(now time.Time) Event {
	kinds := make([]string, 0, len(l.held))
	for k, n := range l.held {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
	}
	slices.Sort(kinds)
	msg := strings.Join(kinds, ", ") + ": " + strings.Join(l.titles, "; ")
	if l.total > len(l.titles) {
		msg += "; …"
	}
	ev := Event{
		Time:    now.Truncate(time.Second),
		Host:    l.host,
		Event:   Summary,
		Title:   fmt.Sprintf("ccwake: %d more notifications", l.total),
		Message: msg,
		Count:   l.total,
	}
	clear(l.held)
	l.total, l.titles = 0, nil
	return ev
}
