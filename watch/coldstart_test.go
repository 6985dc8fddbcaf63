package watch

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// coldFile runs coldRead on a file through fsys.
func coldFile(t *testing.T, fsys fileSystem, path string, loc *time.Location) coldResult {
	t.Helper()
	f, err := fsys.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	res, err := coldRead(f, info.Size(), "/root", path, loc, nil, coldBudget, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Reading each real transcript from its tail gives the same session as
// folding every line of it, and stops at the last complete line.
func TestColdReadMatchesFullFold(t *testing.T) {
	for _, fx := range loadFixtures(t) {
		t.Run(fx.File, func(t *testing.T) {
			loc, err := time.LoadLocation(fx.ClientTZ)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(transcripts, fx.File)
			_, _, want, _ := foldFixture(t, path, loc)
			res := coldFile(t, osFS{}, path, loc)
			got := res.tr.Session()
			if !sameView(got, want) {
				t.Errorf("cold read:\n got %+v\nwant %+v", got, want)
			}
			if (got.State == Stalled) != fx.StalledAtEnd {
				t.Errorf("state %s, answer key stalled=%v", got.State, fx.StalledAtEnd)
			}
			b := readFixture(t, fx.File)
			if wantEnd := int64(bytes.LastIndexByte(b, '\n') + 1); res.end != wantEnd {
				t.Errorf("end %d, want %d (after the last newline of %d bytes)", res.end, wantEnd, len(b))
			}
		})
	}
}

// The table tests of the cold start: each builds a file from lines and
// checks the state, how far the follower starts and how much was read.
func TestColdRead(t *testing.T) {
	const t0 = "2026-11-22T15:00:0"
	filler := replyLine("old", "2026-11-22T14:00:00.000Z")
	big := strings.Repeat(filler, 20<<20/len(filler)) // ~20 MB of history
	mega := `{"type":"user","isSidechain":false,"uuid":"tool","timestamp":"2026-11-22T15:00:05.000Z","message":{"role":"user","content":[{"type":"tool_result","content":"` + strings.Repeat("x", 1<<20) + `"}]}}` + "\n"
	tests := []struct {
		name      string
		content   string
		state     State
		last      string // LastUUID
		attempts  int
		endAtSize bool // the follower starts at the end of the file
		skip      bool
	}{
		{"error then metadata", big + userLine("u1", t0+"1.000Z", "hi") + errorLine("e1", t0+"2.000Z") + metaLine("e1") +
			`{"type":"atis-latch","sessionId":"s-1"}` + "\n" + `{"type":"cost-state","sessionId":"s-1"}` + "\n",
			Stalled, "e1", 1, true, false},
		{"reply ends it", big + errorLine("e1", t0+"1.000Z") + userLine("u2", t0+"2.000Z", "continue") + replyLine("r2", t0+"3.000Z") + metaLine("r2"),
			Working, "r2", 0, true, false},
		{"two attempts", big + errorLine("e1", t0+"1.000Z") + userLine("u2", t0+"2.000Z", "continue") + errorLine("e2", t0+"3.000Z") + metaLine("e2"),
			Stalled, "e2", 2, true, false},
		{"out of order: error above the prompt it answers (parentUuid)", big + childErrorLine("e1", "u1", t0+"2.000Z") + userLine("u1", t0+"1.000Z", "hi") + metaLine("e1"),
			Stalled, "e1", 1, true, false},
		{"error above a prompt it does not answer: file order", big + errorLine("e1", t0+"2.000Z") + userLine("u1", t0+"1.000Z", "hi") + metaLine("u1"),
			Working, "u1", 0, true, false},
		{"incomplete last line is left for the follower", big + errorLine("e1", t0+"1.000Z") + strings.TrimSuffix(replyLine("r2", t0+"3.000Z"), "\n"),
			Stalled, "e1", 1, false, false},
		{"1 MB last line: budget runs out, what was seen decides", big + errorLine("e1", t0+"1.000Z") + mega,
			Working, "", 0, true, false},
		{"incomplete line longer than the budget", big + errorLine("e1", t0+"1.000Z") + strings.TrimSuffix(mega, "\n"),
			Working, "", 0, true, true},
		{"small file read from the start", userLine("u1", t0+"1.000Z", "hi") + errorLine("e1", t0+"2.000Z"),
			Stalled, "e1", 1, true, false},
		{"only a partial line", `{"type":"user","uuid":"u`, Working, "", 0, false, false},
		{"empty file", "", Working, "", 0, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.jsonl")
			writeFile(t, path, []byte(tc.content))
			fsys := newCountingFS()
			res := coldFile(t, fsys, path, time.UTC)
			s := res.tr.Session()
			if s.State != tc.state || s.LastUUID != tc.last || s.Attempts != tc.attempts {
				t.Errorf("state %s last %q attempts %d, want %s %q %d", s.State, s.LastUUID, s.Attempts, tc.state, tc.last, tc.attempts)
			}
			wantEnd := int64(strings.LastIndexByte(tc.content, '\n') + 1)
			if tc.endAtSize {
				wantEnd = int64(len(tc.content))
			}
			if res.end != wantEnd || res.skip != tc.skip {
				t.Errorf("end %d skip %v, want %d %v", res.end, res.skip, wantEnd, tc.skip)
			}
			if n := fsys.bytes(path); n > coldBudget || n != res.read {
				t.Errorf("read %d bytes (reported %d) of %d, budget %d", n, res.read, len(tc.content), coldBudget)
			}
		})
	}
}

// A file that shrinks while it is read is an error, not a panic or a
// half-read state.
func TestColdReadShrunk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.jsonl")
	writeFile(t, path, []byte(userLine("u1", "2026-11-22T15:00:01.000Z", "hi")))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := coldRead(f, 1<<20, "/root", path, time.UTC, nil, coldBudget, nil); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("file shorter than its size: %v, want ErrUnexpectedEOF", err)
	}
}

