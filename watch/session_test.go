package watch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// fixture is one row of testdata/transcripts/index.json (the answer key of
// the real transcripts) or of extra/index.json (hand-made cases).
type fixture struct {
	File         string  `json:"file"`
	Kind         string  `json:"kind"`
	Limit        string  `json:"limit"`
	ClientTZ     string  `json:"client_tz"`
	StalledAtEnd bool    `json:"stalled_at_end"`
	Errors       int     `json:"errors"`
	LastErrText  string  `json:"last_error_text"`
	LastErrTime  *string `json:"last_error_timestamp"`
	ParseErrors  int     `json:"parse_errors"`
	// Attempts is the stall's attempt count where it differs from Errors
	// (a normal reply between errors starts the count again).
	Attempts *int   `json:"attempts"`
	Note     string `json:"note"`
	// Agent: the stall is a usage cap a subagent hit (a sidechain error or
	// a tool_result reporting it); last_error_* describe that error, and
	// the main thread holds no API error.
	Agent bool `json:"agent"`
}

// honestLimit overrides the answer key where the transcript cannot tell what
// the mock did. ≤ 1.0.128 printed every usage cap as "Claude AI usage limit
// reached|<epoch>": the mock hit seven_day_opus, but nothing in the file
// says which cap it was, so the classifier reports UnknownLimit.
var honestLimit = map[string]classify.Limit{
	"v1.0.128-oauth-7d-opus.jsonl": classify.UnknownLimit,
}

const transcripts = "../testdata/transcripts"

// loadFixtures reads both indexes; File is relative to testdata/transcripts.
func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	var all []fixture
	for _, idx := range []string{"index.json", "extra/index.json"} {
		b, err := os.ReadFile(filepath.Join(transcripts, idx))
		if err != nil {
			t.Fatal(err)
		}
		var fs []fixture
		if err := json.Unmarshal(b, &fs); err != nil {
			t.Fatalf("%s: %v", idx, err)
		}
		for i := range fs {
			fs[i].File = filepath.ToSlash(filepath.Join(filepath.Dir(idx), fs[i].File))
		}
		all = append(all, fs...)
	}
	if len(all) < 38 {
		t.Fatalf("only %d fixtures indexed", len(all))
	}
	return all
}

