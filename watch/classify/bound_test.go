package classify

import (
	"strings"
	"testing"
	"time"
)

// TestBoundResetWindow: a zone-less reset is read in the zone ccwake is
// given (the client machine's local zone); when that puts a five_hour
// reset more than 5 h (a seven_day one more than 7 days) after the error,
// the time was printed in another zone, and the first interpretation that
// fits the window wins, with a note saying why.
func TestBoundResetWindow(t *testing.T) {
	tokyo := mustLoad(t, "Asia/Tokyo")
	la := mustLoad(t, "America/Los_Angeles")
	ts := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name, text, at string
		loc            *time.Location
		want           string
		note           []string // substrings of Note; nil: no note
	}{
		{"5h cap read in the right zone", "Session limit reached ∙ resets 5:50pm", "2026-11-22T15:50:43Z", time.UTC,
			"2026-11-22T17:50:00Z", nil},
		{"5h cap printed in UTC, read in Tokyo", "Session limit reached ∙ resets 5:50pm", "2026-11-22T15:50:43Z", tokyo,
			"2026-11-22T17:50:00Z", []string{"five_hour", "after the error", "UTC"}},
		{"5h cap printed in New York, read in Tokyo: latest fit", "You’ve hit your session limit · resets 12:50pm", "2026-11-22T15:50:43Z", tokyo,
			"2026-11-22T20:50:00Z", []string{"7h earlier"}},
		{"explicit zone that cannot be right: clamped", "You've hit your 5-hour limit · resets 5:52pm (Asia/Tokyo)", "2026-11-22T15:52:00Z", time.UTC,
			"2026-11-22T20:52:00Z", []string{"window ends"}},
		{"weekly cap read in the wrong zone", "Weekly limit reached ∙ resets Nov 30, 10pm", "2026-11-23T20:00:00Z", la,
			"2026-11-30T20:00:00Z", []string{"seven_day", "10h earlier"}},
		{"weekly cap within its window", "You've hit your weekly limit · resets Nov 29, 10pm", "2026-11-23T20:00:00Z", la,
			"2026-11-30T06:00:00Z", nil},
		{"unnamed cap: window unknown, left alone", "You've hit your limit · resets 5:50pm", "2026-11-22T15:50:43Z", tokyo,
			"2026-11-23T08:50:00Z", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := classify(errFields{Text: c.text}, ts(c.at), c.loc)
			if e.Kind != UsageLimit {
				t.Fatalf("kind %q", e.Kind)
			}
			if want := ts(c.want); !e.ResetsAt.Equal(want) {
				t.Errorf("ResetsAt = %s, want %s (note %q)", e.ResetsAt.UTC().Format(time.RFC3339), c.want, e.Note)
			}
			if c.note == nil && e.Note != "" {
				t.Errorf("note %q, want none", e.Note)
			}
			for _, w := range c.note {
				if !strings.Contains(e.Note, w) {
					t.Errorf("note %q lacks %q", e.Note, w)
				}
			}
			if w := window(e.Limit); w > 0 && e.ResetsAt.Sub(ts(c.at)) > w+boundSlack {
				t.Errorf("reset %s beyond the %s window", e.ResetsAt, w)
			}
		})
	}
}
