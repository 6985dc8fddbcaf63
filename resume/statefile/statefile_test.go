package statefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	day := 24 * time.Hour
	lim := Limits{MaxEntries: 2, MaxAge: 14 * day}
	tests := []struct {
		name    string
		in      string
		corrupt bool
		want    Data
	}{
		{name: "empty file", in: "", corrupt: true, want: Data{Version: 1}},
		{name: "not json", in: "{{{", corrupt: true, want: Data{Version: 1}},
		{name: "truncated", in: `{"version":1,"typed":[{"file":"/a","uuid":"u"`, corrupt: true, want: Data{Version: 1}},
		{name: "wrong type", in: `{"version":1,"typed":{"file":"/a"}}`, corrupt: true, want: Data{Version: 1}},
		{name: "other version", in: `{"version":7}`, corrupt: true, want: Data{Version: 1}},
		{name: "no version", in: `{"typed":[]}`, corrupt: true, want: Data{Version: 1}},
		{name: "json null", in: `null`, corrupt: true, want: Data{Version: 1}},
		{
			name: "valid kept, invalid dropped",
			in: `{"version":1,"typed":[{"file":"/a","uuid":"u1","at":"2026-11-23T11:00:00Z"},{"file":"","uuid":"x","at":"2026-11-23T11:00:00Z"},{"file":"/a","uuid":"","at":"2026-11-23T11:00:00Z"}],
				"pending":[{"file":"/a","uuid":"u1","text":"","at":"2026-11-23T11:00:00Z"}],
				"paused":[{"file":"/p","at":"2026-11-23T11:00:00Z"}]}`,
			want: Data{Version: 1,
				Typed:  []Typed{{File: "/a", UUID: "u1", At: t0.Add(-time.Hour)}},
				Paused: []Paused{{File: "/p", At: t0.Add(-time.Hour)}}},
		},
		{
			// By when the record was made, never by the error's date: an
			// old error typed for today stays recorded.
			name: "older than max age dropped, by the record's time",
			in: `{"version":1,"typed":[
				{"file":"/a","uuid":"old-error","error_at":"2026-11-01T00:00:00Z","at":"2026-11-23T11:00:00Z"},
				{"file":"/a","uuid":"old-record","error_at":"2026-11-22T00:00:00Z","at":"2026-11-01T00:00:00Z"},
				{"file":"/a","uuid":"fresh","error_at":"2026-11-22T00:00:00Z","at":"2026-11-22T01:00:00Z"}]}`,
			want: Data{Version: 1, Typed: []Typed{
				{File: "/a", UUID: "fresh", ErrorAt: t0.Add(-36 * time.Hour), At: t0.Add(-35 * time.Hour)},
				{File: "/a", UUID: "old-error", ErrorAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), At: t0.Add(-time.Hour)}}},
		},
		{
			name: "a loss is kept until max age, then dropped",
			in:   `{"version":1,"gen":4,"lost":"2026-11-20T00:00:00Z"}`,
			want: Data{Version: 1, Gen: 4, Lost: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		},
		{
			name: "an expired loss",
			in:   `{"version":1,"lost":"2026-11-01T00:00:00Z"}`,
			want: Data{Version: 1},
		},
		{
			name: "dated beyond max age in the future (a bad clock) dropped",
			in:   `{"version":1,"paused":[{"file":"/a","at":"2027-06-01T00:00:00Z"}],"typed":[{"file":"/a","uuid":"u","at":"2026-11-24T00:00:00Z"}]}`,
			want: Data{Version: 1, Typed: []Typed{{File: "/a", UUID: "u", At: t0.Add(12 * time.Hour)}}},
		},
		{
			name: "capped: the oldest go",
			in: `{"version":1,"typed":[
				{"file":"/a","uuid":"3","at":"2026-11-23T03:00:00Z"},
				{"file":"/a","uuid":"1","at":"2026-11-23T01:00:00Z"},
				{"file":"/a","uuid":"2","at":"2026-11-23T02:00:00Z"}]}`,
			want: Data{Version: 1, Typed: []Typed{
				{File: "/a", UUID: "2", At: t0.Add(-10 * time.Hour)},
				{File: "/a", UUID: "3", At: t0.Add(-9 * time.Hour)}}},
		},
		{
			name: "one pending per file: the newest",
			in: `{"version":1,"pending":[
				{"file":"/a","uuid":"1","text":"continue","at":"2026-11-23T03:00:00Z"},
				{"file":"/a","uuid":"2","text":"continue","at":"2026-11-23T04:00:00Z"}]}`,
			want: Data{Version: 1, Pending: []Pending{{File: "/a", UUID: "2", Text: "continue", At: t0.Add(-8 * time.Hour)}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parse([]byte(tc.in), t0, lim)
			if tc.corrupt != errors.Is(err, errCorrupt) {
				t.Fatalf("err %v, corrupt want %v", err, tc.corrupt)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	huge := `{"version":1,"typed":[` + strings.Repeat(`{"file":"/a","uuid":"u","at":"2026-11-23T11:00:00Z"},`, maxFileBytes/40) + `{}]}`
	if _, err := parse([]byte(huge), t0, lim); !errors.Is(err, errCorrupt) {
		t.Fatalf("a %d-byte file: err %v, want corrupt", len(huge), err)
	}
}

func TestDataRecords(t *testing.T) {
	var d Data
	if !d.MarkTyped(Typed{File: "/a.jsonl", UUID: "e1", At: t0}) {
		t.Fatal("first mark refused")
	}
	// The same error in a resumed copy of the session (another file, same
	// uuid) counts as typed for: never twice.
	if d.MarkTyped(Typed{File: "/b.jsonl", UUID: "e1", At: t0}) {
		t.Fatal("the copied error in another file was marked again")
	}
	if got, ok := d.TypedFor("e1"); !ok || got.File != "/a.jsonl" {
		t.Fatalf("TypedFor: %+v %v", got, ok)
	}
	if _, ok := d.TypedFor("e2"); ok {
		t.Fatal("an error never typed for is typed for")
	}
	d.SetPending(Pending{File: "/a.jsonl", UUID: "e1", Text: "continue", At: t0})
	d.SetPending(Pending{File: "/a.jsonl", UUID: "e2", Text: "continue", At: t0})
	d.SetPending(Pending{File: "/b.jsonl", UUID: "e3", Text: "go on", At: t0})
	if p, ok := d.PendingFor("/a.jsonl"); !ok || p.UUID != "e2" || len(d.Pending) != 2 {
		t.Fatalf("pending: %+v %v (%d)", p, ok, len(d.Pending))
	}
	d.ClearPending("/a.jsonl")
	if _, ok := d.PendingFor("/a.jsonl"); ok {
		t.Fatal("pending not cleared")
	}
	d.SetDismissed(Dismissed{File: "/a.jsonl", UUID: "e1", At: t0}, true)
	if !d.IsDismissed("/a.jsonl", "e1") || d.IsDismissed("/b.jsonl", "e1") || d.IsDismissed("/a.jsonl", "e2") {
		t.Fatal("dismissal not keyed by file and error")
	}
	d.SetDismissed(Dismissed{File: "/a.jsonl"}, false)
	if d.IsDismissed("/a.jsonl", "e1") {
		t.Fatal("dismissal not forgotten")
	}
	d.SetPaused("/a.jsonl", t0, true)
	d.SetPaused("/a.jsonl", t0, true)
	if !d.IsPaused("/a.jsonl") || len(d.Paused) != 1 || d.IsPaused("/b.jsonl") {
		t.Fatalf("paused: %+v", d.Paused)
	}
	d.SetPaused("/a.jsonl", t0, false)
	if d.IsPaused("/a.jsonl") {
		t.Fatal("still paused")
	}
}

func open(t *testing.T, path string, warn *[]error, now *time.Time) *Store {
	t.Helper()
	s, err := Open(path, Options{Now: func() time.Time { return *now }, Warn: func(err error) { *warn = append(*warn, err) }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStoreSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ccwake", "state.json")
	now := t0
	var warns []error
	s := open(t, path, &warns, &now)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open created the file: %v", err)
	}
	err := s.Update(func(d *Data) error {
		d.MarkTyped(Typed{File: "/a.jsonl", UUID: "e1", At: now})
		d.SetPending(Pending{File: "/a.jsonl", UUID: "e1", Text: "continue", At: now})
		d.SetPaused("/p.jsonl", now, true)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("state dir: %v %v", fi.Mode(), err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v", fi.Mode())
	}
	s2 := open(t, path, &warns, &now)
	d := s2.Data()
	if _, ok := d.TypedFor("e1"); !ok || !d.IsPaused("/p.jsonl") {
		t.Fatalf("reopened: %+v", d)
	}
	if p, ok := d.PendingFor("/a.jsonl"); !ok || p.Text != "continue" {
		t.Fatalf("pending after reopen: %+v", d.Pending)
	}
	// A failing update writes nothing.
	boom := errors.New("boom")
	if err := s2.Update(func(d *Data) error { d.ClearPending("/a.jsonl"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if _, ok := open(t, path, &warns, &now).Data().PendingFor("/a.jsonl"); !ok {
		t.Fatal("a failed update changed the file")
	}
	// No temp files are left behind: the file and its backup copy.
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 2 || ents[0].Name() != "state.json" || ents[1].Name() != "state.json"+BackupSuffix {
		t.Fatalf("state dir holds %v", ents)
	}
	// Two weeks later the record is gone.
	now = t0.Add(15 * 24 * time.Hour)
	if d := open(t, path, &warns, &now).Data(); len(d.Typed) != 0 || len(d.Pending) != 0 {
		t.Fatalf("expired entries kept: %+v", d)
	}
	if len(warns) != 0 {
		t.Fatalf("warnings: %v", warns)
	}
}

// Two processes (two Stores) sharing one file: each update merges into what
// the other wrote rather than overwriting it from a stale copy.
func TestStoreMergesConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	now := t0
	var warns []error
	a, b := open(t, path, &warns, &now), open(t, path, &warns, &now)
	for i := range 10 {
		s := a
		if i%2 == 1 {
			s = b
		}
		if err := s.Update(func(d *Data) error {
			d.MarkTyped(Typed{File: "/x.jsonl", UUID: fmt.Sprintf("e%d", i), At: now})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if d := open(t, path, &warns, &now).Data(); len(d.Typed) != 10 {
		t.Fatalf("%d records, want 10: %+v", len(d.Typed), d.Typed)
	}
	// b sees a's record when it updates: marking it again fails.
	var again bool
	_ = b.Update(func(d *Data) error { again = d.MarkTyped(Typed{File: "/y.jsonl", UUID: "e0", At: now}); return nil })
	if again {
		t.Fatal("an error typed for by the other writer was marked again")
	}
}

// A copy that cannot be read back (garbage, truncated, empty, another
// version) is never "nothing was typed": the other copy holds every update,
// and when both are spoiled the record says it is Lost, and stays so after
// the next write, until the records it held would have expired.
func TestStoreSpoiledCopyNeverMeansNothingTyped(t *testing.T) {
	spoiled := map[string]string{
		"garbage":   "\x00\x01not json",
		"truncated": `{"version":1,"typed":[{"file":"/a.jsonl","uu`,
		"empty":     "",
		"version":   `{"version":99,"typed":[]}`,
	}
	for name, content := range spoiled {
		for _, which := range []string{"file", "backup", "both", "file, backup gone"} {
			t.Run(name+"/"+which, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "state.json")
				now := t0
				var warns []error
				s := open(t, path, &warns, &now)
				if err := s.Update(func(d *Data) error {
					d.MarkTyped(Typed{File: "/a.jsonl", UUID: "e1", ErrorAt: t0.Add(-time.Hour), At: now})
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				spoil := func(p string) {
					if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				switch which {
				case "file":
					spoil(path)
				case "backup":
					spoil(path + BackupSuffix)
				case "both":
					spoil(path)
					spoil(path + BackupSuffix)
				case "file, backup gone":
					spoil(path)
					_ = os.Remove(path + BackupSuffix)
				}
				now = t0.Add(time.Minute)
				s = open(t, path, &warns, &now)
				h, why := s.Health()
				lost := which == "both" || which == "file, backup gone"
				if len(warns) != 1 || why == nil || warns[0].Error() != why.Error() || !strings.Contains(why.Error(), path) {
					t.Fatalf("warnings %v, why %v: want one warning naming the file", warns, why)
				}
				d := s.Data()
				if !lost {
					if _, ok := d.TypedFor("e1"); h != Recovered || !ok || !d.Lost.IsZero() {
						t.Fatalf("health %v, data %+v: want the record recovered from the other copy", h, d)
					}
					return
				}
				if h != Lost || !d.Lost.Equal(now) {
					t.Fatalf("health %v, lost %v: want Lost at %v", h, d.Lost, now)
				}
				// The next write repairs the copies and keeps the loss.
				now = t0.Add(time.Hour)
				if err := s.Update(func(d *Data) error { d.MarkTyped(Typed{File: "/b", UUID: "e2", At: now}); return nil }); err != nil {
					t.Fatal(err)
				}
				warns = nil
				d = open(t, path, &warns, &now).Data()
				if _, ok := d.TypedFor("e2"); !ok || !d.Lost.Equal(t0.Add(time.Minute)) || len(warns) != 0 {
					t.Fatalf("after the repair: %+v, warnings %v: want e2 and the loss of %v", d, warns, t0.Add(time.Minute))
				}
				now = t0.Add(15 * 24 * time.Hour)
				if d := open(t, path, &warns, &now).Data(); !d.Lost.IsZero() {
					t.Fatalf("a loss kept past max age: %v", d.Lost)
				}
			})
		}
	}
}

// A crash between the two writes of an update leaves the backup a
// generation ahead: it wins over the older file.
func TestStoreNewerBackupWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	now := t0
	var warns []error
	s := open(t, path, &warns, &now)
	mark := func(uuid string) {
		if err := s.Update(func(d *Data) error { d.MarkTyped(Typed{File: "/a", UUID: uuid, At: now}); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	mark("e1")
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mark("e2")
	if err := os.WriteFile(path, old, 0o600); err != nil { // as if the crash came before the second rename
		t.Fatal(err)
	}
	d := open(t, path, &warns, &now).Data()
	if _, ok := d.TypedFor("e2"); !ok || d.Gen != 2 || len(warns) != 0 {
		t.Fatalf("%+v, warnings %v: want generation 2 with e2", d, warns)
	}
}

// Typing today for an error dated weeks ago is recorded, and the record
// survives its own write and a restart (it was pruned by the error's date).
func TestStorePrunesByRecordTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	now := t0
	var warns []error
	s := open(t, path, &warns, &now)
	old := t0.Add(-20 * 24 * time.Hour)
	if err := s.Update(func(d *Data) error {
		d.MarkTyped(Typed{File: "/a", UUID: "e1", ErrorAt: old, At: now})
		d.MarkReopened(Reopened{File: "/a", UUID: "e1", ErrorAt: old, At: now})
		d.SetDismissed(Dismissed{File: "/a", UUID: "e1", ErrorAt: old, At: now}, true)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Data().TypedFor("e1"); !ok {
		t.Fatalf("pruned by the write that made it: %+v", s.Data())
	}
	now = t0.Add(13 * 24 * time.Hour)
	d := open(t, path, &warns, &now).Data()
	if _, ok := d.TypedFor("e1"); !ok || !d.IsDismissed("/a", "e1") {
		t.Fatalf("after a restart: %+v", d)
	}
	if _, ok := d.ReopenedFor("e1"); !ok {
		t.Fatalf("reopen record gone after a restart: %+v", d)
	}
}

// An earlier version's single state file (legacy) is read into the record:
// its typed and reopened errors stay typed and reopened for; a corrupt one
// while the record does not exist yet is a loss.
func TestStoreLegacy(t *testing.T) {
	dir := t.TempDir()
	legacy := filepath.Join(dir, "old", "state.json")
	if err := os.MkdirAll(filepath.Dir(legacy), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(legacy, []byte(`{"version":1,"typed":[{"file":"/a","uuid":"e1","at":"2026-11-23T11:00:00Z"}],
		"reopened":[{"file":"/a","uuid":"e2","at":"2026-11-23T11:00:00Z"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	now := t0
	path := filepath.Join(dir, "new", "state.json")
	s, err := Open(path, Options{Now: func() time.Time { return now }, Legacy: []string{legacy, filepath.Join(dir, "none")}})
	if err != nil {
		t.Fatal(err)
	}
	_, ok1 := s.Data().TypedFor("e1")
	_, ok2 := s.Data().ReopenedFor("e2")
	if !ok1 || !ok2 {
		t.Fatalf("legacy records not read: %+v", s.Data())
	}
	if err := s.Update(func(d *Data) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(legacy); err != nil {
		t.Fatal(err)
	}
	if _, ok := open(t, path, new([]error), &now).Data().TypedFor("e1"); !ok {
		t.Fatal("the legacy record was not written into the new one")
	}
	// A corrupt legacy file and no record yet: lost.
	if err := os.WriteFile(legacy, []byte(`{"version":1,"typ`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(filepath.Join(dir, "other", "state.json"), Options{Now: func() time.Time { return now }, Legacy: []string{legacy}})
	if err != nil {
		t.Fatal(err)
	}
	if h, why := s.Health(); h != Lost || !strings.Contains(fmt.Sprint(why), legacy) || !s.Data().Lost.Equal(now) {
		t.Fatalf("health %v (%v), lost %v: want Lost", h, why, s.Data().Lost)
	}
	// With a record already there, a corrupt legacy file only warns.
	var warns []error
	s, err = Open(path, Options{Now: func() time.Time { return now }, Legacy: []string{legacy}, Warn: func(err error) { warns = append(warns, err) }})
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := s.Health(); h != Good || len(warns) != 1 {
		t.Fatalf("health %v, warnings %v: want good with one warning", h, warns)
	}
}

func TestStoreUnreadable(t *testing.T) {
	dir := t.TempDir()
	// A directory where the file should be: not corrupt data, an error.
	path := filepath.Join(dir, "state.json")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{}); err == nil {
		t.Fatal("a directory opened as state")
	}
	// A symlink in place of either copy is refused, not followed.
	for _, suffix := range []string{"", BackupSuffix} {
		sub := filepath.Join(dir, "link"+suffix)
		if err := os.MkdirAll(sub, 0o700); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(sub, "state.json")
		if err := os.WriteFile(filepath.Join(dir, "target"), []byte(`{"version":1}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "target"), p+suffix); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(p, Options{}); err == nil {
			t.Fatalf("a symlink as %q opened as state", "state.json"+suffix)
		}
	}
	// A FIFO never blocks the open.
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Open(fifo, Options{}); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a FIFO opened as state")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Open blocked on a FIFO")
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"version":1,"typed":[{"file":"/a","uuid":"u","at":"2026-11-23T11:00:00Z"}]}`))
	f.Add([]byte(`{"version":1,"pending":[{"file":"/a","uuid":"u","text":"continue","at":"2026-11-23T11:00:00Z"},{"file":"/a","uuid":"v","text":"x","at":"2026-11-23T11:00:00Z"}]}`))
	f.Add([]byte(`{"version":1,"paused":[{"file":"/a","at":"2026-11-24T00:00:00Z"}],"dismissed":[{"file":"/a","uuid":"u"}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"version":1e400}`))
	lim := Limits{MaxEntries: 3, MaxAge: 24 * time.Hour}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parse(b, t0, lim)
		if err != nil && !errors.Is(err, errCorrupt) {
			t.Fatalf("error not marked corrupt: %v", err)
		}
		for _, n := range []int{len(d.Typed), len(d.Pending), len(d.Dismissed), len(d.Paused)} {
			if n > lim.MaxEntries {
				t.Fatalf("%d entries kept, cap %d", n, lim.MaxEntries)
			}
		}
		seen := map[string]bool{}
		for _, p := range d.Pending {
			if seen[p.File] || p.File == "" || p.Text == "" {
				t.Fatalf("pending list %+v", d.Pending)
			}
			seen[p.File] = true
		}
		// What was loaded writes and reads back the same.
		out, err := d.encode()
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		d2, err := parse(out, t0, lim)
		if err != nil {
			t.Fatalf("re-parse of our own output: %v\n%s", err, out)
		}
		out2, err := d2.encode()
		if err != nil || string(out) != string(out2) {
			t.Fatalf("round trip changed the state (%v):\n%s\n%s", err, out, out2)
		}
	})
}

// A reopen is recorded once per error uuid, in any file, survives a
// restart, and expires like the other records.
func TestReopenedRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	now := t0
	var warns []error
	s := open(t, path, &warns, &now)
	first := Reopened{File: "/a.jsonl", UUID: "e1", ErrorAt: t0.Add(-time.Minute), At: now}
	var marked []bool
	err := s.Update(func(d *Data) error {
		marked = append(marked, d.MarkReopened(first))
		marked = append(marked, d.MarkReopened(Reopened{File: "/b.jsonl", UUID: "e1", At: now})) // a copy of the session
		marked = append(marked, d.MarkReopened(Reopened{File: "/a.jsonl", UUID: "e2", At: now}))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(marked, []bool{true, false, true}) {
		t.Fatalf("marked %v, want [true false true]", marked)
	}
	d := open(t, path, &warns, &now).Data()
	if r, ok := d.ReopenedFor("e1"); !ok || r != first {
		t.Fatalf("after a restart: %+v %v, want %+v", r, ok, first)
	}
	if _, ok := d.ReopenedFor("e3"); ok {
		t.Fatal("e3 was never reopened")
	}
	now = t0.Add(15 * 24 * time.Hour)
	if d := open(t, path, &warns, &now).Data(); len(d.Reopened) != 0 {
		t.Fatalf("expired reopens kept: %+v", d.Reopened)
	}
	if len(warns) != 0 {
		t.Fatalf("warnings: %v", warns)
	}
}