// loadResets reads the hand-computed reset times.
func loadResets(t *testing.T) map[string]*time.Time {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(transcripts, "resets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]*time.Time
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// line is one transcript line and the offset it starts at.
type line struct {
	off  int64
	text []byte
}

// readLines splits a transcript into lines, keeping a last line that lacks
// its newline (a writer caught mid-line).
func readLines(t *testing.T, path string) []line {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []line
	for off := 0; off < len(b); {
		n := bytes.IndexByte(b[off:], '\n')
		if n < 0 {
			n = len(b) - off
		}
		out = append(out, line{int64(off), b[off : off+n]})
		off += n + 1
	}
	return out
}

// parsed is an entry and where it was read.
type parsed struct {
	off int64
	e   classify.Entry
}

// foldFixture parses every line in loc and folds them in file order,
// returning the entries, the number of lines that did not parse, the
// Session after the last line and the most attempts seen at any point.
func foldFixture(t *testing.T, path string, loc *time.Location) (entries []parsed, bad int, s Session, maxAttempts int) {
	t.Helper()
	tr := NewTracker("/root", path)
	for _, l := range readLines(t, path) {
		e, err := classify.Parse(l.text, loc)
		if err != nil {
			bad++
			continue
		}
		entries = append(entries, parsed{l.off, e})
		tr.AddAt(e, l.off)
		maxAttempts = max(maxAttempts, tr.Session().Attempts)
	}
	return entries, bad, tr.Session(), maxAttempts
}

func TestFixtures(t *testing.T) {
	resets := loadResets(t)
	for _, fx := range loadFixtures(t) {
		t.Run(fx.File, func(t *testing.T) {
			loc, err := time.LoadLocation(fx.ClientTZ)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(transcripts, fx.File)
			entries, bad, s, maxAttempts := foldFixture(t, path, loc)
			if bad != fx.ParseErrors {
				t.Errorf("%d lines failed to parse, want %d", bad, fx.ParseErrors)
			}

			// The newest main-thread API error, by timestamp.
			var last *parsed
			errs := 0
			for i := range entries {
				p := &entries[i]
				if p.e.Err == nil || p.e.Sidechain {
					continue
				}
				errs++
				if last == nil || p.e.Time.After(last.e.Time) {
					last = p
				}
			}
			if errs != fx.Errors {
				t.Errorf("%d main-thread errors, want %d", errs, fx.Errors)
			}
			wantLimit := classify.Limit(fx.Limit)
			if l, ok := honestLimit[fx.File]; ok {
				wantLimit = l
			}
			if fx.Errors > 0 {
				if last == nil {
					t.Fatal("no error entry found")
				}
				if got := last.e.Err; got.Kind != classify.Kind(fx.Kind) || got.Limit != wantLimit {
					t.Errorf("last error: kind %q limit %q, want %q %q", got.Kind, got.Limit, fx.Kind, wantLimit)
				}
				if last.e.Err.Message != fx.LastErrText {
					t.Errorf("last error text %q, want %q", last.e.Err.Message, fx.LastErrText)
				}
				if fx.LastErrTime == nil || last.e.Time.Format("2006-01-02T15:04:05.000Z") != *fx.LastErrTime {
					t.Errorf("last error at %v, want %v", last.e.Time, fx.LastErrTime)
				}
			}
			// Every error of a stall (i- files: before its continue) was
			// counted as an attempt at some point.
			wantAttempts := fx.Errors
			if fx.Attempts != nil {
				wantAttempts = *fx.Attempts
			}
			if maxAttempts != wantAttempts {
				t.Errorf("at most %d attempts seen, want %d", maxAttempts, wantAttempts)
			}

			wantReset, ok := resets[fx.File]
			if !ok {
				t.Fatalf("%s missing from resets.json", fx.File)
			}
			if s.Agent != fx.Agent {
				t.Errorf("Agent %v, want %v", s.Agent, fx.Agent)
			}
			if fx.Agent {
				// A subagent's cap: the stall fields describe it, while the
				// main thread's newest entry stays the last one.
				want, _ := time.Parse(time.RFC3339Nano, *fx.LastErrTime)
				if s.State != Stalled || s.Kind != classify.Kind(fx.Kind) || s.Limit != wantLimit || s.Message != fx.LastErrText ||
					s.Attempts != wantAttempts || !s.ErrorAt.Equal(want) || !s.StalledAt.Equal(want) {
					t.Errorf("agent stall: %+v", s)
				}
				if wantReset == nil || !s.ResetsAt.Equal(*wantReset) {
					t.Errorf("ResetsAt %v, want %v", s.ResetsAt.UTC(), wantReset)
				}
				if s.LastUUID == "" || s.LastAt.After(s.ErrorAt) {
					t.Errorf("LastUUID %q LastAt %v: the main thread must be idle since the cap", s.LastUUID, s.LastAt)
				}
			} else if fx.StalledAtEnd {
				if s.State != Stalled {
					t.Fatalf("state %q, want stalled", s.State)
				}
				if s.Kind != classify.Kind(fx.Kind) || s.Limit != wantLimit || s.Message != fx.LastErrText {
					t.Errorf("session %q %q %q, want %q %q %q", s.Kind, s.Limit, s.Message, fx.Kind, wantLimit, fx.LastErrText)
				}
				if s.Attempts != wantAttempts {
					t.Errorf("attempts %d, want %d", s.Attempts, wantAttempts)
				}
				if !s.ErrorAt.Equal(last.e.Time) || s.LastUUID != last.e.UUID || !s.LastAt.Equal(last.e.Time) {
					t.Errorf("ErrorAt %v LastUUID %s LastAt %v, want the last error %v %s", s.ErrorAt, s.LastUUID, s.LastAt, last.e.Time, last.e.UUID)
				}
				if s.StalledAt.After(s.ErrorAt) {
					t.Errorf("StalledAt %v after ErrorAt %v", s.StalledAt, s.ErrorAt)
				}
				switch {
				case wantReset == nil && !s.ResetsAt.IsZero():
					t.Errorf("ResetsAt %v, want none", s.ResetsAt)
				case wantReset != nil && !s.ResetsAt.Equal(*wantReset):
					t.Errorf("ResetsAt %v, want %v", s.ResetsAt.UTC(), wantReset.UTC())
				}
			} else {
				if s.State != Working {
					t.Fatalf("state %q (%s, attempt %d), want working", s.State, s.Kind, s.Attempts)
				}
				if s.Kind != "" || s.Attempts != 0 || !s.StalledAt.IsZero() || !s.ResetsAt.IsZero() || s.Message != "" {
					t.Errorf("working session keeps stall fields: %+v", s)
				}
				if s.LastUUID == "" || s.LastAt.IsZero() {
					t.Errorf("no last entry: %+v", s)
				}
			}
			if s.ID == "" || s.Cwd == "" {
				t.Errorf("ID %q Cwd %q", s.ID, s.Cwd)
			}
			for _, p := range entries {
				if p.e.SessionID != "" && p.e.SessionID != s.ID {
					t.Errorf("ID %q, entry says %q", s.ID, p.e.SessionID)
					break
				}
			}

			// Any arrival order folds to the same Session.
			rng := rand.New(rand.NewPCG(1, uint64(len(entries))))
			for name, order := range map[string][]parsed{
				"reversed": reversed(entries),
				"shuffled": shuffled(entries, rng),
				"doubled":  append(shuffled(entries, rng), entries...),
			} {
				tr := NewTracker("/root", path)
				for _, p := range order {
					tr.AddAt(p.e, p.off)
				}
				if got := tr.Session(); got != s {
					t.Errorf("%s order:\n got  %+v\n want %+v", name, got, s)
				}
			}
		})
	}
}

func reversed(in []parsed) []parsed {
	out := make([]parsed, len(in))
	for i, p := range in {
		out[len(in)-1-i] = p
	}
	return out
}

func shuffled(in []parsed, rng *rand.Rand) []parsed {
	out := append([]parsed(nil), in...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// entry builds a main-thread conversation entry for the unit cases below.
func entry(role classify.Role, uuid, ts string, err *classify.APIError) classify.Entry {
	tm, _ := time.Parse(time.RFC3339, ts)
	typ := map[classify.Role]string{classify.User: "user", classify.Assistant: "assistant", classify.Meta: "system"}[role]
	return classify.Entry{Role: role, Type: typ, UUID: uuid, Time: tm, SessionID: "s1", Cwd: "/w", Err: err}
}

func TestTrackerCases(t *testing.T) {
	throttle := &classify.APIError{Kind: classify.Throttle, Message: "API Error: Rate limit reached"}
	capped := &classify.APIError{Kind: classify.UsageLimit, Limit: classify.FiveHour, Message: "Session limit reached ∙ resets 5:51pm",
		ResetsAt: time.Date(2026, 11, 22, 17, 51, 0, 0, time.UTC)}
	sidechain := func(e classify.Entry) classify.Entry { e.Sidechain = true; return e }
	at := func(ts string) time.Time { tm, _ := time.Parse(time.RFC3339, ts); return tm }

	cases := []struct {
		name      string
		entries   []classify.Entry
		offs      []int64 // nil: Add without offsets
		state     State
		attempts  int
		kind      classify.Kind
		stalledAt string
		lastUUID  string
	}{
		{name: "empty", state: Working},
		{name: "metadata only", entries: []classify.Entry{entry(classify.Meta, "m", "2026-11-22T10:00:00Z", nil)}, state: Working},
		{name: "error then metadata", entries: []classify.Entry{
			entry(classify.User, "u1", "2026-11-22T10:00:00Z", nil),
			entry(classify.Assistant, "e1", "2026-11-22T10:00:01Z", throttle),
			entry(classify.Meta, "m", "2026-11-22T10:00:05Z", nil),
		}, state: Stalled, attempts: 1, kind: classify.Throttle, stalledAt: "2026-11-22T10:00:01Z", lastUUID: "e1"},
		{name: "errors across a new prompt count; reply resets", entries: []classify.Entry{
			entry(classify.Assistant, "e0", "2026-11-22T09:00:00Z", throttle),
			entry(classify.Assistant, "r", "2026-11-22T09:30:00Z", nil),
			entry(classify.Assistant, "e1", "2026-11-22T10:00:01Z", throttle),
			entry(classify.User, "u2", "2026-11-22T10:01:00Z", nil),
			entry(classify.Assistant, "e2", "2026-11-22T10:01:01Z", capped),
		}, state: Stalled, attempts: 2, kind: classify.UsageLimit, stalledAt: "2026-11-22T10:00:01Z", lastUUID: "e2"},
		{name: "sidechain error never stalls", entries: []classify.Entry{
			entry(classify.Assistant, "r", "2026-11-22T10:00:00Z", nil),
			sidechain(entry(classify.Assistant, "se", "2026-11-22T10:05:00Z", throttle)),
		}, state: Working, lastUUID: "r"},
		{name: "sidechain reply never ends a stall", entries: []classify.Entry{
			entry(classify.Assistant, "e1", "2026-11-22T10:00:00Z", throttle),
			sidechain(entry(classify.Assistant, "sr", "2026-11-22T10:05:00Z", nil)),
			sidechain(entry(classify.User, "su", "2026-11-22T10:06:00Z", nil)),
		}, state: Stalled, attempts: 1, kind: classify.Throttle, stalledAt: "2026-11-22T10:00:00Z", lastUUID: "e1"},
		{name: "same timestamp: offset decides (error last)", entries: []classify.Entry{
			entry(classify.User, "u1", "2026-11-22T10:00:00Z", nil),
			entry(classify.Assistant, "e1", "2026-11-22T10:00:00Z", throttle),
		}, offs: []int64{0, 100}, state: Stalled, attempts: 1, kind: classify.Throttle, stalledAt: "2026-11-22T10:00:00Z", lastUUID: "e1"},
		{name: "same timestamp: offset decides (user last)", entries: []classify.Entry{
			entry(classify.User, "u1", "2026-11-22T10:00:00Z", nil),
			entry(classify.Assistant, "e1", "2026-11-22T10:00:00Z", throttle),
		}, offs: []int64{100, 0}, state: Working, lastUUID: "u1"},
		{name: "same timestamp, no offsets: not a stall", entries: []classify.Entry{
			entry(classify.Assistant, "e1", "2026-11-22T10:00:00Z", throttle),
			entry(classify.User, "u1", "2026-11-22T10:00:00Z", nil),
		}, state: Working, lastUUID: "u1"},
		{name: "duplicate error counted once", entries: []classify.Entry{
			entry(classify.Assistant, "e1", "2026-11-22T10:00:00Z", throttle),
			entry(classify.Assistant, "e1", "2026-11-22T10:00:00Z", throttle),
		}, state: Stalled, attempts: 1, kind: classify.Throttle, stalledAt: "2026-11-22T10:00:00Z", lastUUID: "e1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, rev := range []bool{false, true} {
				tr := NewTracker("/r", "/r/projects/-w/abc.jsonl")
				for k := range c.entries {
					i := k
					if rev {
						i = len(c.entries) - 1 - k
					}
					if c.offs == nil {
						tr.Add(c.entries[i])
					} else {
						tr.AddAt(c.entries[i], c.offs[i])
					}
				}
				s := tr.Session()
				if s.State != c.state || s.Attempts != c.attempts || s.Kind != c.kind || s.LastUUID != c.lastUUID {
					t.Fatalf("reversed=%v: got %s attempts %d kind %q last %q, want %s %d %q %q",
						rev, s.State, s.Attempts, s.Kind, s.LastUUID, c.state, c.attempts, c.kind, c.lastUUID)
				}
				if c.stalledAt != "" && !s.StalledAt.Equal(at(c.stalledAt)) {
					t.Errorf("StalledAt %v, want %s", s.StalledAt, c.stalledAt)
				}
				if c.kind == classify.UsageLimit && !s.ResetsAt.Equal(capped.ResetsAt) {
					t.Errorf("ResetsAt %v", s.ResetsAt)
				}
				wantID := "abc"
				if len(c.entries) > 0 {
					wantID = "s1"
				}
				if s.ID != wantID || s.Root != "/r" || !strings.HasSuffix(s.Transcript, "abc.jsonl") {
					t.Errorf("identity %q %q %q", s.ID, s.Root, s.Transcript)
				}
			}
		})
	}
}

// TestTrackerMemoryBounded checks that the fold forgets entries a reply has
// answered: a long session of stalls and recoveries keeps only the current
// stall's errors.
func TestTrackerMemoryBounded(t *testing.T) {
	throttle := &classify.APIError{Kind: classify.Throttle}
	tr := NewTracker("/r", "/r/projects/-w/s.jsonl")
	start := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	off := int64(0)
	add := func(e classify.Entry) {
		tr.AddAt(e, off)
		off += 100
	}
	for i := range 1000 {
		at := start.Add(time.Duration(i) * time.Minute)
		add(classify.Entry{Role: classify.Assistant, UUID: fmt.Sprintf("e%d", i), Time: at, Err: throttle})
		add(classify.Entry{Role: classify.User, UUID: fmt.Sprintf("c%d", i), Time: at.Add(time.Second), Text: "continue"})
		add(classify.Entry{Role: classify.Assistant, UUID: fmt.Sprintf("r%d", i), Time: at.Add(2 * time.Second)})
	}
	if n := len(tr.convs); n > 2*minPrune {
		t.Fatalf("%d entries kept after 1000 answered stalls", n)
	}
	at := start.Add(2000 * time.Minute)
	for i := range 3 {
		add(classify.Entry{Role: classify.Assistant, UUID: fmt.Sprintf("x%d", i), Time: at.Add(time.Duration(i) * time.Minute), Err: throttle})
	}
	if s := tr.Session(); s.State != Stalled || s.Attempts != 3 || len(tr.convs) > 2*minPrune || !s.StalledAt.Equal(at) {
		t.Fatalf("got %s attempts %d kept %d stalled at %v", s.State, s.Attempts, len(tr.convs), s.StalledAt)
	}
}
