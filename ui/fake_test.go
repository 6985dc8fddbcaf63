package ui

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// fakeEngine is an Engine that serves a settable snapshot and records every
// call the dashboard makes.
type fakeEngine struct {
	mu      sync.Mutex
	snap    resume.Snapshot
	ch      chan struct{}
	calls   []string
	jumpErr error // what Jump returns
}

func newFake(t *testing.T, snap resume.Snapshot) *fakeEngine {
	f := &fakeEngine{snap: snap, ch: make(chan struct{}, 1)}
	t.Cleanup(func() { close(f.ch) }) // lets the dashboard's waiting Cmd return
	return f
}

func (f *fakeEngine) Snapshot() resume.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snap
}

func (f *fakeEngine) Changes() <-chan struct{} { return f.ch }

func (f *fakeEngine) Retry(id string) { f.record("retry " + id) }
func (f *fakeEngine) Pause(id string, paused bool) {
	f.record(fmt.Sprintf("pause %s %v", id, paused))
}
func (f *fakeEngine) Dismiss(id string) { f.record("dismiss " + id) }

func (f *fakeEngine) Reopen(id string) { f.record("reopen " + id) }
func (f *fakeEngine) SetAuto(on bool)  { f.record(fmt.Sprintf("auto %v", on)) }
func (f *fakeEngine) Jump(_ context.Context, id string) error {
	f.record("jump " + id)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.jumpErr
}

func (f *fakeEngine) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// set publishes a new snapshot the way the engine does: store, then a
// non-blocking send on the capacity-1 channel.
func (f *fakeEngine) set(snap resume.Snapshot) {
	f.mu.Lock()
	f.snap = snap
	f.mu.Unlock()
	select {
	case f.ch <- struct{}{}:
	default:
	}
}

// waitCall polls until the engine got call c, failing with every call seen
// after the deadline.
func (f *fakeEngine) waitCall(t *testing.T, c string) {
	t.Helper()
	calls := func() []string {
		f.mu.Lock()
		defer f.mu.Unlock()
		return slices.Clone(f.calls)
	}
	testkit.WaitFor(t, "the engine to get "+c, func() bool { return slices.Contains(calls(), c) },
		func() string { return fmt.Sprintf("calls: %q", calls()) })
}

// The test clock: Monday 23 Nov 2026, 17:05:00 UTC.
var testNow = time.Date(2026, 11, 23, 17, 5, 0, 0, time.UTC)

func testOpts() Options {
	return Options{
		Now:     func() time.Time { return testNow },
		Loc:     time.UTC,
		Home:    "/home/dev",
		NoColor: false,
	}
}

// Session ids of the busy fixture.
const (
	idThrottle = "3f2a9c1e-5b7d-4c2e-9f10-a1b2c3d4e5f6"
	idUsage    = "7c41d0aa-0b8e-4a55-8d1c-0f9e8d7c6b5a"
	idFatal    = "b9e03f12-77aa-4f0e-a2c4-5d6e7f8091a2"
	idTyping   = "d2c8e6f4-1a3b-4c5d-8e9f-0a1b2c3d4e5f"
	idGaveUp   = "e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7"
	idResumed  = "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"
	idPaused   = "5f4e3d2c-1b0a-4988-7766-554433221100"
	idNoPane   = "c0ffee00-1234-4abc-9def-000000000001"
	idWorking  = "11111111-2222-4333-8444-555555555555"
	idDismiss  = "99999999-8888-4777-8666-555555555555"
)

func at(d time.Duration) time.Time { return testNow.Add(d) }

// stalled is a stalled session of a kind.
func stalled(id, cwd string, k classify.Kind, msg string, attempts int, errAgo time.Duration) watch.Session {
	return watch.Session{
		ID: id, Cwd: cwd, State: watch.Stalled, Kind: k, Message: msg, Attempts: attempts,
		Transcript: "/home/dev/.claude/projects/" + slug(cwd) + "/" + id + ".jsonl",
		Root:       "/home/dev/.claude",
		StalledAt:  at(-errAgo - 2*time.Minute), ErrorAt: at(-errAgo), LastAt: at(-errAgo),
		LastUUID: "u-" + id[:4],
	}
}

