package resume

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

func TestSessionGoneForgotten(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	s := stall("s1", "e1", classify.RateLimit, 1, t0)
	h.send(s)
	h.events <- watch.Event{Kind: watch.SessionGone, Session: s}
	h.events <- watch.Event{Kind: watch.Warning, Err: errors.New("read /t/x.jsonl: permission denied")}
	h.advance(time.Hour)
	h.wantCalls("", 0)
	snap := h.e.Snapshot()
	if len(snap.Sessions) != 0 || snap.Transcripts != 0 {
		t.Fatalf("sessions %v", snap.Sessions)
	}
	if !hasAction(snap.Log, "warning") {
		t.Fatalf("log %v", whats(snap.Log))
	}
}

// TestSnapshotListsSessionsWorthShowing: a Snapshot carries the sessions
// the dashboard, serve and jump can show (stalled, held, acted on), not the
// thousands that only work; Transcripts still counts every one.
func TestSnapshotListsSessionsWorthShowing(t *testing.T) {
	h := newHarness(t, nil)
	for i := range 50 {
		h.send(working(stall(fmt.Sprintf("w%d", i), "x", classify.Throttle, 1, t0), "a", t0))
	}
	h.send(stall("wait", "e1", classify.RateLimit, 6, t0))
	h.settle()
	snap := h.e.Snapshot()
	if snap.Transcripts != 51 || len(snap.Sessions) != 1 || snap.Sessions[0].Session.ID != "wait" {
		var ids []string
		for _, st := range snap.Sessions {
			ids = append(ids, st.Session.ID)
		}
		t.Fatalf("transcripts %d, sessions %v; want 51, [wait]", snap.Transcripts, ids)
	}
	h.e.Pause("w7", true) // the user held a working session: now it has something to show
	h.settle()
	h.wantPhase("w7", Paused)
	if n := len(h.e.Snapshot().Sessions); n != 2 {
		t.Fatalf("%d sessions listed, want 2", n)
	}
}

func TestListed(t *testing.T) {
	stalled := watch.Session{State: watch.Stalled}
	for _, c := range []struct {
		name string
		st   Status
		want bool
	}{
		{"working, idle", Status{Phase: Idle}, false},
		{"working, watching", Status{Phase: Watching}, false},
		{"no phase yet", Status{}, false},
		{"stalled", Status{Session: stalled, Phase: Idle}, true},
		{"stalled, dismissed", Status{Session: stalled, Phase: Dismissed}, true},
		{"paused", Status{Phase: Paused}, true},
		{"resumed", Status{Phase: Resumed}, true},
		{"with history", Status{Phase: Idle, History: []Action{{What: "resumed"}}}, true},
		{"with a pane", Status{Phase: Idle, Pane: "tmux:%1"}, true},
	} {
		if got := listed(&c.st); got != c.want {
			t.Errorf("%s: listed %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSnapshotSortsAttentionFirstAndBoundsLogs(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.HistoryLen, c.LogLen = 3, 5 })
	h.actor.addPane("ok", "%1")
	h.send(working(stall("idle", "x", classify.Throttle, 1, t0), "a", t0))
	h.send(stall("wait", "e1", classify.RateLimit, 6, t0))
	h.send(stall("fatal", "e2", classify.Fatal, 1, t0))
	h.send(stall("gone", "e3", classify.Throttle, 1, t0)) // no pane: blocked
	h.advance(2 * time.Second)
	var got []string
	for _, st := range h.e.Snapshot().Sessions {
		got = append(got, st.Session.ID+"="+string(st.Phase))
	}
	// idle works again and nothing was done for it: not listed (counted only).
	want := []string{"fatal=fatal", "gone=blocked", "wait=waiting"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	for i := range 10 {
		h.e.Pause("idle", i%2 == 0)
	}
	h.settle()
	snap := h.e.Snapshot()
	if len(snap.Log) != 5 {
		t.Fatalf("log holds %d, want 5", len(snap.Log))
	}
	if n := len(h.status("idle").History); n != 3 {
		t.Fatalf("history holds %d, want 3", n)
	}
}

func TestChangesCoalesce(t *testing.T) {
	h := newHarness(t, nil)
	for i := range 10 {
		h.send(stall("s", uuidN(i), classify.Fatal, 1, t0))
	}
	n := 0
	for {
		select {
		case <-h.e.Changes():
			n++
			continue
		default:
		}
		break
	}
	if n != 1 {
		t.Fatalf("%d pending change signals, want 1 (coalesced)", n)
	}
}

// An idle engine arms no timer: nothing to do means no wake-ups.
func TestIdleArmsNoTimer(t *testing.T) {
	h := newHarness(t, nil)
	h.send(working(stall("s", "x", classify.Throttle, 1, t0), "a", t0))
	if !h.nextDue().IsZero() {
		t.Fatal("an idle engine has something due")
	}
	if n := len(h.clock.Pending()); n != 0 {
		t.Fatalf("%d timers armed while idle", n)
	}
}
