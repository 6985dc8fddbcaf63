package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// Issue 18 item 8: a countdown says "in", so it cannot read as a time of
// day (the old "58:07"); a clock time has its word or its date.
func TestCountdown(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name   string
		at     time.Time
		resets time.Time
		loc    *time.Location
		want   string
	}{
		{"seconds", at(23 * time.Second), time.Time{}, time.UTC, "in 23s"},
		{"rounds up", at(22*time.Second + 100*time.Millisecond), time.Time{}, time.UTC, "in 23s"},
		{"last second", at(time.Millisecond), time.Time{}, time.UTC, "in 1s"},
		{"due", at(0), time.Time{}, time.UTC, "due"},
		{"overdue", at(-time.Minute), time.Time{}, time.UTC, "due"},
		{"minutes and seconds", at(4*time.Minute + 5*time.Second), time.Time{}, time.UTC, "in 4m05s"},
		{"minutes", at(12*time.Minute + 5*time.Second), time.Time{}, time.UTC, "in 13m"},
		{"not a clock", at(58*time.Minute + 7*time.Second), time.Time{}, time.UTC, "in 59m"},
		{"an hour", at(time.Hour), time.Time{}, time.UTC, "in 1h00m"},
		{"later today", at(45 * time.Minute).Add(time.Hour), at(45 * time.Minute).Add(time.Hour), time.UTC, "resets 18:50"},
		{"tomorrow", time.Date(2026, 11, 24, 22, 10, 30, 0, time.UTC), time.Date(2026, 11, 24, 22, 10, 0, 0, time.UTC), time.UTC, "Nov 24 22:10"},
		{"no reset time", at(3 * time.Hour), time.Time{}, time.UTC, "at 20:05"},
		{"in the user's zone", at(3 * time.Hour), at(3 * time.Hour), berlin, "resets 21:05"},
		{"next week", at(8 * 24 * time.Hour), at(8 * 24 * time.Hour), time.UTC, "Dec 1 17:05"},
		{"tomorrow only in the user's zone", at(7 * time.Hour), at(7 * time.Hour), berlin, "Nov 24 01:05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := countdown(testNow, tt.at, tt.resets, nil, tt.loc)
			if got != tt.want {
				t.Errorf("countdown = %q, want %q", got, tt.want)
			}
			if strings.Count(got, ":") == 1 && !strings.HasPrefix(got, "resets ") && !strings.HasPrefix(got, "at ") && !strings.Contains(got, " ") {
				t.Errorf("countdown %q is a bare clock shape", got)
			}
		})
	}
}

// Issue 18 item 8: a reset the message states in another zone is shown in
// that zone, named, in the RESUME cell; the details give both times. A
// reset stated in the user's own zone, or with no zone, is shown as before.
func TestStatedZone(t *testing.T) {
	berlinZ, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	nyZ, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	reset := time.Date(2026, 11, 23, 19, 0, 0, 0, berlinZ) // 18:00 UTC, 55m after testNow
	later := time.Date(2026, 11, 23, 21, 0, 0, 0, berlinZ) // 20:00 UTC
	tests := []struct {
		name, msg string
		reset     time.Time
		loc       *time.Location
		cell      string
		details   string
	}{
		{"Berlin seen from UTC", "You've hit your limit · resets 9pm (Europe/Berlin)", later, time.UTC,
			"resets 21:00 CET", "21:00:00 Europe/Berlin, 20:00:00 here"},
		{"Berlin seen from Berlin", "You've hit your limit · resets 9pm (Europe/Berlin)", later, berlinZ,
			"resets 21:00", "21:00:00"},
		{"New York, another day", "You've hit your weekly limit · resets Nov 25, 10:12pm (America/New_York)",
			time.Date(2026, 11, 25, 22, 12, 0, 0, nyZ), time.UTC, "Wed 22:12 EST", "Wed Nov 25 22:12:00 America/New_York, Nov 26 03:12:00 here"},
		{"no zone", "You've hit your limit · resets 9pm", later, time.UTC, "resets 20:00", "20:00:00"},
		{"unknown zone", "You've hit your limit · resets 9pm (Mars/Olympus)", later, time.UTC, "resets 20:00", "20:00:00"},
		{"soon: a countdown", "You've hit your limit · resets 7pm (Europe/Berlin)", reset, time.UTC, "in 56m", "19:00:00 Europe/Berlin, 18:00:00 here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := busyStatus(idUsage)
			st.Session.Message, st.Session.ResetsAt, st.Session.ResetFromText = tt.msg, tt.reset, true
			st.ResumeAt = tt.reset.Add(time.Minute)
			c := rowCtx{now: testNow, loc: tt.loc, recent: time.Minute, zones: zones{}}
			if got, _ := waitCell(st, c); got != tt.cell {
				t.Errorf("RESUME cell = %q, want %q", got, tt.cell)
			}
			if got := resetStamp(st.Session, detailsCtx{now: testNow, loc: tt.loc, zones: zones{}}); got != tt.details {
				t.Errorf("details reset = %q, want %q", got, tt.details)
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
