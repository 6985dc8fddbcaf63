package watch

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// readChunk is how much a follower reads per system call.
const readChunk = 256 << 10

// maxStep bounds how much one follow step reads of one file. A file can grow
// by gigabytes at once (a runaway writer, or `truncate -s 1T` on a
// transcript, which reads as zeros): the rest is read in later steps, so
// other files' events and a stop are never held up by it for long.
const maxStep = 64 << 20

// reader is the scratch space and settings shared by the followers that one
// goroutine runs; it is not safe for concurrent use.
type reader struct {
	fsys   fileSystem
	loc    *time.Location
	now    func() time.Time // when a line is read: the Tracker's sanity bound for timestamps
	budget int              // cold-start bytes per file
	cold   []byte           // cold-start scratch, budget bytes
	buf    []byte           // forward-read scratch, readChunk bytes
}

func newReader(fsys fileSystem, loc *time.Location, now func() time.Time, budget int) *reader {
	if budget <= 0 {
		budget = coldBudget
	}
	if now == nil {
		now = time.Now
	}
	return &reader{fsys: fsys, loc: loc, now: now, budget: budget, cold: make([]byte, budget), buf: make([]byte, readChunk)}
}

// transcript follows one .jsonl file: it remembers which file it read (for
// os.SameFile) and how far, holds an incomplete last line, and folds every
// complete line into the session's Tracker.
type transcript struct {
	root, path string

	info  fs.FileInfo // the file last read; nil before the first read
	off   int64       // next byte to read (bytes of a held partial line included)
	split lineSplitter
	tr    *Tracker // nil until first read (files older than Since start unread)
	read  int64    // bytes read so far, for the benchmarks

	view    Session     // last view handed out
	mu      *sync.Mutex // the watcher's lock, held to change view; nil in Scan
	lastErr string      // newest read problem, "" when the last read was clean

	// agents holds, for a session transcript, what each of its subagent
	// files says about caps (by path).
	agents map[string]agentState

	// The flags together, so the struct packs without padding (one per
	// transcript, 10,000 on a big tree).
	known bool // view has been handed out
	// agent marks a subagent transcript: folded into its parent's view,
	// never handed out as a session of its own.
	agent bool
	more  bool // the last step stopped at maxStep: bytes are left to read
}

// newTranscript starts following path.
func newTranscript(root, path string) *transcript {
	return &transcript{root: root, path: filepath.Clean(path), agent: isAgentFile(path)}
}

