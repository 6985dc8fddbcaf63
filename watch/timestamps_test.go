package watch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// fixtureDir holds the real transcripts the timestamp cases are edited from.
const fixtureDir = "/work/shared/fixtures/transcripts"

// realTranscript reads a real transcript from the shared fixtures, or the
// copy in testdata when those are not mounted.
func realTranscript(t *testing.T, name string) []byte {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(fixtureDir, name)); err == nil {
		return b
	}
	return readFixture(t, name)
}

var tsField = regexp.MustCompile(`"timestamp":"[^"]*",?`)

// tsCase is one real transcript with the timestamp of its last main-thread
// API error edited.
type tsCase struct {
	name    string
	file    string
	edit    func(prev, err time.Time) string // the new timestamp field ("" drops it)
	state   State                            // at the end of the file
	errorAt func(prev, now time.Time) time.Time
	note    string // in Session.TimeNote while stalled on the edited error
	// cut ends the file before the first conversation entry after the
	// error, so that it is stalled at the end.
	cut bool
}

// The clock of these tests: the fixtures were written on 2026-11-22 around
// 15:50 UTC; "now" is a little later that day.
var tsNow = time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC)

func tsCases() []tsCase {
	stamp := func(t time.Time) string { return `"timestamp":"` + t.UTC().Format("2006-01-02T15:04:05.000Z") + `",` }
	return []tsCase{
		{
			// Clock skew: the error is dated two hours ahead. The continue
			// and the reply after it in the file (their parentUuid chain
			// names it) end the stall; before, the future date kept it
			// "newest" and the session pinned as stalled.
			name: "error dated in the future, then a reply", file: "i-v2.1.330-oauth-throttle-x2.jsonl",
			edit:    func(_, _ time.Time) string { return stamp(tsNow.Add(2 * time.Hour)) },
			state:   Working,
			errorAt: func(_, now time.Time) time.Time { return now },
			note:    "after it was read",
		},
		{
			// No timestamp: before, a zero time sorted it before its own
			// prompt, so the stall was never seen.
			name: "error without a timestamp", file: "i-v2.1.330-oauth-throttle-x2.jsonl", cut: true,
			edit:    func(_, _ time.Time) string { return "" },
			state:   Stalled,
			errorAt: func(_, now time.Time) time.Time { return now },
			note:    "has no timestamp",
		},
		{
			// Dated a day before the prompt it answers: likewise hidden.
			// It is timed from the entry above it (the typed continue it
			// answers).
			name: "error dated before its prompt", file: "i-v2.1.330-oauth-throttle-x2.jsonl", cut: true,
			edit:    func(prev, _ time.Time) string { return stamp(prev.Add(-24 * time.Hour)) },
			state:   Stalled,
			errorAt: func(above, _ time.Time) time.Time { return above },
			note:    "before the entry above it",
		},
	}
}

// edited is a fixture with its last main-thread error's timestamp edited.
type edited struct {
	lines    [][]byte // with their newlines
	errLine  int      // index of the edited error line
	prevLine int      // index of the conversation entry above it
	errUUID  string
	prev     time.Time // timestamp of the conversation entry above the error
	above    time.Time // the later of prev and the timestamp of the error's parent
	last     string    // uuid of the last main-thread conversation entry
}

func editFixture(t *testing.T, c tsCase) edited {
	t.Helper()
	var ed edited
	ed.errLine = -1
	b := realTranscript(t, c.file)
	for l := range bytes.SplitAfterSeq(b, []byte("\n")) {
		ed.lines = append(ed.lines, bytes.Clone(l))
	}
	var prevSeen time.Time
	prevLine, next := -1, -1
	for i, l := range ed.lines {
		e, err := classify.Parse(bytes.TrimSuffix(l, []byte("\n")), time.UTC)
		if err != nil || e.Sidechain || (e.Role != classify.User && e.Role != classify.Assistant) {
			continue
		}
		if e.Err != nil {
			ed.errLine, ed.errUUID, ed.prev, ed.prevLine, next = i, e.UUID, prevSeen, prevLine, -1
		} else if next < 0 {
			next = i
		}
		prevSeen, prevLine = e.Time, i
		ed.last = e.UUID
	}
	if c.cut && next > 0 {
		ed.lines, ed.last = ed.lines[:next], ed.errUUID
	}
	if ed.errLine < 0 || ed.prev.IsZero() || ed.prevLine < 0 {
		t.Fatalf("%s: no main-thread error after a dated entry", c.file)
	}
	errEntry, _ := classify.Parse(bytes.TrimSuffix(ed.lines[ed.errLine], []byte("\n")), time.UTC)
	ed.above = ed.prev
	for _, l := range ed.lines {
		if e, err := classify.Parse(bytes.TrimSuffix(l, []byte("\n")), time.UTC); err == nil && e.UUID == errEntry.ParentUUID && e.Time.After(ed.above) {
			ed.above = e.Time
		}
	}
	errTime := time.Time{}
	line := ed.lines[ed.errLine]
	if m := tsField.Find(line); m != nil {
		errTime, _ = time.Parse(`"timestamp":"2006-01-02T15:04:05.000Z",`, string(m))
	}
	ed.lines[ed.errLine] = tsField.ReplaceAll(line, []byte(c.edit(ed.prev, errTime)))
	if bytes.Equal(ed.lines[ed.errLine], line) {
		t.Fatalf("%s: timestamp of the error line not edited", c.file)
	}
	return ed
}

