// Package jsondepth bounds how deeply a JSON text nests before any recursive
// parser sees it.
//
// gjson.Valid and encoding/json descend one Go stack frame per nesting
// level. A line of a few million "[" (appended to a transcript by anyone who
// can write to it) grows the goroutine stack past its 1 GB limit, and the
// runtime then aborts the whole process with "fatal error: stack overflow",
// which recover cannot catch. This package scans iteratively, with constant
// stack and no allocation, so a line can be rejected first.
package jsondepth

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// Max is the deepest nesting ccwake accepts in a transcript line or a
// sessions file. Claude Code's entries nest about ten levels (message →
// content → block → input → …); tool input and output are JSON strings, not
// structure. 512 leaves ample room for any real entry while keeping the
// recursive parsers' stacks a few hundred KiB at most.
const Max = 512

// ErrTooDeep is wrapped by Check's error.
var ErrTooDeep = errors.New("JSON nested too deeply")

// Check returns an error wrapping ErrTooDeep when b opens more than max
// objects or arrays at once, counting only brackets outside strings (with
// backslash escapes honoured). It does not validate b: an unbalanced or
// otherwise broken text that stays shallow passes, and the parser that
// follows rejects it. Its cost is linear in len(b).
func Check(b []byte, max int) error {
	// Fast path: fewer openers than max cannot nest deeper than max.
	// bytes.Count is vectorised; the scan below is a byte loop.
	if n := bytes.Count(b, []byte("[")); n <= max && n+bytes.Count(b, []byte("{")) <= max {
		return nil
	}
	// A read-only view of b: SkipString only reads, and keeps nothing.
	s := unsafe.String(unsafe.SliceData(b), len(b))
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			i = SkipString(s, i) - 1 // the closing quote; i++ steps past it
		case '{', '[':
			depth++
			if depth > max {
				return fmt.Errorf("%w: more than %d levels at byte %d", ErrTooDeep, max, i)
			}
		case '}', ']':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

// SkipString returns the index just past the JSON string starting at s[i]
// (which must be '"'), or len(s) when it never closes. It is the one string
// scanner ccwake's raw JSON walks share (Check here, classify's member walk).
//
// It jumps from quote to quote with strings.IndexByte (vectorised; strings
// here are megabytes of tool output) and treats a quote as the end when an
// even number of backslashes precedes it.
func SkipString(s string, i int) int {
	for j := i + 1; j < len(s); {
		k := strings.IndexByte(s[j:], '"')
		if k < 0 {
			return len(s)
		}
		q := j + k
		bs := 0
		for p := q - 1; p > i && s[p] == '\\'; p-- {
			bs++
		}
		if bs%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
	return len(s)
}