// parentPath is the transcript of the session a subagent file belongs to:
// <project>/<session-id>.jsonl, from the path for 2.1.x
// (<project>/<session-id>/subagents/…) and from the session id its entries
// carry for 2.0.x (<project>/agent-<id>.jsonl). "" when unknown.
func (t *transcript) parentPath() string {
	dir := filepath.Dir(t.path)
	d := dir
	for range maxAgentDepth { // the nearest subagents/ at most maxAgentDepth up (agentDepth)
		if filepath.Base(d) == "subagents" {
			return filepath.Dir(d) + ".jsonl"
		}
		d = filepath.Dir(d)
	}
	if t.tr == nil || t.tr.id == "" || strings.ContainsAny(t.tr.id, `/\`) || t.tr.id == ".." {
		return ""
	}
	return filepath.Join(dir, t.tr.id+".jsonl")
}

// setAgent records what the subagent file a says (or, when a is gone,
// forgets it) and reports whether anything changed.
func (t *transcript) setAgent(a *transcript, gone bool) bool {
	if gone || a.tr == nil {
		if _, ok := t.agents[a.path]; !ok {
			return false
		}
		delete(t.agents, a.path)
		return true
	}
	if t.agents == nil {
		t.agents = make(map[string]agentState)
	}
	old, ok := t.agents[a.path]
	t.agents[a.path] = a.tr.agents
	return !ok || old != a.tr.agents
}

// agentStates lists the states of the subagent files.
func (t *transcript) agentStates() []agentState {
	if len(t.agents) == 0 {
		return nil
	}
	out := make([]agentState, 0, len(t.agents))
	for _, a := range t.agents {
		out = append(out, a)
	}
	return out
}

// outcome says what one follow step found.
type outcome uint8

const (
	unchanged outcome = iota
	changed           // view differs from the last one handed out
	gone              // the file no longer exists
)

// follow brings the transcript up to date. New bytes are read from the last
// offset on; a file that is now shorter than that offset (truncated) or is
// another file (replaced, e.g. by rename) is read again from its tail the way
// the cold start does, with a fresh Tracker. warns are problems worth telling
// the user (unreadable file, over-long line); they never stop following.
//
// Only regular files are transcripts: anything else named *.jsonl (a FIFO,
// a device, a directory) is never read. The file is stat'ed before it is
// opened, the open never blocks (see openFile), and the open descriptor is
// checked again, so a FIFO swapped in between cannot hang the watcher.
func (t *transcript) follow(r *reader) (outcome, []error) {
	return t.followListed(r, false)
}

// followListed is follow; regular says the caller has just stat'ed the path
// and found a regular file (the cold start), which saves a system call per
// file there.
func (t *transcript) followListed(r *reader, regular bool) (outcome, []error) {
	var warns []error
	t.more = false
	// Stat first, so that an event that changed nothing costs one system
	// call and nothing but a regular file is opened.
	if !regular {
		info, err := r.fsys.Stat(t.path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return gone, nil
			}
			return t.fail(fmt.Errorf("stat %s: %w", t.path, err))
		}
		if !info.Mode().IsRegular() {
			return t.notRegular(info.Mode())
		}
		if t.info != nil && sameFile(info, t.info) && info.Size() == t.off {
			return unchanged, nil
		}
	}
	f, err := r.fsys.Open(t.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return gone, nil
		}
		return t.fail(fmt.Errorf("open %s: %w", t.path, err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return t.fail(fmt.Errorf("stat %s: %w", t.path, err))
	}
	if !info.Mode().IsRegular() { // replaced since the stat
		return t.notRegular(info.Mode())
	}
	parseErr := ""
	if t.tr == nil && t.known && sameFile(info, t.info) && info.Size() >= t.off {
		// Dormant (rest): fold the bytes read before again, from their
		// tail as the cold start did, then read on from where it stopped.
		res, err := coldRead(f, t.off, t.root, t.path, r.loc, r.now, r.budget, r.cold)
		t.read += res.read
		if err != nil {
			return t.fail(err)
		}
		t.tr = res.tr
	}
	if t.tr == nil || !sameFile(info, t.info) || info.Size() < t.off {
		res, err := coldRead(f, info.Size(), t.root, t.path, r.loc, r.now, r.budget, r.cold)
		t.read += res.read
		if err != nil {
			return t.fail(err)
		}
		t.tr, t.off, t.info = res.tr, res.end, info
		t.split.reset()
		t.split.skip = res.skip
		parseErr = res.parseErr
	} else {
		t.info = info
		for step := 0; ; step += len(r.buf) {
			if step >= maxStep {
				t.more = true // the rest in the next step
				break
			}
			// A big growth may be a hole (`truncate -s 8G`): skip it
			// with one system call instead of reading gigabytes of
			// zeros. A small append costs no extra call.
			if info.Size()-t.off > int64(len(r.buf)) {
				if next := f.DataFrom(t.off, info.Size()); next > t.off {
					if off, fresh := t.split.hole(t.off); fresh {
						warns = append(warns, fmt.Errorf("%s: line at byte %d runs into a hole of %d zero bytes (a sparse file): skipped to its newline", t.path, off, next-t.off))
					}
					t.off = next
					continue
				}
			}
			n, err := f.ReadAt(r.buf, t.off)
			t.read += int64(n)
			t.split.feed(r.buf[:n], t.off, func(line []byte, off int64) {
				if msg := t.addLine(line, off, r.loc); msg != "" {
					parseErr = msg
				}
			}, func(off int64, n int) {
				warns = append(warns, fmt.Errorf("%s: line at byte %d is over %d MiB (%d bytes so far): skipped", t.path, off, maxLineOf(t.split.max)>>20, n))
			})
			t.off += int64(n)
			if err != nil || n < len(r.buf) {
				if err != nil && !errors.Is(err, io.EOF) {
					warns = append(warns, fmt.Errorf("read %s: %w", t.path, err))
				}
				break
			}
		}
	}
	t.lastErr = parseErr
	prevNote := t.view.TimeNote
	out := t.update()
	if n := t.view.TimeNote; n != "" && n != prevNote {
		warns = append(warns, fmt.Errorf("%s: %s", t.path, n)) // a clock went wrong: say so, once
	}
	return out, warns
}

// rest lets a working session's transcript go dormant after the cold
// start: its Tracker is dropped, and the next change first folds the bytes
// before the offset again from their tail, as the cold start did, then
// reads what was appended as usual.
// Most of 10,000 transcripts never change again; their Trackers were two
// fifths of the memory. The cold start rests each one as soon as it is
// read, so they never all exist at once. Not for subagent files (their
// parent's view is folded from their Trackers), nor for stalls. A resting
// parent whose subagent holds a usage cap is read again (linkAgent).
func (t *transcript) rest() {
	if t.tr == nil || !t.known || t.agent || t.view.State != Working {
		return
	}
	t.tr = nil
}

// addLine folds one complete line in; it returns a description of the
// problem when the line does not parse.
func (t *transcript) addLine(line []byte, off int64, loc *time.Location) string {
	e, err := classify.Parse(line, loc)
	if err != nil {
		return fmt.Sprintf("line at byte %d: %v", off, err)
	}
	t.tr.AddAt(e, off)
	return ""
}

// notRegular handles a path that is not (or no longer) a regular file: a
// transcript that was followed is gone; anything else is ignored, with one
// warning until it changes.
func (t *transcript) notRegular(mode fs.FileMode) (outcome, []error) {
	if t.tr != nil || t.known {
		return gone, nil
	}
	kind := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case mode.IsDir():
		kind = "a directory"
	case mode&fs.ModeDevice != 0:
		kind = "a device"
	case mode&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return t.fail(fmt.Errorf("%s is %s, not a transcript: ignored", t.path, kind))
}

// fail records a read problem; it is a warning only when it is new, so a
// file that stays unreadable does not repeat itself on every event.
func (t *transcript) fail(err error) (outcome, []error) {
	msg := err.Error()
	if msg == t.lastErr {
		return unchanged, nil
	}
	t.lastErr = msg
	if t.tr == nil {
		if t.known { // dormant (rest): the view says it
			v := t.view
			v.LastError = msg
			t.putView(v)
			return changed, []error{err}
		}
		return unchanged, []error{err}
	}
	return t.update(), []error{err}
}

// update refreshes the view and reports whether it changed. The file's
// modification time alone does not count as a change: metadata lines move
// it on every turn and say nothing about a stall.
func (t *transcript) update() outcome {
	v := t.tr.sessionWith(t.agentStates())
	if t.info != nil {
		v.ModTime = t.info.ModTime()
	}
	v.LastError = t.lastErr
	old := t.view
	t.putView(v)
	if t.known && sameView(v, old) {
		return unchanged
	}
	t.known = true
	return changed
}

// putView replaces the view, under the watcher's lock when the watcher's
// table lists this transcript (Watcher.Sessions reads views from there).
func (t *transcript) putView(v Session) {
	if t.mu != nil {
		t.mu.Lock()
		defer t.mu.Unlock()
	}
	t.view = v
}

// sameView compares two views but for the modification time, with times
// compared as instants (a reset time parsed twice carries two *Location).
func sameView(a, b Session) bool {
	norm := func(s Session) Session {
		s.ModTime = time.Time{}
		for _, t := range []*time.Time{&s.StalledAt, &s.ErrorAt, &s.ResetsAt, &s.LastAt} {
			if !t.IsZero() {
				*t = t.UTC()
			}
		}
		return s
	}
	return norm(a) == norm(b)
}

func maxLineOf(n int) int {
	if n <= 0 {
		return maxLine
	}
	return n
}
