package watch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

const (
	// coldChunk is how much the cold start reads first, backwards from the
	// end of a transcript; each further step reads twice as much. The tail
	// of a transcript (the last reply and the metadata after it) usually
	// fits in the first one or two.
	coldChunk = 4 << 10
	// coldBudget bounds how much of one transcript the cold start reads.
	// An API error and the metadata Claude Code writes after it are a few
	// KiB, so an error that is the last conversation entry is always
	// within the budget; a longer tail means a big entry (tool output), and
	// big entries are never errors.
	coldBudget = 64 << 10
)

// coldResult is what reading a transcript from its tail found.
type coldResult struct {
	tr   *Tracker
	end  int64 // offset just past the last complete line: following starts here
	skip bool  // end sits inside an incomplete line longer than the budget: drop up to its newline
	read int64 // bytes read from the file
	// parseErr describes the newest line that did not parse ("" when all did).
	parseErr string
}

// coldRead reads f (of the given size) backwards from its end in coldChunk
// steps and folds complete lines into a new Tracker until the state is
// known: a main-thread normal assistant reply has been read (what lies before
// it cannot change the state), the start of the file is reached, or budget
// bytes have been read (then what was seen decides). A last line without its
// "\n" is still being written: it is left for the follower. buf is scratch
// space of at least budget bytes, owned by the caller so that a worker
// reading thousands of files allocates it once.
func coldRead(f io.ReaderAt, size int64, root, path string, loc *time.Location, now func() time.Time, budget int, buf []byte) (coldResult, error) {
	res := coldResult{tr: NewTracker(root, path)}
	res.tr.SetClock(now)
	// In a subagent file every turn is a sidechain one: any normal reply
	// settles what it says about caps.
	agentFile := isAgentFile(path)
	if budget <= 0 {
		budget = coldBudget
	}
	if len(buf) < budget {
		buf = make([]byte, budget)
	}
	buf = buf[:budget]
	lo := len(buf) // buf[lo:] holds the file bytes from pos on
	pos := size
	lineEnd := -1 // index in buf of the "\n" ending the newest unread complete line
	var nlBuf [256]int
	nls := nlBuf[:0] // newlines of the current chunk
	done := false
	// handle folds one line in and reports whether it settles the state.
	handle := func(line []byte, off int64) bool {
		if len(line) == 0 || leadingMeta(line) {
			return false
		}
		e, err := classify.Parse(line, loc)
		if err != nil {
			if res.parseErr == "" {
				res.parseErr = fmt.Sprintf("line at byte %d: %v", off, err)
			}
			return false
		}
		res.tr.AddAt(e, off)
		return e.Role == classify.Assistant && e.Err == nil && (!e.Sidechain || agentFile)
	}
	for step := coldChunk; !done && pos > 0 && lo > 0; step *= 2 {
		n := int(min(int64(step), int64(lo), pos))
		lo -= n
		pos -= int64(n)
		got, err := f.ReadAt(buf[lo:lo+n], pos)
		res.read += int64(got)
		if got < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF // the file shrank while we read it
			}
			return res, fmt.Errorf("read %s at %d: %w", path, pos, err)
		}
		// Lines ending in the new bytes, newest first. The newlines are
		// found forwards (bytes.IndexByte is vectorised, LastIndexByte
		// is a byte loop) and handled backwards. A chunk is finished
		// even after the state is settled: its bytes are already here,
		// and more entries only make the fold surer.
		nls = nls[:0]
		for k := lo; k < lo+n; {
			j := bytes.IndexByte(buf[k:lo+n], '\n')
			if j < 0 {
				break
			}
			nls = append(nls, k+j)
			k += j + 1
		}
		for k := len(nls) - 1; k >= 0; k-- {
			i := nls[k]
			if lineEnd < 0 {
				res.end = pos + int64(i-lo) + 1
			} else if handle(buf[i+1:lineEnd], pos+int64(i+1-lo)) {
				done = true
			}
			lineEnd = i
		}
	}
	switch {
	case lineEnd < 0 && pos == 0:
		res.end = 0 // one incomplete line (or nothing): follow from the start
	case lineEnd < 0:
		res.end, res.skip = size, true // an incomplete line longer than the budget
	case !done && pos == 0:
		handle(buf[lo:lineEnd], 0) // the first line of the file
	}
	return res, nil
}

// leadingMeta reports whether a line is metadata by its first member, as
// Claude Code writes the lines that follow a turn ({"type":"last-prompt",
// {"type":"cost-state", …). Those say nothing about a stall and name only
// the session id the conversation entries also carry, so the cold start
// skips them without parsing; conversation entries start with parentUuid.
func leadingMeta(line []byte) bool {
	const key = `{"type":"`
	if !bytes.HasPrefix(line, []byte(key)) {
		return false
	}
	v := line[len(key):]
	end := bytes.IndexByte(v, '"')
	if end < 0 {
		return false
	}
	t := string(v[:end])
	return t != "user" && t != "assistant"
}