func slug(cwd string) string {
	b := []byte(cwd)
	for i, c := range b {
		if c == '/' || c == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}

func act(d time.Duration, id, what, reason, pane string) resume.Action {
	return resume.Action{Time: at(d), SessionID: id, What: what, Reason: reason, Pane: pane}
}

// busySnapshot has one session of every interesting kind and phase.
func busySnapshot() resume.Snapshot {
	usage := stalled(idUsage, "/home/dev/src/billing-service", classify.UsageLimit,
		"You've hit your weekly limit · resets Tue 10:10pm (UTC)", 1, 3*time.Minute)
	usage.Limit = classify.SevenDay
	usage.ResetsAt = time.Date(2026, 11, 24, 22, 10, 0, 0, time.UTC)
	resumed := stalled(idResumed, "/home/dev/src/docs-site", classify.Overloaded, "", 0, 9*time.Minute)
	resumed.State, resumed.Kind = watch.Working, ""
	paused := stalled(idPaused, "/home/dev/work/data-pipeline", classify.RateLimit,
		"API Error: Request rejected (429) · This request would exceed the rate limit for your organization", 3, 20*time.Minute)

	sessions := []resume.Status{
		{
			Session: stalled(idThrottle, "/home/dev/src/ccwake", classify.Throttle,
				"API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited", 2, 40*time.Second),
			Phase: resume.Waiting, ResumeAt: at(23 * time.Second), Pane: "%3", MaxTries: 6,
			Reason: "throttle: backoff 1m3s",
			History: []resume.Action{
				act(-4*time.Minute, idThrottle, "scheduled", "throttle: backoff 30s; resume at 17:01:30", ""),
				act(-3*time.Minute-30*time.Second, idThrottle, "typed", `typed "continue", attempt 1 of 6: guards passed (title)`, "%3"),
				act(-3*time.Minute-28*time.Second, idThrottle, "confirmed", "transcript moved on", "%3"),
				act(-40*time.Second, idThrottle, "scheduled", "throttle: backoff 1m3s; resume at 17:05:23", ""),
			},
		},
		{
			Session: usage, Phase: resume.Waiting, ResumeAt: usage.ResetsAt.Add(30 * time.Second),
			Pane: "%7", MaxTries: 6, Reason: "usage limit resets Tue 22:10",
			History: []resume.Action{act(-3*time.Minute, idUsage, "scheduled", "usage limit resets Tue 22:10; resume at 22:10:30", "")},
		},
		{
			Session: stalled(idFatal, "/home/dev/src/api-gateway", classify.Fatal,
				"Credit balance is too low", 1, 6*time.Minute),
			Phase: resume.Fatal, MaxTries: 6, Pane: "%9", Reason: "credit balance too low: waiting cures nothing",
			History: []resume.Action{
				act(-6*time.Minute, idFatal, "fatal", "credit balance too low: waiting cures nothing", ""),
				act(-5*time.Minute, idFatal, "retry_refused", "waiting does not cure this error", ""),
			},
		},
		{
			Session: stalled(idTyping, "/home/dev/src/frontend", classify.Throttle,
				"API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited", 1, 90*time.Second),
			Phase: resume.Blocked, ResumeAt: at(40 * time.Second), Pane: "%5", MaxTries: 6,
			Reason: "someone is typing in the pane: draft in the input line",
			History: []resume.Action{
				act(-80*time.Second, idTyping, "scheduled", "throttle: backoff 30s; resume at 17:04:10", ""),
				act(-50*time.Second, idTyping, "skipped", "user_typing: draft in the input line", "%5"),
			},
		},
		{
			Session: stalled(idGaveUp, "/srv/ml/trainer", classify.Overloaded,
				"API Error: 529 Overloaded", 6, 12*time.Minute),
			Phase: resume.GaveUp, MaxTries: 6, Pane: "%11", Reason: "6 attempts: giving up",
			History: []resume.Action{act(-12*time.Minute, idGaveUp, "gave_up", "6 attempts: giving up", "")},
		},
		{
			Session: resumed, Phase: resume.Resumed, Pane: "%2", MaxTries: 6,
			History: []resume.Action{
				act(-3*time.Minute, idResumed, "typed", `typed "continue", attempt 1 of 6: guards passed (title)`, "%2"),
				act(-2*time.Minute-55*time.Second, idResumed, "confirmed", "transcript moved on", "%2"),
			},
		},
		{
			Session: paused, Phase: resume.Paused, Pane: "%4", MaxTries: 6, Reason: "paused",
			History: []resume.Action{act(-15*time.Minute, idPaused, "paused", "paused by the user", "")},
		},
		{
			Session: stalled(idNoPane, "/home/dev/scratch", classify.ServerError,
				"API Error: 500 Internal server error", 1, 10*time.Second),
			Phase: resume.Waiting, ResumeAt: at(12*time.Minute + 5*time.Second), MaxTries: 6,
			PaneErr: "no tmux pane runs this session (claude pid 4242 is not in tmux)",
			History: []resume.Action{act(-5*time.Second, idNoPane, "no_pane", "no pane yet: no tmux pane runs this session (claude pid 4242 is not in tmux)", "")},
		},
		{Session: watch.Session{ID: idWorking, Cwd: "/home/dev/src/quiet", State: watch.Working}, Phase: resume.Idle},
		{Session: stalled(idDismiss, "/home/dev/src/hidden", classify.Throttle, "x", 1, time.Minute), Phase: resume.Dismissed},
	}
	var log []resume.Action
	for _, st := range sessions {
		log = append(log, st.History...)
	}
	slices.SortStableFunc(log, func(a, b resume.Action) int { return a.Time.Compare(b.Time) })
	return resume.Snapshot{
		Roots:       []string{"/home/dev/.claude", "/home/dev/.claude-work"},
		Transcripts: 37,
		Auto:        true,
		ResumedDay:  4,
		Sessions:    sessions,
		Log:         log,
		Taken:       testNow,
	}
}

func emptySnapshot() resume.Snapshot {
	return resume.Snapshot{Roots: []string{"/home/dev/.claude"}, Transcripts: 12, Auto: true, Taken: testNow}
}
