package resume

import (
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Decide's order of precedence and its plans, case by case.
func TestDecide(t *testing.T) {
	now := time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)
	p := defaultPolicy()
	p.Loc = time.UTC
	stalled := func(kind classify.Kind, attempts int, mod ...func(*watch.Session)) watch.Session {
		s := watch.Session{ID: "s", Root: "/r", State: watch.Stalled, Kind: kind, Attempts: attempts,
			LastUUID: "e1", ErrorAt: now.Add(-time.Minute), StalledAt: now.Add(-time.Minute)}
		for _, m := range mod {
			m(&s)
		}
		return s
	}
	reset := now.Add(time.Hour)
	capped := stalled(classify.UsageLimit, 1, func(s *watch.Session) { s.ResetsAt = reset })
	drawn := Decision{Phase: Waiting, At: now.Add(20 * time.Second), Why: "drawn"}
	for _, tc := range []struct {
		name  string
		s     watch.Session
		h     History
		phase Phase
		at    time.Time
		why   string // a part of the reason
		log   string
		typed bool
	}{
		{name: "working", s: watch.Session{State: watch.Working, LastUUID: "r1"}, phase: Idle},
		{name: "working paused", s: watch.Session{State: watch.Working}, h: History{Paused: true}, phase: Paused, why: "paused"},
		{name: "cap waits for its reset", s: capped, phase: Waiting, at: reset.Add(p.ResetMargin), why: "usage limit resets"},
		{name: "cap staggered", s: capped, h: History{At: reset.Add(p.ResetMargin + 10*time.Second), Stagger: 10 * time.Second},
			phase: Waiting, at: reset.Add(p.ResetMargin + 10*time.Second), why: "staggered to"},
		{name: "throttle without a draw: the latest moment", s: stalled(classify.Throttle, 1), phase: Waiting,
			at: now.Add(-time.Minute).Add(p.Throttle.Ceiling(0)), why: "throttle backoff"},
		{name: "the drawn plan wins", s: stalled(classify.Throttle, 1), h: History{Plan: &drawn}, phase: Waiting, at: drawn.At, why: "drawn"},
		{name: "fatal", s: stalled(classify.Fatal, 1), phase: Fatal, why: "waiting does not cure", log: "fatal"},
		{name: "fatal outranks a retry", s: stalled(classify.Fatal, 1), h: History{Retry: true}, phase: Fatal, log: "fatal"},
		{name: "gave up", s: stalled(classify.RateLimit, 7), phase: GaveUp, why: "max attempts is 6", log: "gave_up"},
		{name: "retry after giving up", s: stalled(classify.RateLimit, 7), h: History{Retry: true}, phase: Waiting, at: now, why: "retry asked for"},
		{name: "typed for this error", s: capped, h: History{TypedFor: "e1"}, phase: Unconfirmed, typed: true},
		{name: "typed for an older error", s: capped, h: History{TypedFor: "e0"}, phase: Waiting, at: reset.Add(p.ResetMargin)},
		{name: "no uuid: never typed", s: stalled(classify.Throttle, 1, func(s *watch.Session) { s.LastUUID = "" }), phase: Watching, why: "no uuid"},
		{name: "dismissed", s: capped, h: History{DismissedFor: "e1"}, phase: Dismissed, why: "dismissed"},
		{name: "dismissed an older error", s: capped, h: History{DismissedFor: "e0"}, phase: Waiting},
		{name: "paused", s: capped, h: History{Paused: true}, phase: Paused, why: "paused"},
		{name: "paused, retry asked", s: capped, h: History{Paused: true, Retry: true}, phase: Waiting, at: now, why: "retry"},
		{name: "not locked", s: capped, h: History{NotLocked: "another ccwake (pid 7) resumes this root"}, phase: Watching, why: "pid 7"},
		{name: "auto off", s: capped, h: History{AutoOff: true}, phase: Watching, why: "auto-resume is off"},
		{name: "auto off, retry asked", s: capped, h: History{AutoOff: true, Retry: true}, phase: Waiting, at: now},
		{name: "dismissal outranks fatal", s: stalled(classify.Fatal, 1), h: History{DismissedFor: "e1"}, phase: Dismissed, why: "dismissed"},
		{name: "fatal of a newer error than the one dismissed", s: stalled(classify.Fatal, 1), h: History{DismissedFor: "e0"}, phase: Fatal, log: "fatal"},
		{name: "dismissal outranks a pause", s: capped, h: History{DismissedFor: "e1", Paused: true}, phase: Dismissed},
		{name: "a pause outranks giving up", s: stalled(classify.RateLimit, 7), h: History{Paused: true}, phase: Paused},
		{name: "giving up outranks the lock", s: stalled(classify.RateLimit, 7), h: History{NotLocked: "x"}, phase: GaveUp, log: "gave_up"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Decide(tc.s, tc.h, now, p)
			if got.Phase != tc.phase || got.Typed != tc.typed || got.Log != tc.log {
				t.Fatalf("got %+v, want phase %s typed %v log %q", got, tc.phase, tc.typed, tc.log)
			}
			if !tc.at.IsZero() && !got.At.Equal(tc.at) {
				t.Errorf("at %v, want %v", got.At, tc.at)
			}
			if !strings.Contains(got.Why, tc.why) {
				t.Errorf("why %q, want it to say %q", got.Why, tc.why)
			}
			if got.Phase == Waiting && got.At.IsZero() {
				t.Errorf("waiting without a time: %+v", got)
			}
		})
	}
}
