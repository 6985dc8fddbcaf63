package notify

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch/classify"
)

// step is one snapshot the Detector sees, at t0+at, and the kinds it must raise.
type step struct {
	at   time.Duration
	snap resume.Snapshot
	want []Kind
}

func TestDetectorOncePerStall(t *testing.T) {
	capA := stalled("aaaa1111", classify.UsageLimit, "err-1", t0)
	capA2 := stalled("aaaa1111", classify.UsageLimit, "err-2", t0.Add(3*time.Hour))
	fatal := stalled("bbbb2222", classify.Fatal, "err-f", t0)
	thr := stalled("cccc3333", classify.Throttle, "err-t", t0)
	reset := t0.Add(3 * time.Hour)
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"usage cap: stalled once, resumed once", []step{
			{0, snapshot(status(capA, resume.Waiting, reset, "usage cap")), []Kind{Stalled}},
			{time.Second, snapshot(status(capA, resume.Waiting, reset, "usage cap")), nil},
			{time.Hour, snapshot(status(capA, resume.Waiting, reset, "usage cap")), nil},
			{3 * time.Hour, snapshot(status(capA, resume.Resuming, reset, "typed")), nil},
			{3*time.Hour + time.Second, snapshot(status(working(capA, "reply", t0.Add(3*time.Hour)), resume.Resumed, time.Time{}, "resumed")), []Kind{Resumed}},
			{4 * time.Hour, snapshot(status(working(capA, "reply", t0.Add(3*time.Hour)), resume.Resumed, time.Time{}, "resumed")), nil},
		}},
		{"a new error of the same session is a new stall", []step{
			{0, snapshot(status(capA, resume.Waiting, reset, "")), []Kind{Stalled}},
			{3 * time.Hour, snapshot(status(capA2, resume.Waiting, reset.Add(5*time.Hour), "")), []Kind{Stalled}},
			{3*time.Hour + time.Minute, snapshot(status(capA2, resume.Waiting, reset.Add(5*time.Hour), "")), nil},
		}},
		{"short backoffs raise nothing, not even resumed", []step{
			{0, snapshot(status(thr, resume.Waiting, t0.Add(20*time.Second), "throttle")), nil},
			{20 * time.Second, snapshot(status(working(thr, "r", t0.Add(21*time.Second)), resume.Resumed, time.Time{}, "")), nil},
		}},
		{"fatal once however often it is seen", []step{
			{0, snapshot(status(fatal, resume.Fatal, time.Time{}, "credit balance")), []Kind{Fatal}},
			{time.Minute, snapshot(status(fatal, resume.Fatal, time.Time{}, "credit balance")), nil},
			{48 * time.Hour, snapshot(status(fatal, resume.Fatal, time.Time{}, "credit balance")), nil},
		}},
		{"gave up and unconfirmed", []step{
			{0, snapshot(status(thr, resume.GaveUp, time.Time{}, "6 attempts"), status(capA, resume.Unconfirmed, time.Time{}, "typed but")), []Kind{GaveUp, Unconfirmed}},
			{time.Minute, snapshot(status(thr, resume.GaveUp, time.Time{}, "6 attempts"), status(capA, resume.Unconfirmed, time.Time{}, "typed but")), nil},
		}},
		{"blocked only after BlockedAfter, measured by the clock", []step{
			{0, snapshot(status(thr, resume.Blocked, time.Time{}, "no pane for this session")), nil},
			{4*time.Minute + 59*time.Second, snapshot(status(thr, resume.Blocked, time.Time{}, "no pane for this session")), nil},
			{5 * time.Minute, snapshot(status(thr, resume.Blocked, time.Time{}, "no pane for this session")), []Kind{Blocked}},
			{20 * time.Minute, snapshot(status(thr, resume.Blocked, time.Time{}, "no pane for this session")), nil},
		}},
		{"a blocked streak ends when the session waits again", []step{
			{0, snapshot(status(thr, resume.Blocked, time.Time{}, "user typing")), nil},
			{4 * time.Minute, snapshot(status(thr, resume.Waiting, t0.Add(5*time.Minute), "")), nil},
			{6 * time.Minute, snapshot(status(thr, resume.Blocked, time.Time{}, "user typing")), nil},
			{10 * time.Minute, snapshot(status(thr, resume.Blocked, time.Time{}, "user typing")), nil},
			{11 * time.Minute, snapshot(status(thr, resume.Blocked, time.Time{}, "user typing")), []Kind{Blocked}},
		}},
		{"blocked, then resumed: the all-clear follows", []step{
			{0, snapshot(status(thr, resume.Blocked, time.Time{}, "dialog")), nil},
			{6 * time.Minute, snapshot(status(thr, resume.Blocked, time.Time{}, "dialog")), []Kind{Blocked}},
			{7 * time.Minute, snapshot(status(working(thr, "r", t0.Add(7*time.Minute)), resume.Resumed, time.Time{}, "")), []Kind{Resumed}},
		}},
		{"a human fixed it: no resumed, and the next stall starts clean", []step{
			{0, snapshot(status(capA, resume.Waiting, reset, "")), []Kind{Stalled}},
			{time.Minute, snapshot(status(working(capA, "typed-by-human", t0.Add(time.Minute)), resume.Idle, time.Time{}, "")), nil},
			{2 * time.Minute, snapshot(status(working(capA, "typed-by-human", t0.Add(time.Minute)), resume.Resumed, time.Time{}, "")), nil},
		}},
		{"auto-resume off still tells a long wait", []step{
			{0, snapshot(status(capA, resume.Watching, reset, "auto-resume is off")), []Kind{Stalled}},
		}},
		{"another ccwake holds the lock: it tells, this one stays quiet", []step{
			{0, resume.Snapshot{LockHeldBy: "pid 42", Sessions: []resume.Status{status(fatal, resume.Fatal, time.Time{}, "")}}, nil},
		}},
		{"reopened from the engine's action, once", []step{
			{0, snapshot(status(capA, resume.Resuming, time.Time{}, "")), nil},
			{time.Minute, snapshot(withHistory(status(capA, resume.Resuming, time.Time{}, ""), resume.Action{Time: t0.Add(time.Minute), What: "reopened", Reason: "claude --resume aaaa1111 in a new tmux window"})), []Kind{Reopened}},
			{2 * time.Minute, snapshot(withHistory(status(capA, resume.Resuming, time.Time{}, ""), resume.Action{Time: t0.Add(time.Minute), What: "reopened", Reason: "x"})), nil},
		}},
		{"needs a human (reopen refused): blocked at once, not again after BlockedAfter", []step{
			{0, snapshot(status(capA, resume.Blocked, time.Time{}, "no pane")), nil},
			{time.Minute, snapshot(withHistory(status(capA, resume.Blocked, time.Time{}, cwdGone), resume.Action{Time: t0.Add(time.Minute), What: "needs_human", Reason: cwdGone})), []Kind{Blocked}},
			{10 * time.Minute, snapshot(withHistory(status(capA, resume.Blocked, time.Time{}, cwdGone), resume.Action{Time: t0.Add(time.Minute), What: "needs_human", Reason: cwdGone})), nil},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDetector(Config{Host: "box"}, t0)
			for i, s := range tc.steps {
				got := kinds(d.Detect(s.snap, t0.Add(s.at)))
				if !slices.Equal(got, s.want) {
					t.Fatalf("step %d (t0+%s): got %v, want %v", i, s.at, got, s.want)
				}
			}
		})
	}
}

