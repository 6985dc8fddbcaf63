package termsafe

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// JSON returns b, a JSON text as encoding/json writes it (valid UTF-8, C0
// controls already escaped), with every C1 control (U+0080–U+009F: U+009B
// is an 8-bit CSI to some terminals) and bidi control written as a \uXXXX
// escape. encoding/json leaves both raw, so `status --json` piped to a
// terminal could drive it or reorder what it shows. The decoded value is
// unchanged: a reader of the JSON still gets the exact text. Outside
// strings JSON is ASCII, so every such rune is inside a string and the
// escape is valid there. Text without any is returned as is.
func JSON(b []byte) []byte {
	i := bytes.IndexFunc(b, escapeInJSON)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		if i < 0 {
			return append(out, b...)
		}
		r, n := utf8.DecodeRune(b[i:])
		out = append(out, b[:i]...)
		out = fmt.Appendf(out, `\u%04x`, r)
		b = b[i+n:]
		i = bytes.IndexFunc(b, escapeInJSON)
	}
	return out
}

// escapeInJSON: the runes JSON escapes beyond encoding/json's own. C0 is
// left alone: encoding/json escapes it inside strings, and outside them
// newlines and tabs are the indentation.
func escapeInJSON(r rune) bool {
	return r >= 0x7f && unsafe(r)
}
