package ui

import (
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

func TestCountdown(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name   string
		at     time.Time
		resets time.Time
		loc    *time.Location
		want   string
	}{
		{"seconds", at(23 * time.Second), time.Time{}, time.UTC, "0:23"},
		{"rounds up", at(22*time.Second + 100*time.Millisecond), time.Time{}, time.UTC, "0:23"},
		{"last second", at(time.Millisecond), time.Time{}, time.UTC, "0:01"},
		{"due", at(0), time.Time{}, time.UTC, "due"},
		{"overdue", at(-time.Minute), time.Time{}, time.UTC, "due"},
		{"minutes", at(12*time.Minute + 5*time.Second), time.Time{}, time.UTC, "12:05"},
		{"an hour", at(time.Hour), time.Time{}, time.UTC, "60:00"},
		{"later today", at(45 * time.Minute).Add(time.Hour), at(45 * time.Minute).Add(time.Hour), time.UTC, "resets 18:50"},
		{"tomorrow", time.Date(2026, 11, 24, 22, 10, 30, 0, time.UTC), time.Date(2026, 11, 24, 22, 10, 0, 0, time.UTC), time.UTC, "Nov 24 22:10"},
		{"no reset time", at(3 * time.Hour), time.Time{}, time.UTC, "at 20:05"},
		{"in the user's zone", at(3 * time.Hour), at(3 * time.Hour), berlin, "resets 21:05"},
		{"next week", at(8 * 24 * time.Hour), at(8 * 24 * time.Hour), time.UTC, "Dec 1 17:05"},
		{"tomorrow only in the user's zone", at(7 * time.Hour), at(7 * time.Hour), berlin, "Nov 24 01:05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := countdown(testNow, tt.at, tt.resets, tt.loc); got != tt.want {
				t.Errorf("countdown = %q, want %q", got, tt.want)
			}
		})
	}
}

// A time on another day carries its date, past or future: never a bare
// weekday that could read as next week.
func TestClockDatesOtherDays(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{2 * time.Hour, "19:05"},
		{-20 * time.Hour, "Nov 22 21:05"},
		{-3 * 24 * time.Hour, "Nov 20 17:05"},
		{30 * time.Hour, "Nov 24 23:05"},
	} {
		if got := clock(testNow, testNow.Add(c.d), time.UTC); got != c.want {
			t.Errorf("clock(now%+v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestKindLabel(t *testing.T) {
	tests := []struct {
		k    classify.Kind
		l    classify.Limit
		want string
	}{
		{classify.Throttle, "", "throttle"},
		{classify.RateLimit, "", "rate limit"},
		{classify.UsageLimit, classify.FiveHour, "usage 5h"},
		{classify.UsageLimit, classify.SevenDay, "usage 7d"},
		{classify.UsageLimit, classify.SevenDayOpus, "usage opus"},
		{classify.UsageLimit, classify.UnknownLimit, "usage"},
		{classify.Overloaded, "", "overloaded"},
		{classify.ServerError, "", "server err"},
		{classify.Fatal, "", "fatal"},
		{"", "", "-"},
		{"brand_new", "", "brand_new"},
	}
	for _, tt := range tests {
		if got := kindLabel(tt.k, tt.l); got != tt.want {
			t.Errorf("kindLabel(%q, %q) = %q, want %q", tt.k, tt.l, got, tt.want)
		}
	}
}

func TestProject(t *testing.T) {
	tests := map[string]string{
		"/home/dev/src/ccwake":  "src/ccwake",
		"/home/dev/src/ccwake/": "src/ccwake",
		"/srv":                  "srv",
		"/":                     "/",
		"":                      "?",
		"/home/dev/work/an-extremely-long-repo-name": "…mely-long-repo-name",
		"relative/dir/x": "dir/x",
	}
	for in, want := range tests {
		if got := project(in); got != want {
			t.Errorf("project(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTildeHome(t *testing.T) {
	tests := []struct{ path, home, want string }{
		{"/home/dev/.claude", "/home/dev", "~/.claude"},
		{"/home/dev", "/home/dev", "~"},
		{"/home/developer/.claude", "/home/dev", "/home/developer/.claude"},
		{"/etc", "", "/etc"},
		{"/etc", "/", "/etc"},
	}
	for _, tt := range tests {
		if got := tildeHome(tt.path, tt.home); got != tt.want {
			t.Errorf("tildeHome(%q, %q) = %q, want %q", tt.path, tt.home, got, tt.want)
		}
	}
}