// Scan reads the fresh transcripts of every root, skips old ones, warns
// about unreadable ones and fails only for a missing root.
func TestScan(t *testing.T) {
	root, proj := newRoot(t)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	stalled := filepath.Join(proj, "stalled.jsonl")
	working := filepath.Join(proj, "working.jsonl")
	old := filepath.Join(proj, "old.jsonl")
	denied := filepath.Join(proj, "denied.jsonl")
	writeFile(t, stalled, readFixture(t, "v2.1.330-oauth-throttle.jsonl"))
	writeFile(t, working, readFixture(t, "v2.1.330-key-ok.jsonl"))
	writeFile(t, old, readFixture(t, "v2.1.145-key-429.jsonl"))
	writeFile(t, denied, readFixture(t, "v2.1.145-key-429.jsonl"))
	if err := os.MkdirAll(filepath.Join(proj, "memory"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(proj, "memory", "notes.md"), []byte("# not a transcript\n"))
	writeFile(t, filepath.Join(proj, "notes.txt"), []byte("{}\n"))
	for _, p := range []string{stalled, working, denied} {
		if err := os.Chtimes(p, now, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chtimes(old, now, now.Add(-30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	fsys := newCountingFS()
	fsys.deny(denied, true)
	cfg := Config{Roots: []string{root}, Since: 7 * 24 * time.Hour, Loc: time.UTC, Now: func() time.Time { return now }}
	sessions, warns, err := scan(context.Background(), cfg, options{fsys: fsys})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]State{}
	for _, s := range sessions {
		got[filepath.Base(s.Transcript)] = s.State
		if s.Root != root {
			t.Errorf("%s: root %q", s.Transcript, s.Root)
		}
	}
	want := map[string]State{"stalled.jsonl": Stalled, "working.jsonl": Working}
	if len(got) != len(want) || got["stalled.jsonl"] != Stalled || got["working.jsonl"] != Working {
		t.Errorf("sessions %v, want %v", got, want)
	}
	if len(warns) != 1 || !errors.Is(warns[0], os.ErrPermission) || !strings.Contains(warns[0].Error(), "denied.jsonl") {
		t.Errorf("warnings %v, want one permission problem with denied.jsonl", warns)
	}
	if fsys.bytes(old) != 0 {
		t.Errorf("read %d bytes of a transcript older than Since", fsys.bytes(old))
	}

	_, _, err = Scan(context.Background(), Config{Roots: []string{root, filepath.Join(root, "nope")}})
	if !errors.Is(err, ErrNoRoot) {
		t.Errorf("missing root: %v, want ErrNoRoot", err)
	}
	// A root without projects/ yet is empty, not an error.
	empty := t.TempDir()
	if s, w, err := Scan(context.Background(), Config{Roots: []string{empty}}); err != nil || len(s) != 0 || len(w) != 0 {
		t.Errorf("root without projects: %v %v %v", s, w, err)
	}
}