func joinLines(ls [][]byte) []byte { return bytes.Join(ls, nil) }

// checkStall checks a session stalled on the edited error.
func checkStall(t *testing.T, how string, s Session, c tsCase, ed edited) {
	t.Helper()
	if s.State != Stalled || s.LastUUID != ed.errUUID || s.Attempts < 1 {
		t.Fatalf("%s: %s last %s attempts %d, want stalled on %s", how, s.State, s.LastUUID, s.Attempts, ed.errUUID)
	}
	if want := c.errorAt(ed.above, tsNow); !s.ErrorAt.Equal(want) || !s.LastAt.Equal(want) || s.StalledAt.After(s.ErrorAt) {
		t.Errorf("%s: ErrorAt %v LastAt %v StalledAt %v, want %v", how, s.ErrorAt, s.LastAt, s.StalledAt, want)
	}
	if !strings.Contains(s.TimeNote, c.note) || !strings.Contains(s.TimeNote, ed.errUUID) {
		t.Errorf("%s: Note %q, want it to name %s and say %q", how, s.TimeNote, ed.errUUID, c.note)
	}
}

// Timestamps do not decide conversation order (file order and parentUuid
// do) and a timestamp that cannot be right is replaced for timing, with a
// note. Real transcripts with the last error's timestamp edited, read by
// the cold start (Scan) and followed by a running watcher as they are
// written.
func TestTimestampSanity(t *testing.T) { eachBackend(t, testTimestampSanity) }

func testTimestampSanity(t *testing.T, o options) {
	for _, c := range tsCases() {
		t.Run(c.name, func(t *testing.T) {
			ed := editFixture(t, c)
			cfg := func(root string) Config {
				return Config{Roots: []string{root}, Loc: time.UTC, Now: func() time.Time { return tsNow }}
			}

			t.Run("cold start", func(t *testing.T) {
				root, proj := newRoot(t)
				path := filepath.Join(proj, "s.jsonl")
				writeFile(t, path, joinLines(ed.lines))
				ss, warns, err := Scan(context.Background(), cfg(root))
				if err != nil || len(ss) != 1 {
					t.Fatalf("Scan = %d sessions, %v (warnings %v)", len(ss), err, warns)
				}
				s := ss[0]
				if c.state == Stalled {
					checkStall(t, "cold start", s, c, ed)
				} else if s.State != Working || s.LastUUID != ed.last || s.TimeNote != "" {
					t.Fatalf("cold start: %s last %s note %q, want working on %s", s.State, s.LastUUID, s.TimeNote, ed.last)
				}
				// And the cold read of the tail (not the whole file) agrees
				// with a fold of every line in file order.
				tr := NewTracker(root, path)
				tr.SetClock(func() time.Time { return tsNow })
				off := int64(0)
				for _, l := range ed.lines {
					if e, err := classify.Parse(bytes.TrimSuffix(l, []byte("\n")), time.UTC); err == nil {
						tr.AddAt(e, off)
					}
					off += int64(len(l))
				}
				full := tr.Session()
				full.ModTime, s.ModTime = time.Time{}, time.Time{}
				full.LastError, s.LastError = "", ""
				if full != s {
					t.Errorf("cold start %+v\nfull fold %+v", s, full)
				}
			})

			t.Run("following", func(t *testing.T) {
				root, proj := newRoot(t)
				path := filepath.Join(proj, "s.jsonl")
				writeFile(t, path, joinLines(ed.lines[:ed.prevLine]))
				r := launchCfg(t, cfg(root), o)
				r.wait(t, "Ready", func(e Event) bool { return e.Kind == Ready })

				// The entry above the error, then the error, as written.
				appendFile(t, path, joinLines(ed.lines[ed.prevLine:ed.errLine+1]))
				e := r.wait(t, "the stall", changedTo(path, ed.errUUID))
				checkStall(t, "following", e.Session, c, ed)
				r.wait(t, "a warning with the note", func(e Event) bool {
					return e.Kind == Warning && strings.Contains(e.Err.Error(), c.note)
				})

				appendFile(t, path, joinLines(ed.lines[ed.errLine+1:]))
				if c.state == Working {
					e = r.wait(t, "the reply", changedTo(path, ed.last))
					if e.Session.State != Working || e.Session.TimeNote != "" {
						t.Fatalf("after the reply: %s note %q", e.Session.State, e.Session.TimeNote)
					}
				}
				for _, s := range r.w.Sessions() {
					if s.State != c.state {
						t.Errorf("at the end: %s, want %s", s.State, c.state)
					}
				}
			})
		})
	}
}

