package watch

import "bytes"

// maxLine bounds the bytes held for one line. Transcript lines reach several
// MB (tool output, base64 images); a line longer than this is dropped with a
// warning rather than held, so a runaway writer cannot exhaust memory. Lines
// that long never carry an API error: those are a few hundred bytes.
const maxLine = 64 << 20

// keepCap is the largest line buffer kept between lines; a bigger one (held
// for a multi-MB line) is released so that 10,000 followed files do not each
// pin the memory of their longest line.
const keepCap = 256 << 10

// hugeLine is the size of a released line buffer worth giving back to the
// operating system at once (see lineSplitter.freed): the Go runtime would
// otherwise keep the pages for minutes, and a daemon's resident size would
// stay at the peak of its longest line.
const hugeLine = 8 << 20

// junkHold is how much of a line that cannot be JSON (its first byte is not
// '{' or JSON white space: zeros of a hole, binary garbage) is held: enough
// to say why it does not parse, so such a line costs no memory however long.
const junkHold = 4 << 10

// lineSplitter cuts a byte stream, fed in arbitrary chunks, into complete
// lines. It holds an incomplete last line until its newline arrives, because
// a writer may be caught mid-line, and it knows each line's file offset so
// that the tracker can order entries with equal timestamps.
type lineSplitter struct {
	max     int    // longest line held; longer ones are skipped
	part    []byte // the incomplete line so far (only its head when it is junk)
	n       int    // length of the incomplete line so far
	partOff int64  // file offset of part[0]
	skip    bool   // dropping an over-long line until its newline
	// freed is set when a buffer of hugeLine or more was released: the
	// caller may hand the memory back to the operating system.
	freed bool
}

// feed consumes p, which holds the file bytes starting at off. It calls line
// for each complete line (without its "\n"; empty lines are left out) with the
// offset of its first byte; the slice is only valid during the call. A line
// that cannot be JSON is passed cut to its first junkHold bytes. It calls
// tooLong with the offset and the length seen so far of a line that exceeds
// max, once per such line.
func (s *lineSplitter) feed(p []byte, off int64, line func(b []byte, off int64), tooLong func(off int64, n int)) {
	limit := s.max
	if limit <= 0 {
		limit = maxLine
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if s.skip {
				return
			}
			if s.n == 0 {
				s.partOff = off
			}
			if s.n+len(p) > limit {
				tooLong(s.partOff, s.n+len(p))
				s.drop()
				s.skip = true
				return
			}
			s.hold(p)
			return
		}
		switch {
		case s.skip:
			s.skip = false
		case s.n > 0:
			if s.n+i > limit {
				tooLong(s.partOff, s.n+i)
			} else {
				s.hold(p[:i])
				line(s.part, s.partOff)
			}
			s.drop()
		case i > limit:
			tooLong(off, i)
		case i > junkHold && !maybeJSON(p[0]):
			line(p[:junkHold], off)
		case i > 0:
			line(p[:i], off)
		}
		p = p[i+1:]
		off += int64(i) + 1
	}
}

// hold appends b to the incomplete line, only up to junkHold bytes of a
// line that cannot be JSON.
func (s *lineSplitter) hold(b []byte) {
	first := byte('{')
	switch {
	case len(s.part) > 0:
		first = s.part[0]
	case len(b) > 0:
		first = b[0]
	}
	s.n += len(b)
	if !maybeJSON(first) {
		b = b[:min(len(b), max(junkHold-len(s.part), 0))]
	}
	s.part = append(s.part, b...)
}

// maybeJSON reports whether a line starting with c may be a JSON object.
func maybeJSON(c byte) bool { return c == '{' || c == ' ' || c == '\t' || c == '\r' }

// hole takes in a hole of zeros starting at off (a sparse file): the line
// it lies in cannot be JSON, so it is dropped up to its newline without
// reading the hole. It returns the offset of that line, and whether it is
// newly dropped (false when it was being skipped already).
func (s *lineSplitter) hole(off int64) (int64, bool) {
	if s.skip {
		return 0, false
	}
	if s.n > 0 {
		off = s.partOff
	}
	s.drop()
	s.skip = true
	return off, true
}

// drop forgets the held line, releasing a big buffer.
func (s *lineSplitter) drop() {
	s.n = 0
	if cap(s.part) >= hugeLine {
		s.freed = true
	}
	if cap(s.part) > keepCap {
		s.part = nil
	} else {
		s.part = s.part[:0]
	}
}

// reset forgets everything: the file was truncated or replaced.
func (s *lineSplitter) reset() {
	s.drop()
	s.part, s.partOff, s.skip = nil, 0, false
}

// pending is how many bytes of an incomplete line are held.
func (s *lineSplitter) pending() int { return len(s.part) }
