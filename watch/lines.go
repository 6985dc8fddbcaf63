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

// lineSplitter cuts a byte stream, fed in arbitrary chunks, into complete
// lines. It holds an incomplete last line until its newline arrives, because
// a writer may be caught mid-line, and it knows each line's file offset so
// that the tracker can order entries with equal timestamps.
type lineSplitter struct {
	max     int    // longest line held; longer ones are skipped
	part    []byte // the incomplete line so far
	partOff int64  // file offset of part[0]
	skip    bool   // dropping an over-long line until its newline
}

// feed consumes p, which holds the file bytes starting at off. It calls line
// for each complete line (without its "\n"; empty lines are left out) with the
// offset of its first byte; the slice is only valid during the call. It calls
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
			if len(s.part) == 0 {
				s.partOff = off
			}
			if len(s.part)+len(p) > limit {
				tooLong(s.partOff, len(s.part)+len(p))
				s.drop()
				s.skip = true
				return
			}
			s.part = append(s.part, p...)
			return
		}
		switch {
		case s.skip:
			s.skip = false
		case len(s.part) > 0:
			if len(s.part)+i > limit {
				tooLong(s.partOff, len(s.part)+i)
			} else {
				s.part = append(s.part, p[:i]...)
				line(s.part, s.partOff)
			}
			s.drop()
		case i > limit:
			tooLong(off, i)
		case i > 0:
			line(p[:i], off)
		}
		p = p[i+1:]
		off += int64(i) + 1
	}
}

// drop forgets the held line, releasing a big buffer.
func (s *lineSplitter) drop() {
	if cap(s.part) > keepCap {
		s.part = nil
	} else {
		s.part = s.part[:0]
	}
}

// reset forgets everything: the file was truncated or replaced.
func (s *lineSplitter) reset() {
	s.part, s.partOff, s.skip = nil, 0, false
}

// pending is how many bytes of an incomplete line are held.
func (s *lineSplitter) pending() int { return len(s.part) }
