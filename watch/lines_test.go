package watch

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// wantLines is the reference: the complete, non-empty lines of data that fit
// in max bytes, and the trailing partial line.
func wantLines(data []byte, max int) (lines [][]byte, offs []int64, long int, tail []byte) {
	off := 0
	for {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return lines, offs, long, data[off:]
		}
		switch {
		case i > max:
			long++
		case i > junkHold && !maybeJSON(data[off]):
			lines = append(lines, data[off:off+junkHold]) // not JSON: only its head is held
			offs = append(offs, int64(off))
		case i > 0:
			lines = append(lines, data[off:off+i])
			offs = append(offs, int64(off))
		}
		off += i + 1
	}
}

// FuzzLineReader feeds arbitrary input in arbitrary chunks: the lines that
// come out must be exactly the complete lines that went in, at their
// offsets, however the input was cut.
func FuzzLineReader(f *testing.F) {
	ents, _ := os.ReadDir(transcripts)
	for _, e := range ents {
		if filepath.Ext(e.Name()) == ".jsonl" {
			b, err := os.ReadFile(filepath.Join(transcripts, e.Name()))
			if err == nil {
				f.Add(b[:min(len(b), 4<<10)], uint64(len(b)), uint16(0))
			}
		}
	}
	f.Add([]byte("a\n\nb\nccc"), uint64(1), uint16(2))
	f.Add([]byte("\n\n\n"), uint64(7), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, maxLen uint16) {
		max := maxLine
		if maxLen > 0 {
			max = int(maxLen)
		}
		lines, offs, long, tail := wantLines(data, max)
		s := &lineSplitter{max: max}
		rng := rand.New(rand.NewPCG(seed, seed>>7))
		var got [][]byte
		var gotOffs []int64
		gotLong := 0
		for off := 0; off < len(data); {
			n := 1 + rng.IntN(min(len(data)-off, 1+rng.IntN(4096)))
			s.feed(data[off:off+n], int64(off), func(b []byte, o int64) {
				got = append(got, bytes.Clone(b))
				gotOffs = append(gotOffs, o)
			}, func(int64, int) { gotLong++ })
			off += n
		}
		if len(got) != len(lines) {
			t.Fatalf("%d lines, want %d", len(got), len(lines))
		}
		for i := range got {
			if !bytes.Equal(got[i], lines[i]) || gotOffs[i] != offs[i] {
				t.Fatalf("line %d: %q at %d, want %q at %d", i, got[i], gotOffs[i], lines[i], offs[i])
			}
		}
		// A partial line longer than max is reported (and dropped) before its newline.
		wantLong := long
		if len(tail) > max {
			wantLong++
		}
		if gotLong != wantLong {
			t.Fatalf("%d over-long lines, want %d", gotLong, wantLong)
		}
		held := tail
		if len(tail) > junkHold && !maybeJSON(tail[0]) {
			held = tail[:junkHold]
		}
		if len(tail) <= max && !bytes.Equal(s.part, held) {
			t.Fatalf("holding %q, want %q", s.part, tail)
		}
	})
}

// A line that cannot be JSON (zeros, as a hole on a file system that does
// not report holes reads) is held only as far as junkHold, however long it
// grows: it costs no memory, and what follows its newline still counts.
func TestJunkLineNotHeld(t *testing.T) {
	s := &lineSplitter{}
	zeros := make([]byte, 1<<20)
	var lines []string
	line := func(b []byte, _ int64) { lines = append(lines, string(b)) }
	tooLong := func(int64, int) { t.Fatal("a 32 MiB line is under maxLine") }
	for i := range 32 {
		s.feed(zeros, int64(i)<<20, line, tooLong)
		if cap(s.part) > 2*junkHold {
			t.Fatalf("holding %d bytes (cap %d) of zeros after %d MiB", len(s.part), cap(s.part), i+1)
		}
	}
	s.feed([]byte("\n{\"a\":1}\n"), 32<<20, line, tooLong)
	if len(lines) != 2 || len(lines[0]) != junkHold || lines[1] != `{"a":1}` {
		t.Fatalf("lines: %d, first %d bytes", len(lines), len(lines[0]))
	}
}
