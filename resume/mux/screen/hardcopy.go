package screen

import "strings"

// Recover turns a screen 4.9 hardcopy into text. screen 4.9 writes only
// the low byte of each cell's character (the high bytes sit in a separate
// "font" array hardcopy ignores; screen 5 fixed this): ASCII comes out
// exact, "❯" (U+276F) as "o", "─" (U+2500) as NUL, "●" (U+25CF) as 0xCF.
// Recover maps back the frame glyphs Claude Code draws, by byte and
// position; other bytes above 0x7F read as Latin-1 (exact for "·"),
// control bytes as U+FFFD:
//
//   - NUL → "─" (no terminal cell holds a NUL; box rules are U+2500)
//   - "o" + NBSP (0xA0, exact: U+00A0) → "❯" + NBSP, the input line; "o "
//     at column 0 → "❯ ", a user message; "o" after spaces before
//     " <digit>." → "❯", a dialog's selected option
//   - 0xCF at a line's start → "●", 0xBF after spaces → "⎿"
//   - ";" + space at a line's start → "✻" (U+273B), a status line
//
// What it cannot recover reads as something that is not Claude's empty
// prompt (U+FFFD in a draft is a draft), so the guards refuse rather than
// guess. Unicode text a human typed is never reproduced.
func Recover(b []byte) string {
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		lines[i] = recoverLine([]byte(l))
	}
	return strings.Join(lines, "\n")
}

func recoverLine(l []byte) string {
	var sb strings.Builder
	lead := true // only spaces so far
	for i := 0; i < len(l); i++ {
		c := l[i]
		next := byte(0)
		if i+1 < len(l) {
			next = l[i+1]
		}
		switch {
		case c == 0:
			sb.WriteRune('─')
		case c == 'o' && next == 0xA0:
			sb.WriteRune('❯')
		case c == 'o' && i == 0 && next == ' ':
			sb.WriteRune('❯') // a user message: nothing else of Claude's starts at column 0 with "o "
		case c == 'o' && lead && dialogCursor(l[i+1:]):
			sb.WriteRune('❯')
		case c == 0xA0:
			sb.WriteRune('\u00a0')
		case c == 0xCF && lead:
			sb.WriteRune('●')
		case c == 0xBF && lead:
			sb.WriteRune('⎿')
		case c == ';' && i == 0 && next == ' ':
			sb.WriteRune('✻')
		case c < 0x20 && c != '\t':
			sb.WriteRune('\uFFFD') // the low byte of, e.g., "—" (U+2014)
		case c >= 0x80:
			sb.WriteRune(rune(c)) // Latin-1 is exact ("·" in error texts); anything else stays a visible non-space
		default:
			sb.WriteByte(c)
		}
		if c != ' ' {
			lead = false
		}
	}
	return sb.String()
}

// dialogCursor: rest is " 1. …" (spaces, digits, a dot).
func dialogCursor(rest []byte) bool {
	s := strings.TrimLeft(string(rest), " ")
	if len(s) == len(rest) { // no space after the cursor
		return false
	}
	d := 0
	for d < len(s) && s[d] >= '0' && s[d] <= '9' {
		d++
	}
	return d > 0 && d < len(s) && s[d] == '.'
}