// cwdGone is the engine's reason when a session's cwd is gone.
const cwdGone = "no pane, and not reopening: the session's cwd no longer exists: /home/ann/src/x was moved or deleted; it needs you: resume it by hand where it lives now"

// The needs-human notification says why, in the message a human reads.
func TestDetectorNeedsHumanSaysWhy(t *testing.T) {
	s := stalled("aaaa1111", classify.Throttle, "e1", t0)
	d := NewDetector(Config{Host: "box"}, t0)
	evs := d.Detect(snapshot(withHistory(status(s, resume.Blocked, time.Time{}, cwdGone),
		resume.Action{Time: t0.Add(time.Second), What: "needs_human", Reason: cwdGone})), t0.Add(time.Second))
	if len(evs) != 1 || evs[0].Event != Blocked || !strings.Contains(evs[0].Message, "needs you") ||
		!strings.Contains(evs[0].Message, "was moved or deleted") || evs[0].Reason != cwdGone {
		t.Fatalf("events %+v, want one blocked event that says the cwd is gone", evs)
	}
}

func withHistory(st resume.Status, a ...resume.Action) resume.Status {
	st.History = a
	return st
}

func TestDetectorSkipsTheBacklog(t *testing.T) {
	old := stalled("dddd4444", classify.Fatal, "old", t0.Add(-3*time.Hour))
	fresh := stalled("eeee5555", classify.Fatal, "new", t0.Add(-10*time.Minute))
	d := NewDetector(Config{}, t0)
	evs := d.Detect(snapshot(status(old, resume.Fatal, time.Time{}, ""), status(fresh, resume.Fatal, time.Time{}, "")), t0)
	if len(evs) != 1 || evs[0].SessionID != fresh.ID {
		t.Fatalf("want only the fresh stall, got %+v", evs)
	}
}

