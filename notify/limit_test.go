package notify

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func evs(k Kind, n int) []Event {
	var out []Event
	for i := range n {
		out = append(out, Event{Event: k, Title: fmt.Sprintf("%s %d", k, i)})
	}
	return out
}

func TestLimiterCoalescesAStorm(t *testing.T) {
	l := NewLimiter(3, time.Minute, "box")
	// A storm: 2 fatal + 5 blocked at once. Three go out, four are held.
	got := l.Admit(append(evs(Fatal, 2), evs(Blocked, 5)...), t0)
	if want := []Kind{Fatal, Fatal, Blocked}; !slices.Equal(kinds(got), want) {
		t.Fatalf("first burst: %v, want %v", kinds(got), want)
	}
	if l.Held() != 4 {
		t.Fatalf("held %d, want 4", l.Held())
	}
	// Within the window nothing more goes out, and new events join the held.
	if got := l.Admit(evs(GaveUp, 1), t0.Add(59*time.Second)); len(got) != 0 {
		t.Fatalf("inside the window: %v", kinds(got))
	}
	// The window passes: one summary for all five, then room again.
	got = l.Admit(nil, t0.Add(time.Minute))
	if len(got) != 1 || got[0].Event != Summary || got[0].Count != 5 {
		t.Fatalf("after the window: %+v", got)
	}
	if s := got[0]; !strings.Contains(s.Message, "4 blocked") || !strings.Contains(s.Message, "1 gave_up") || s.Host != "box" || !strings.Contains(s.Title, "5 more") {
		t.Errorf("summary: %q / %q", s.Title, s.Message)
	}
	if l.Held() != 0 {
		t.Fatalf("held after summary: %d", l.Held())
	}
	got = l.Admit(evs(Stalled, 3), t0.Add(time.Minute+time.Second))
	if want := []Kind{Stalled, Stalled}; !slices.Equal(kinds(got), want) {
		t.Fatalf("after the summary (one slot used by it): %v, want %v", kinds(got), want)
	}
}

// TestLimiterNeverMoreThanMaxPerWindow drives a steady flood and checks the
// sliding window at every instant.
func TestLimiterNeverMoreThanMaxPerWindow(t *testing.T) {
	const max, window = 5, time.Minute
	l := NewLimiter(max, window, "")
	var sent []time.Time
	in, out := 0, 0
	for i := range 1000 {
		now := t0.Add(time.Duration(i) * 7 * time.Second)
		for _, ev := range l.Admit(evs(Blocked, 3), now) {
			sent = append(sent, now)
			if ev.Event == Summary {
				out += ev.Count
			} else {
				out++
			}
		}
		in += 3
		n := 0
		for _, s := range sent {
			if s.After(now.Add(-window)) {
				n++
			}
		}
		if n > max {
			t.Fatalf("at %s: %d sent within the window, max %d", now.Sub(t0), n, max)
		}
	}
	if out+l.Held() != in {
		t.Fatalf("lost events: %d in, %d out, %d held", in, out, l.Held())
	}
	if len(l.titles) > maxSummaryTitles || len(l.held) > 1 {
		t.Fatalf("held state grew: %d titles, %d kinds", len(l.titles), len(l.held))
	}
}