// Conversation order under hostile or odd parent links: a cycle of
// parents ends, an entry above its parent's parent is placed after it, and
// without any link file order decides whatever the timestamps say.
func TestTrackerOrderByFileAndParents(t *testing.T) {
	throttle := &classify.APIError{Kind: classify.Throttle, Message: "API Error: Rate limited"}
	at := func(s int) time.Time { return tsNow.Add(time.Duration(s) * time.Second) }
	ent := func(role classify.Role, uuid, parent string, ts time.Time, err *classify.APIError) classify.Entry {
		typ := map[classify.Role]string{classify.User: "user", classify.Assistant: "assistant", classify.Meta: "attachment"}[role]
		return classify.Entry{Role: role, Type: typ, UUID: uuid, ParentUUID: parent, Time: ts, SessionID: "s", Err: err}
	}
	cases := []struct {
		name    string
		entries []classify.Entry // in file order, offsets 0, 100, 200, …
		state   State
		last    string
	}{
		{"later line, earlier timestamp: the file decides", []classify.Entry{
			ent(classify.Assistant, "e1", "u0", at(50), throttle),
			ent(classify.User, "u1", "e1", at(10), nil),
			ent(classify.Assistant, "r1", "u1", at(5), nil),
		}, Working, "r1"},
		{"error above its prompt, linked through an attachment", []classify.Entry{
			ent(classify.Assistant, "e1", "a1", at(2), throttle),
			ent(classify.Meta, "a1", "u1", at(1), nil),
			ent(classify.User, "u1", "", at(1), nil),
		}, Stalled, "e1"},
		{"a cycle of parents", []classify.Entry{
			ent(classify.User, "u1", "e1", at(1), nil),
			ent(classify.Assistant, "e1", "u1", at(2), throttle),
		}, Stalled, "e1"},
		{"no timestamps at all", []classify.Entry{
			ent(classify.User, "u1", "", time.Time{}, nil),
			ent(classify.Assistant, "e1", "u1", time.Time{}, throttle),
		}, Stalled, "e1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, rev := range []bool{false, true} {
				tr := NewTracker("/r", "/r/projects/-w/s.jsonl")
				tr.SetClock(func() time.Time { return tsNow })
				for k := range c.entries {
					i := k
					if rev {
						i = len(c.entries) - 1 - k
					}
					tr.AddAt(c.entries[i], int64(100*i))
				}
				if s := tr.Session(); s.State != c.state || s.LastUUID != c.last {
					t.Fatalf("reversed=%v: %s last %s, want %s %s", rev, s.State, s.LastUUID, c.state, c.last)
				}
			}
		})
	}
}

// A flood of errors with no reply (a hostile or broken writer) costs
// amortised constant time per entry and keeps only the newest messages.
func TestTrackerErrorFlood(t *testing.T) {
	throttle := classify.APIError{Kind: classify.Throttle, Message: strings.Repeat("m", 2000)}
	tr := NewTracker("/r", "/r/projects/-w/s.jsonl")
	start := time.Now()
	const n = 100_000
	for i := range n {
		e := throttle
		tr.AddAt(classify.Entry{Role: classify.Assistant, UUID: fmt.Sprint("e", i), ParentUUID: fmt.Sprint("e", i-1), Time: tsNow, Err: &e}, int64(i*100))
	}
	s := tr.Session()
	if s.State != Stalled || s.Attempts != n || s.LastUUID != fmt.Sprint("e", n-1) || s.Message != throttle.Message {
		t.Fatalf("%s attempts %d last %s", s.State, s.Attempts, s.LastUUID)
	}
	kept := 0
	for _, c := range tr.convs {
		kept += len(c.apiErr.Message)
	}
	if len(tr.convs) > 4*maxErrs || kept > 4*maxErrs*len(throttle.Message) {
		t.Errorf("%d errors and %d bytes of messages kept for %d errors", len(tr.convs), kept, n)
	}
	// A reply ends the stall, counted errors included.
	tr.AddAt(classify.Entry{Role: classify.Assistant, UUID: "r", ParentUUID: fmt.Sprint("e", n-1), Time: tsNow}, int64(n*100))
	if s := tr.Session(); s.State != Working || s.Attempts != 0 || s.LastUUID != "r" {
		t.Fatalf("after the reply: %s attempts %d last %s", s.State, s.Attempts, s.LastUUID)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("%d errors took %v", n, d)
	}
}