func TestDetectorEventFields(t *testing.T) {
	s := stalled("ffff6666-long-id", classify.UsageLimit, "u1", t0)
	s.Limit = classify.FiveHour
	reset := t0.Add(2*time.Hour + 30*time.Minute)
	d := NewDetector(Config{Host: "box", Loc: time.UTC}, t0)
	evs := d.Detect(snapshot(status(s, resume.Waiting, reset, "usage cap resets 11:30")), t0)
	if len(evs) != 1 {
		t.Fatalf("got %d events", len(evs))
	}
	ev := evs[0]
	want := Event{Time: t0, Host: "box", Event: Stalled, SessionID: s.ID, Project: "ffff6666-long-id", Cwd: s.Cwd,
		Kind: "usage_limit", Limit: "five_hour", Error: s.Message, ResumeAt: reset, Pane: "%3", Reason: "usage cap resets 11:30"}
	got := ev
	got.Title, got.Message, got.key = "", "", key{}
	if got != want {
		t.Fatalf("fields:\n got %+v\nwant %+v", got, want)
	}
	for _, sub := range []string{"ffff6666", "usage limit", "11:30", "2h30m"} {
		if !strings.Contains(ev.Title+" "+ev.Message, sub) {
			t.Errorf("title/message %q lacks %q", ev.Title+" | "+ev.Message, sub)
		}
	}
}

// TestDetectorMemoryIsBounded runs thousands of stalls through one Detector:
// what it remembers follows the live sessions, not the history.
func TestDetectorMemoryIsBounded(t *testing.T) {
	d := NewDetector(Config{}, t0)
	now := t0
	for i := range 5000 {
		now = now.Add(time.Second)
		// three live sessions, each on a new fatal error every step; a
		// different trio every 10 steps (the old ones are gone)
		var sts []resume.Status
		for j := range 3 {
			id := fmt.Sprintf("s%d-%d", i/10, j)
			sts = append(sts, status(stalled(id, classify.Fatal, fmt.Sprintf("e%d", i), now), resume.Fatal, time.Time{}, ""))
		}
		if got := len(d.Detect(snapshot(sts...), now)); got != 3 {
			t.Fatalf("step %d: %d events, want 3 (a new error each)", i, got)
		}
		if len(d.sent) > 3 || len(d.sessions) > 3 {
			t.Fatalf("step %d: remembers %d keys and %d sessions for 3 live sessions", i, len(d.sent), len(d.sessions))
		}
	}
	// Thousands of working sessions and the last trio back at work: nothing
	// left to remember.
	var sts []resume.Status
	for j := range 3000 {
		s := stalled(fmt.Sprintf("s%d-%d", 499, j), classify.Fatal, "x", now)
		sts = append(sts, status(working(s, "reply", now), resume.Idle, time.Time{}, ""))
	}
	if evs := d.Detect(snapshot(sts...), now.Add(time.Second)); len(evs) != 0 || len(d.sessions) != 0 || len(d.sent) != 0 {
		t.Fatalf("after the stalls ended: %d events, %d sessions, %d keys remembered", len(evs), len(d.sessions), len(d.sent))
	}
}
