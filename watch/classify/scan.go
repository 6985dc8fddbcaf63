package classify

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ccwake/ccwake/internal/jsondepth"
)

// This file holds the few raw JSON helpers Parse needs on top of gjson.
//
// gjson unescapes every string value it returns (Result.Str) and GetBytes
// copies Result.Raw. Transcript lines carry megabytes of tool output and
// base64 images in string values (message.content, toolUseResult), so
// asking gjson for them would allocate the whole value. Instead Parse walks
// the line's top-level members once, keeps raw (unescaped, uncopied) slices
// of the few members it wants, and decodes only short prefixes itself.
// All helpers run on input already checked by gjson.Valid, and still
// bounds-check every index so that no input can make them panic.

// skipWS returns the index of the first non-whitespace byte at or after i.
func skipWS(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipValue returns the index just past the JSON value starting at s[i].
func skipValue(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	switch s[i] {
	case '"':
		return jsondepth.SkipString(s, i)
	case '{', '[':
		depth := 0
		for i < len(s) {
			switch s[i] {
			case '"':
				i = jsondepth.SkipString(s, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(s)
	default: // number, true, false, null
		for i < len(s) {
			switch s[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
			i++
		}
		return len(s)
	}
}

// eachMember calls fn with the raw key (without quotes, not unescaped) and
// the raw value of every member of the JSON object obj, until fn returns
// false. Non-objects yield nothing.
func eachMember(obj string, fn func(key, raw string) bool) {
	i := skipWS(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return
	}
	i++
	for {
		i = skipWS(obj, i)
		if i >= len(obj) || obj[i] != '"' {
			return
		}
		end := jsondepth.SkipString(obj, i)
		if end-1 <= i {
			return
		}
		key := obj[i+1 : end-1]
		i = skipWS(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return
		}
		i = skipWS(obj, i+1)
		vend := skipValue(obj, i)
		if !fn(key, obj[i:vend]) {
			return
		}
		i = skipWS(obj, vend)
		if i >= len(obj) || obj[i] != ',' {
			return
		}
		i++
	}
}

// member returns the raw value of obj's first member named key ("" if none).
func member(obj, key string) string {
	var out string
	eachMember(obj, func(k, raw string) bool {
		if k == key {
			out = raw
			return false
		}
		return true
	})
	return out
}

// eachElement calls fn with every raw element of the JSON array arr until fn
// returns false.
func eachElement(arr string, fn func(raw string) bool) {
	i := skipWS(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return
	}
	i = skipWS(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return
	}
	for i < len(arr) {
		end := skipValue(arr, i)
		if end <= i || !fn(arr[i:end]) {
			return
		}
		i = skipWS(arr, end)
		if i >= len(arr) || arr[i] != ',' {
			return
		}
		i = skipWS(arr, i+1)
	}
}

// firstText returns the raw JSON string holding the text of a message's
// content: the content itself when it is a string, else the "text" of its
// first block of type "text". It returns "" when there is none.
func firstText(content string) string {
	i := skipWS(content, 0)
	if i >= len(content) {
		return ""
	}
	switch content[i] {
	case '"':
		return content[i:]
	case '[':
		var out string
		eachElement(content, func(block string) bool {
			if member(block, "type") == `"text"` {
				if t := member(block, "text"); len(t) > 0 && t[0] == '"' {
					out = t
					return false
				}
			}
			return true
		})
		return out
	}
	return ""
}

// stringPrefix decodes at most max bytes of the raw JSON string raw
// (including its quotes) without decoding the rest. The result is valid
// UTF-8, never cut inside a character, and is a fresh copy that does not
// share memory with raw.
func stringPrefix(raw string, max int) string {
	if len(raw) < 2 || raw[0] != '"' || max <= 0 {
		return ""
	}
	buf := make([]byte, 0, min(max+utf8.UTFMax, len(raw)))
	put := func(r rune) bool {
		if len(buf)+utf8.RuneLen(r) > max {
			return false
		}
		buf = utf8.AppendRune(buf, r)
		return true
	}
	for i := 1; i < len(raw); {
		c := raw[i]
		switch {
		case c == '"':
			return string(buf)
		case c == '\\':
			if i+1 >= len(raw) {
				return string(buf)
			}
			var r rune
			n := 2
			switch raw[i+1] {
			case 'n':
				r = '\n'
			case 't':
				r = '\t'
			case 'r':
				r = '\r'
			case 'b':
				r = '\b'
			case 'f':
				r = '\f'
			case 'u':
				r, n = unicodeEscape(raw, i)
			default: // \" \\ \/ and anything else: the character itself
				r = rune(raw[i+1])
			}
			if !put(r) {
				return string(buf)
			}
			i += n
		case c < utf8.RuneSelf:
			if !put(rune(c)) {
				return string(buf)
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(raw[i:])
			if !put(r) {
				return string(buf)
			}
			i += n
		}
	}
	return string(buf)
}

// unicodeEscape decodes the \uXXXX escape (and a following low surrogate)
// at raw[i] and returns the rune and the number of bytes consumed.
func unicodeEscape(raw string, i int) (rune, int) {
	r1, ok := hex4(raw, i+2)
	if !ok {
		return utf8.RuneError, 2
	}
	if utf16.IsSurrogate(r1) && i+11 < len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' {
		if r2, ok := hex4(raw, i+8); ok {
			if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
				return r, 12
			}
		}
	}
	if utf16.IsSurrogate(r1) {
		return utf8.RuneError, 6
	}
	return r1, 6
}

// hex4 reads four hex digits at raw[i].
func hex4(raw string, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(raw[i : i+4]) {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
