package logfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
)

// The header's "N resumed today" comes from the log file, not only from the
// engine's memory: the log file outlives a restart, and every ccwake of the
// user writes it (the dashboard and an --auto service alike), so the count
// is the day's, whoever resumed.

// ResumedCounter counts today's resumes in the log file (and its rotated
// predecessors when today began before a rotation). The first count reads
// today's tail, backwards from the end until a line of an earlier day; after
// that only the bytes appended since are read, so a count per snapshot
// costs next to nothing.
type ResumedCounter struct {
	path string
	loc  *time.Location

	mu   sync.Mutex
	day  string      // the day n counts
	n    int         // resumes on day up to off
	file os.FileInfo // the file off is in; a rotation replaces it
	off  int64       // bytes of file counted (whole lines only)
}

// NewResumedCounter counts in the log file at path, days in loc.
func NewResumedCounter(path string, loc *time.Location) *ResumedCounter {
	return &ResumedCounter{path: path, loc: loc}
}

// tailChunk is how much of a log file one backwards read takes.
const tailChunk = 64 << 10

// count is how many sessions the log file says were resumed on now's day;
// ok is false when there is no log file to ask.
func (c *ResumedCounter) count(now time.Time) (int, bool) {
	if c == nil || c.path == "" {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now = now.In(c.loc)
	day := now.Format(time.DateOnly)
	fi, err := os.Stat(c.path)
	if err != nil {
		return 0, false
	}
	if day != c.day || c.file == nil || !os.SameFile(fi, c.file) || fi.Size() < c.off {
		start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, c.loc)
		n, err := c.recount(start, day)
		if err != nil {
			return 0, false
		}
		c.day, c.n, c.file = day, n, fi
		c.off = fi.Size() - c.partial()
		return c.n, true
	}
	if fi.Size() > c.off {
		n, read, err := countFrom(c.path, c.off, day, c.loc)
		if err == nil {
			c.n += n
			c.off += read
		}
	}
	return c.n, true
}

// partial is the length of an unfinished last line of the file (a write
// in progress), which the next count reads whole.
func (c *ResumedCounter) partial() int64 {
	f, err := os.Open(c.path)
	if err != nil {
		return 0
	}
	defer f.Close()
	buf := make([]byte, min(c.file.Size(), 4096))
	if _, err := f.ReadAt(buf, c.file.Size()-int64(len(buf))); err != nil && !errors.Is(err, io.EOF) {
		return 0
	}
	if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
		return int64(len(buf) - 1 - i)
	}
	return 0
}

// recount counts day's resumes from the log file's end backwards, into the
// rotated files while the day goes on before their start.
func (c *ResumedCounter) recount(start time.Time, day string) (int, error) {
	total := 0
	for i := 0; i <= Keep; i++ {
		p := c.path
		if i > 0 {
			p = Rotated(c.path, i)
		}
		n, earlier, err := countTail(p, start, day, c.loc)
		if errors.Is(err, fs.ErrNotExist) && i > 0 {
			break
		}
		if err != nil {
			return 0, err
		}
		total += n
		if earlier {
			break // the day began in this file
		}
	}
	return total, nil
}

// countTail reads path backwards a chunk at a time and counts day's
// resumes; earlier says it reached a line from before start (older files
// need no reading).
func countTail(path string, start time.Time, day string, loc *time.Location) (n int, earlier bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, false, err
	}
	end := fi.Size()
	var carry []byte // the start of a line cut by the previous chunk
	for end > 0 {
		from := max(0, end-tailChunk)
		buf := make([]byte, end-from, end-from+int64(len(carry)))
		if _, err := f.ReadAt(buf, from); err != nil && !errors.Is(err, io.EOF) {
			return 0, false, err
		}
		buf = append(buf, carry...)
		lines := bytes.Split(buf, []byte{'\n'})
		if from > 0 {
			carry = lines[0] // may be cut: the next chunk completes it
			lines = lines[1:]
		}
		for i := len(lines) - 1; i >= 0; i-- {
			t, resumed := resumedLine(string(lines[i]))
			if t.IsZero() {
				continue
			}
			if t.Before(start) {
				return n, true, nil
			}
			if resumed && t.In(loc).Format(time.DateOnly) == day {
				n++
			}
		}
		end = from
	}
	return n, false, nil
}

// countFrom counts day's resumes in the whole lines of path from off on;
// read is how many bytes those lines take.
func countFrom(path string, off int64, day string, loc *time.Location) (n int, read int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, off, 1<<40))
	if err != nil {
		return 0, 0, err
	}
	last := bytes.LastIndexByte(b, '\n')
	if last < 0 {
		return 0, 0, nil
	}
	for _, l := range bytes.Split(b[:last], []byte{'\n'}) {
		if t, resumed := resumedLine(string(l)); resumed && t.In(loc).Format(time.DateOnly) == day {
			n++
		}
	}
	return n, int64(last + 1), nil
}

// resumedLine reads a log line's time and whether it records a resume (a
// "confirmed" action whose reason says the session works again). The time
// is zero for a line that is no log record.
func resumedLine(line string) (time.Time, bool) {
	line = strings.TrimSpace(line)
	if line == "" {
		return time.Time{}, false
	}
	r, ok := parseLogLine(line)
	if !ok {
		return time.Time{}, false
	}
	if r.msg != "confirmed" {
		return r.time, false
	}
	for _, kv := range r.attrs {
		if kv[0] == "reason" {
			return r.time, strings.HasPrefix(kv[1], resume.ResumedReason)
		}
	}
	return r.time, false
}

// resumedToday is an engine whose snapshots count today's resumes from the
// log file as well: after a restart the engine's own count starts at 0.
type resumedToday struct {
	remote.Local
	c   *ResumedCounter
	now func() time.Time
}

// WithResumedToday wraps eng so its snapshots carry the log file's count
// when it is the larger (the engine's own is a floor: a log line may fail
// to be written).
func WithResumedToday(eng remote.Local, c *ResumedCounter, now func() time.Time) remote.Local {
	if c == nil || c.path == "" {
		return eng
	}
	return resumedToday{Local: eng, c: c, now: now}
}

func (r resumedToday) Snapshot() resume.Snapshot {
	snap := r.Local.Snapshot()
	if n, ok := r.c.count(r.now()); ok && n > snap.ResumedDay {
		snap.ResumedDay = n
	}
	return snap
}
