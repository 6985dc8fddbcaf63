package classify

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/ccwake/ccwake/internal/jsondepth"
)

// fixtureLines returns every line of every transcript under
// testdata/transcripts (the real ones and the hand-made extra/ ones).
func fixtureLines(t testing.TB) [][]byte {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.jsonl", "extra/*.jsonl"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "testdata", "transcripts", pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 38 {
		t.Fatalf("found only %d fixture transcripts", len(files))
	}
	var lines [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for l := range bytes.SplitSeq(b, []byte("\n")) {
			if len(l) > 0 {
				lines = append(lines, l)
			}
		}
	}
	return lines
}

var knownKinds = map[Kind]bool{Throttle: true, RateLimit: true, UsageLimit: true, Overloaded: true, ServerError: true, Fatal: true}

// FuzzParse feeds Parse arbitrary lines. It must never panic, must reject
// exactly what is not one JSON object, and what it returns must keep the
// Entry's promises (bounded, valid UTF-8, consistent kinds). For plain
// lines it also agrees with gjson on the fields both read.
func FuzzParse(f *testing.F) {
	for _, l := range fixtureLines(f) {
		f.Add(l)
	}
	f.Add([]byte(`{"type":"assistant","isApiErrorMessage":true,"message":{"content":"Claude AI usage limit reached|0"}}`))
	f.Add([]byte(`{"type":"user","message":{"content":"\ud83d\ude00 continue"}}`))
	f.Add([]byte(`{"type":"user","timestamp":"2026-11-22T23:40:12.120Z","message":{"content":[{"type":"tool_result","content":"Agent terminated early due to an API error: You've hit your session limit · resets 3:20am (Europe/Brussels)"}]}}`))
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := Parse(line, ny)
		// Deeper than jsondepth.Max is rejected before gjson (whose
		// recursion it would overflow), so check that first here too.
		valid := jsondepth.Check(line, jsondepth.Max) == nil && gjson.ValidBytes(line) && bytes.HasPrefix(bytes.TrimLeft(line, " \t\r\n"), []byte("{"))
		if err != nil {
			if !errors.Is(err, ErrNotJSON) || e != (Entry{}) {
				t.Fatalf("error %v with entry %+v", err, e)
			}
			if valid {
				t.Fatalf("rejected a valid object: %v", err)
			}
			return
		}
		if !valid {
			t.Fatalf("accepted a line that is not one JSON object: %+v", e)
		}
		wantRole := map[string]Role{"user": User, "assistant": Assistant}[e.Type]
		if e.Role != wantRole {
			t.Fatalf("role %v for type %q", e.Role, e.Type)
		}
		if len(e.Text) > maxText || !utf8.ValidString(e.Text) || (e.Text != "" && e.Role != User) {
			t.Fatalf("bad Text %q (role %v)", e.Text, e.Role)
		}
		if e.AgentErr != nil && (e.Role != User || !knownKinds[e.AgentErr.Kind] || len(e.AgentErr.Message) > maxToolText) {
			t.Fatalf("AgentErr %+v on role %v", e.AgentErr, e.Role)
		}
		if e.Err != nil {
			if e.Role != Assistant || !knownKinds[e.Err.Kind] {
				t.Fatalf("Err %+v on role %v", e.Err, e.Role)
			}
			if (e.Err.Limit != "") != (e.Err.Kind == UsageLimit) {
				t.Fatalf("limit %q with kind %q", e.Err.Limit, e.Err.Kind)
			}
			if !e.Err.ResetsAt.IsZero() && !e.Err.Kind.Retryable() {
				t.Fatalf("reset on a %q", e.Err.Kind)
			}
			if len(e.Err.Message) > maxMessage || !utf8.ValidString(e.Err.Message) {
				t.Fatalf("bad Message (%d bytes)", len(e.Err.Message))
			}
		}
		// Agreement with gjson where both are well defined: valid UTF-8,
		// no escapes anywhere, each key once.
		if !utf8.Valid(line) || bytes.IndexByte(line, '\\') >= 0 {
			return
		}
		for _, c := range []struct{ key, got string }{{"type", e.Type}, {"uuid", e.UUID}, {"sessionId", e.SessionID}, {"cwd", e.Cwd}} {
			if bytes.Count(line, []byte(`"`+c.key+`"`)) != 1 {
				continue
			}
			r := gjson.GetBytes(line, c.key)
			if r.Type == gjson.String && len(r.Str) <= maxField && r.Str != c.got {
				t.Fatalf("%s = %q, gjson says %q", c.key, c.got, r.Str)
			}
		}
	})
}

var yearRE = regexp.MustCompile(`\d{4}`)

// FuzzResetTime feeds parseReset arbitrary texts (absolute, weekday and
// relative forms), instants and zones. It must never panic, and a reset
// without an explicit year must lie after one minute before the entry and
// within the eight years a Feb 29 may need.
func FuzzResetTime(f *testing.F) {
	zones := []*time.Location{time.UTC}
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia"} {
		z, err := time.LoadLocation(name)
		if err != nil {
			f.Fatal(err)
		}
		zones = append(zones, z)
	}
	base := time.Date(2026, 11, 22, 15, 51, 25, 0, time.UTC).Unix()
	for _, s := range []string{
		"Session limit reached ∙ resets 5:51pm",
		"Weekly limit reached ∙ resets Nov 25, 10:11pm",
		"You've hit your weekly limit · resets Nov 25, 10:12pm (America/New_York)",
		"You've hit your Opus limit · resets Nov 26, 3:12am (UTC)",
		"resets Feb 29, 1pm",
		"resets Jan 1, 12:30am (Pacific/Apia)",
		"resets 2:30am",
		"resets in 2h 30m",
		"resets 17:51",
		"resets 5:51 p.m. (Bad/Zone)",
		"resets Mon 12:00am",
		"resets Tuesday 9am (UTC)",
		"resets tomorrow at 9\u202fAM",
		"resets in 3 hours 15 minutes",
		"Please try again in 5 hours",
		"try again in 2h30m, or in 1 day and 4 secs",
		"You're out of extra usage · resets 11:30\u202fPM (Asia/Colombo)",
		"resets May 5 at 9pm (Europe/Paris)",
		"resets Dec 4 at 12:30\u00a0am",
		"You’ve hit your limit · resets 4pm",
	} {
		f.Add(s, base, uint8(0))
		f.Add(s, base+200*86400, uint8(1))
	}
	f.Fuzz(func(t *testing.T, text string, at int64, zone uint8) {
		tm := time.Unix(at, 0)
		got, ok := parseReset(text, tm, zones[int(zone)%len(zones)])
		if !ok || yearRE.MatchString(text) {
			return
		}
		if tm.Year() < 1 || tm.Year() > 9000 {
			return // beyond the calendar arithmetic's range; only no-panic matters
		}
		if !got.After(tm.Add(-time.Minute)) {
			t.Fatalf("parseReset(%q, %v) = %v: before the entry", text, tm, got)
		}
		if got.After(tm.AddDate(9, 0, 0)) {
			t.Fatalf("parseReset(%q, %v) = %v: too far", text, tm, got)
		}
	})
}

// FuzzClassify feeds the error classifier arbitrary texts and structured
// fields: never a panic, always a known kind, a limit exactly for usage
// caps, a reset only for them.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"Claude AI usage limit reached|0",
		"Claude AI usage limit reached|1795662692",
		"Session limit reached ∙ resets 5:51pm",
		"You've hit your weekly limit · resets Nov 25, 10:12pm (America/New_York)",
		"API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited",
		`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`,
		"Credit balance is too low",
		"You've hit your spend limit",
		"You've reached your Opus limit. Run /usage-credits to continue or switch models with /model.",
		"You're out of extra usage · resets 11:30pm (Asia/Colombo)",
		"API Error: Your computer went to sleep mid-response. The response above may be incomplete.",
		"Session limit reached ∙ resets Mon 5:51pm",
		"API Error: 429 Please try again in 15 minutes",
	} {
		f.Add(s, "rate_limit", 429, "rate_limit_error", false, "five_hour", int64(1795369843))
	}
	at := time.Date(2026, 11, 22, 15, 51, 25, 0, time.UTC)
	tokyo, err := time.LoadLocation("Asia/Tokyo") // a zone other than the texts', so the window bound is exercised
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, errField string, status int, typ string, transient bool, limitType string, resetsAt int64) {
		fs := errFields{Text: text, Error: errField, Status: status, Type: typ, Transient: transient}
		if limitType != "" {
			fs.Info = quotaInfo{Status: "rejected", Type: limitType, ResetsAt: resetsAt}
		}
		e := classify(fs, at, tokyo)
		if !knownKinds[e.Kind] || (e.Limit != "") != (e.Kind == UsageLimit) || (!e.ResetsAt.IsZero() && !e.Kind.Retryable()) {
			t.Fatalf("classify(%+v) = %+v", fs, e)
		}
		if w := window(e.Limit); e.ResetFromText && w > 0 && e.ResetsAt.Sub(at) > w+boundSlack {
			t.Fatalf("classify(%q) reset %v is beyond the %s window of %s", text, e.ResetsAt, w, e.Limit)
		}
		if e.Kind == Fatal && e.Limit != "" {
			t.Fatalf("fatal with limit %q", e.Limit)
		}
		if e.Message != text {
			t.Fatalf("message %q, want %q", e.Message, text)
		}
	})
}
