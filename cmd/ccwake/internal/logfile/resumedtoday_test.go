package logfile

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
)

// logAt writes one action line as the engine's logger does (resume's
// record: msg = what, then reason, session, pane, kind), at time t, in the
// text or JSON format.
func logAt(t *testing.T, path, format string, at time.Time, what, reason string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Time(slog.TimeKey, at)
		}
		return a
	}}
	var h slog.Handler = slog.NewTextHandler(f, opts)
	if format == "json" {
		h = slog.NewJSONHandler(f, opts)
	}
	slog.New(h).Log(context.Background(), slog.LevelInfo, what, "reason", reason, "session", "s-1", "pane", "%3", "kind", "throttle")
}

// Issue 18 item 6: "N resumed today" survives a restart: it is counted from
// the log file both the dashboard and --auto write. Only today's resumes
// count (not yesterday's, not a continue the API answered with a new
// error), across a rotation that happened today, and what is appended
// later is added without reading the file again.
func TestResumedTodayFromLogFile(t *testing.T) {
	loc := time.FixedZone("here", 2*3600)
	now := time.Date(2026, 11, 23, 15, 0, 0, 0, loc)
	dir := t.TempDir()
	path := filepath.Join(dir, "ccwake.log")
	resumed := resume.ResumedReason
	// The rotated file: yesterday's resume, then one just after midnight
	// here (22:30 UTC the day before).
	old := Rotated(path, 1)
	logAt(t, old, "text", now.Add(-20*time.Hour), "confirmed", resumed)
	logAt(t, old, "text", time.Date(2026, 11, 22, 22, 30, 0, 0, time.UTC), "confirmed", resumed)
	// Today's file, in JSON: two resumes, a continue answered by a new
	// error, other actions.
	logAt(t, path, "json", now.Add(-5*time.Hour), "typed", `typed "continue", attempt 1 of 6`)
	logAt(t, path, "json", now.Add(-5*time.Hour), "confirmed", resumed)
	logAt(t, path, "json", now.Add(-4*time.Hour), "confirmed", "continue delivered; the API answered with a new throttle error (attempt 2)")
	logAt(t, path, "json", now.Add(-3*time.Hour), "confirmed", resumed+" (late)")
	logAt(t, path, "json", now.Add(-2*time.Hour), "scheduled", "throttle: backoff 30s")

	c := NewResumedCounter(path, loc)
	if n, ok := c.count(now); !ok || n != 3 {
		t.Fatalf("count = %d, %v; want 3 (two today here, one after midnight in the rotated file)", n, ok)
	}
	// A line appended later (another ccwake's) is counted on the next call.
	logAt(t, path, "text", now.Add(time.Minute), "confirmed", resumed)
	if n, _ := c.count(now.Add(2 * time.Minute)); n != 4 {
		t.Fatalf("after one more resume: %d, want 4", n)
	}
	// A new day starts at 0.
	tomorrow := now.Add(12 * time.Hour)
	if n, _ := c.count(tomorrow); n != 0 {
		t.Fatalf("the next day: %d, want 0", n)
	}
	// A rotation: the file is renamed and a new one started.
	if err := os.Rename(path, Rotated(path, 1)); err != nil {
		t.Fatal(err)
	}
	logAt(t, path, "text", tomorrow.Add(time.Minute), "confirmed", resumed)
	if n, _ := c.count(tomorrow.Add(2 * time.Minute)); n != 1 {
		t.Fatalf("after a rotation: %d, want 1", n)
	}
	// No log file: nothing to say.
	if _, ok := NewResumedCounter(filepath.Join(dir, "none.log"), loc).count(now); ok {
		t.Error("a missing log file counted")
	}
}

// A long day: the tail is read backwards in chunks, and a line cut by a
// chunk boundary is still read whole.
func TestResumedTodayAcrossChunks(t *testing.T) {
	now := time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "ccwake.log")
	logAt(t, path, "text", now.Add(-24*time.Hour), "confirmed", resume.ResumedReason)
	want := 0
	for i := range 3000 {
		at := now.Add(-10*time.Hour + time.Duration(i)*time.Second)
		if i%7 == 0 {
			logAt(t, path, "text", at, "confirmed", resume.ResumedReason)
			want++
		} else {
			logAt(t, path, "text", at, "scheduled", "throttle: backoff 30s; resume at 17:01:30 and some more words")
		}
	}
	if fi, _ := os.Stat(path); fi.Size() < 3*tailChunk {
		t.Fatalf("log of %d bytes: the test needs several chunks", fi.Size())
	}
	if n, _ := NewResumedCounter(path, time.UTC).count(now); n != want {
		t.Errorf("count = %d, want %d", n, want)
	}
}

// The dashboard's engine shows the log file's count after a restart (its
// own starts at 0), and never less than its own.
func TestWithResumedToday(t *testing.T) {
	now := time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "ccwake.log")
	for i := range 2 {
		logAt(t, path, "text", now.Add(-time.Duration(i+1)*time.Hour), "confirmed", resume.ResumedReason)
	}
	eng := &snapEngine{snap: resume.Snapshot{ResumedDay: 0}}
	w := WithResumedToday(eng, NewResumedCounter(path, time.UTC), func() time.Time { return now })
	if got := w.Snapshot().ResumedDay; got != 2 {
		t.Errorf("after a restart: %d resumed today, want 2 from the log file", got)
	}
	eng.snap.ResumedDay = 5
	if got := w.Snapshot().ResumedDay; got != 5 {
		t.Errorf("engine says 5: got %d", got)
	}
	if WithResumedToday(eng, NewResumedCounter("", time.UTC), time.Now) != eng {
		t.Error("log file off: the engine should be used as it is")
	}
}

// snapEngine is a remote.Local that only has a snapshot.
type snapEngine struct{ snap resume.Snapshot }

func (s *snapEngine) Snapshot() resume.Snapshot          { return s.snap }
func (s *snapEngine) Changes() <-chan struct{}           { return nil }
func (s *snapEngine) Retry(string)                       {}
func (s *snapEngine) Pause(string, bool)                 {}
func (s *snapEngine) Dismiss(string)                     {}
func (s *snapEngine) SetAuto(bool)                       {}
func (s *snapEngine) Reopen(string)                      {}
func (s *snapEngine) Jump(context.Context, string) error { return nil }
