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
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = stringEnd(b, i)
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

// stringEnd returns the index of the quote closing the string that opens
// at b[i] (len(b) when it never closes). It jumps from quote to quote with
// bytes.IndexByte (strings here are megabytes of tool output) and takes a
// quote as the end when an even number of backslashes precedes it.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return len(b)
		}
		q := j + k
		bs := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			bs++
		}
		if bs%2 == 0 {
			return q
		}
		j = q + 1
	}
	return len(b)
}
