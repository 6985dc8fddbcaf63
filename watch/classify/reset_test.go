package classify

import (
	"testing"
	"time"
)

// parseReset is parseResetZone without zoned, for the tables below.
func parseReset(text string, at time.Time, loc *time.Location) (time.Time, bool) {
	t, _, ok := parseResetZone(text, at, loc)
	return t, ok
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestParseReset(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	berlin := mustLoad(t, "Europe/Berlin")
	tokyo := mustLoad(t, "Asia/Tokyo")
	utc := time.UTC
	ts := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name string
		text string
		at   string
		loc  *time.Location
		want string // RFC 3339; "" = no reset
	}{
		// the fixtures
		{"1.0.128 5h", "Session limit reached ∙ resets 5:51pm", "2026-11-22T15:51:25.737Z", utc, "2026-11-22T17:51:00Z"},
		{"1.0.128 7d client in New York", "Weekly limit reached ∙ resets Nov 25, 10:11pm", "2026-11-22T15:51:30.124Z", ny, "2026-11-26T03:11:00Z"},
		{"2.1.100 5h with (UTC)", "You've hit your session limit · resets 5:52pm (UTC)", "2026-11-22T15:52:17.382Z", ny, "2026-11-22T17:52:00Z"},
		{"2.1.145 opus", "You've hit your Opus limit · resets Nov 26, 3:12am (UTC)", "2026-11-22T15:52:34.194Z", utc, "2026-11-26T03:12:00Z"},
		{"2.1.145 7d zone named", "You've hit your weekly limit · resets Nov 25, 10:12pm (America/New_York)", "2026-11-22T15:52:32.958Z", utc, "2026-11-26T03:12:00Z"},
		{"2.0.50 opus, Berlin client", "Opus weekly limit reached ∙ resets Nov 26, 3:12am", "2026-11-22T15:52:00Z", berlin, "2026-11-26T02:12:00Z"},

		// time only: next such time
		{"later today", "resets 5pm", "2026-11-22T10:00:00Z", utc, "2026-11-22T17:00:00Z"},
		{"tomorrow", "resets 9:05am", "2026-11-22T10:00:00Z", utc, "2026-11-23T09:05:00Z"},
		{"midnight", "resets 12am", "2026-11-22T23:10:00Z", utc, "2026-11-23T00:00:00Z"},
		{"noon", "resets 12pm", "2026-11-22T10:00:00Z", utc, "2026-11-22T12:00:00Z"},
		{"p.m. spelled out", "resets 5:51 p.m.", "2026-11-22T15:51:25Z", utc, "2026-11-22T17:51:00Z"},
		{"24-hour clock", "resets 17:51", "2026-11-22T15:51:25Z", utc, "2026-11-22T17:51:00Z"},
		{"same minute is now, not tomorrow", "resets 5:51pm", "2026-11-22T17:51:40Z", utc, "2026-11-22T17:51:00Z"},
		{"a minute past is tomorrow", "resets 5:51pm", "2026-11-22T17:52:00Z", utc, "2026-11-23T17:51:00Z"},
		{"local day differs from UTC day", "resets 1am", "2026-11-22T23:30:00Z", tokyo, "2026-11-23T16:00:00Z"},
		{"zone in text beats loc", "resets 5:00pm (Asia/Tokyo)", "2026-11-22T00:00:00Z", ny, "2026-11-22T08:00:00Z"},
		{"unknown zone falls back to loc", "resets 5:00pm (Mars/Olympus)", "2026-11-22T00:00:00Z", ny, "2026-11-22T22:00:00Z"},
		{"abbreviation is not a zone we trust", "resets 5:00pm (PST)", "2026-11-22T00:00:00Z", utc, "2026-11-22T17:00:00Z"},
		{"path-like zone is ignored", "resets 5:00pm (../../etc/passwd)", "2026-11-22T00:00:00Z", utc, "2026-11-22T17:00:00Z"},

		// DST: America/New_York springs forward 2026-03-08 02:00 and falls back 2026-11-01 02:00
		{"across spring forward", "resets 9am", "2026-03-07T20:00:00Z", ny, "2026-03-08T13:00:00Z"},
		{"in the spring gap", "resets 2:30am", "2026-03-08T05:00:00Z", ny, "2026-03-08T07:30:00Z"},
		{"across fall back", "resets 9am", "2026-10-31T20:00:00Z", ny, "2026-11-01T14:00:00Z"},
		{"fall back, ambiguous hour: first one", "resets 1:30am", "2026-11-01T04:00:00Z", ny, "2026-11-01T05:30:00Z"},
		{"date across DST", "resets Mar 9, 10:00am", "2026-03-01T12:00:00Z", ny, "2026-03-09T14:00:00Z"},

		// dates: next such date
		{"date this year", "resets Nov 25, 10:11pm", "2026-11-22T00:00:00Z", utc, "2026-11-25T22:11:00Z"},
		{"year wrap", "You've hit your weekly limit · resets Jan 1, 12:30am (UTC)", "2026-12-31T20:00:00Z", utc, "2027-01-01T00:30:00Z"},
		{"year wrap, local New Year", "resets Jan 1, 9am", "2026-12-31T23:30:00Z", ny, "2027-01-01T14:00:00Z"},
		{"date in the past is next year", "resets Nov 20, 1pm", "2026-11-22T00:00:00Z", utc, "2027-11-20T13:00:00Z"},
		{"Feb 29 waits for a leap year", "resets Feb 29, 1pm", "2026-11-22T00:00:00Z", utc, "2028-02-29T13:00:00Z"},
		{"full month name", "resets December 3, 4pm", "2026-11-22T00:00:00Z", utc, "2026-12-03T16:00:00Z"},
		{"Sept", "resets Sept 3, 4pm", "2026-08-22T00:00:00Z", utc, "2026-09-03T16:00:00Z"},
		{"explicit year", "resets Nov 25, 2027, 10:11pm", "2026-11-22T00:00:00Z", utc, "2027-11-25T22:11:00Z"},
		{"at before time", "resets Nov 25 at 10:11pm", "2026-11-22T00:00:00Z", utc, "2026-11-25T22:11:00Z"},

		// relative
		{"in hours and minutes", "resets in 2h 30m", "2026-11-22T10:00:00Z", utc, "2026-11-22T12:30:00Z"},
		{"in minutes", "resets in 45 minutes", "2026-11-22T10:00:00Z", utc, "2026-11-22T10:45:00Z"},

		// weekday forms: the next such weekday, today only while still ahead
		{"weekday, 2026-11-22 is a Sunday", "resets Mon 12:00am", "2026-11-22T10:00:00Z", utc, "2026-11-23T00:00:00Z"},
		{"full weekday with zone", "resets Tuesday 9am (UTC)", "2026-11-22T10:00:00Z", ny, "2026-11-24T09:00:00Z"},
		{"weekday is today, still ahead", "resets Sun 5pm", "2026-11-22T10:00:00Z", utc, "2026-11-22T17:00:00Z"},
		{"weekday is today, passed: next week", "resets Sunday 9am", "2026-11-22T10:00:00Z", utc, "2026-11-29T09:00:00Z"},
		{"weekday in the client's zone", "resets Mon 9:00 AM", "2026-11-23T02:00:00Z", ny, "2026-11-23T14:00:00Z"},
		{"weekday with comma", "You've hit your weekly limit · resets Thu, 3:12am", "2026-11-22T10:00:00Z", utc, "2026-11-26T03:12:00Z"},
		{"tomorrow at", "resets tomorrow at 9am", "2026-11-22T10:00:00Z", utc, "2026-11-23T09:00:00Z"},

		// the separators ICU prints before AM/PM, upper case
		{"NNBSP and PM", "resets 5:51 PM", "2026-11-22T15:51:25Z", utc, "2026-11-22T17:51:00Z"},
		{"NBSP and am", "resets 9 am", "2026-11-22T08:00:00Z", utc, "2026-11-22T09:00:00Z"},
		{"space and AM", "resets 11:30 AM (Asia/Colombo)", "2026-11-22T00:00:00Z", utc, "2026-11-22T06:00:00Z"},
		{"bare hour with zone", "You've hit your limit · resets 4pm (Europe/Paris)", "2026-11-22T10:00:00Z", utc, "2026-11-22T15:00:00Z"},
		{"24-hour 15:00", "resets 15:00", "2026-11-22T10:00:00Z", berlin, "2026-11-22T14:00:00Z"},
		{"date at time with zone", "resets May 5 at 9pm (America/New_York)", "2026-04-30T10:00:00Z", utc, "2026-05-06T01:00:00Z"},
		{"Dec 4 at 12:30am", "resets Dec 4 at 12:30am (UTC)", "2026-11-22T10:00:00Z", ny, "2026-12-04T00:30:00Z"},
		{"extra usage", "You're out of extra usage · resets 11:30pm (Asia/Colombo)", "2026-11-22T10:00:00Z", utc, "2026-11-22T18:00:00Z"},

		// relative: entry time + the stated wait
		{"resets in hours and minutes", "resets in 3 hours 15 minutes", "2026-11-22T10:00:00Z", utc, "2026-11-22T13:15:00Z"},
		{"please try again in hours", "Please try again in 5 hours", "2026-11-22T10:00:00Z", utc, "2026-11-22T15:00:00Z"},
		{"try again in minutes", "try again in 15 minutes.", "2026-11-22T10:00:00Z", utc, "2026-11-22T10:15:00Z"},
		{"in 1 hour", "Try again in 1 hour", "2026-11-22T10:00:00Z", utc, "2026-11-22T11:00:00Z"},
		{"in an hour", "try again in an hour", "2026-11-22T10:00:00Z", utc, "2026-11-22T11:00:00Z"},
		{"in 45 min", "resets in 45 min", "2026-11-22T10:00:00Z", utc, "2026-11-22T10:45:00Z"},
		{"in 2h30m", "try again in 2h30m", "2026-11-22T10:00:00Z", utc, "2026-11-22T12:30:00Z"},
		{"in 1 hour and 5 minutes", "retry in 1 hour and 5 minutes", "2026-11-22T10:00:00Z", utc, "2026-11-22T11:05:00Z"},
		{"in 90 seconds", "try again in 90 seconds", "2026-11-22T10:00:00Z", utc, "2026-11-22T10:01:30Z"},
		{"in 2 days", "resets in 2 days", "2026-11-22T10:00:00Z", utc, "2026-11-24T10:00:00Z"},
		{"in a moment is no time", "try again in a moment", "2026-11-22T10:00:00Z", utc, ""},
		{"in unknown units", "try again in 5 parsecs", "2026-11-22T10:00:00Z", utc, ""},

		// nothing usable
		{"no time", "You've hit your limit", "2026-11-22T10:00:00Z", utc, ""},
		{"bare number", "resets 5", "2026-11-22T10:00:00Z", utc, ""},
		{"hour 13pm", "resets 13:00pm", "2026-11-22T10:00:00Z", utc, ""},
		{"minute 61", "resets 5:61pm", "2026-11-22T10:00:00Z", utc, ""},
		{"hour 25", "resets 25:00", "2026-11-22T10:00:00Z", utc, ""},
		{"not a month", "resets Foo 3, 4pm", "2026-11-22T10:00:00Z", utc, ""},
		{"Feb 30", "resets Feb 30, 4pm", "2026-11-22T10:00:00Z", utc, ""},
		{"Feb 30 with year", "resets Feb 30, 2027, 4pm", "2026-11-22T10:00:00Z", utc, ""},
		{"not a weekday", "resets Moon 4pm", "2026-11-22T10:00:00Z", utc, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := parseReset(c.text, ts(c.at), c.loc)
			if c.want == "" {
				if ok {
					t.Fatalf("parseReset(%q) = %v, want none", c.text, got)
				}
				return
			}
			if !ok {
				t.Fatalf("parseReset(%q) found nothing, want %s", c.text, c.want)
			}
			if want := ts(c.want); !got.Equal(want) {
				t.Errorf("parseReset(%q at %s in %s) = %s, want %s", c.text, c.at, c.loc, got.UTC().Format(time.RFC3339), c.want)
			}
		})
	}
}
