package pane

import (
	"strconv"
	"strings"
	"unicode"
)

// Claude Code draws a hint in an empty input line ("Resend your message to
// try again" on 2.1.330 after an error, `Try "how does <filepath> work?"` on
// 2.0.0 at start) in dim text with the cursor, in reverse video, on its
// first cell. capture-pane -p drops those attributes, so the hint reads
// exactly like a human's draft. The styled capture (-e) tells them apart: a
// draft is plain text followed by the cursor (placeholderOnly). A backend
// without styles (screen's hardcopy) tells them apart by the hint's exact
// text and where the terminal cursor is (hintAtCursor).

// errorHints are the hints Claude Code draws in the empty input line after
// an API error, one per kind of error (2.1.330's source maps try_again to
// the first; fix_setup, switch_model and make_room to the second;
// edit_message to the third; wait and blocked draw none). The e2e run saw
// the first after a throttle, in tmux and in screen. 2.0.0's `Try "…"`
// is not here: it is drawn at start, and after an error 2.0.0 and 2.1.145
// leave the line empty (e2e/README.md). A release that words
// them differently is refused as a draft on a backend without styles: the
// table is what ccwake knows, and only an exact match counts.
var errorHints = []string{
	"Resend your message to try again",
	"Once fixed, resend your message",
	"Run /rewind to go back",
}

// isErrorHint: draft (whitespace-normalised) is exactly one of errorHints.
func isErrorHint(draft string) bool {
	for _, h := range errorHints {
		if draft == h {
			return true
		}
	}
	return false
}

// hintAtCursor is the test for a backend without styles (GNU screen's
// hardcopy): it reports whether the input line of a plain capture holds
// only Claude Code's hint, given the terminal cursor (0-based column and
// row of that capture). All must hold:
//
//   - the input box is one line, and its text after the prompt marker is
//     exactly one of errorHints;
//   - the cursor is on that line, on the hint's first cell.
//
// The client draws the hint with the cursor on its first cell (measured on
// 2.1.330 in screen: cursor column 2, right after "❯ "); a human who typed
// the same words has the cursor after them (column 2+len). Only a human
// who typed exactly a hint and then moved the cursor back to its start
// would pass; that is the residual risk, documented in the README.
func hintAtCursor(text string, col, row int) bool {
	lines := splitScreen(text)
	top, bottom, ok := findInputBox(lines)
	if !ok || bottom != top+2 || row != top+1 {
		return false
	}
	line := []rune(lines[top+1])
	i := 0
	if len(line) > 0 && (line[0] == '❯' || line[0] == '>') {
		i++
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\u00a0') {
		i++
	}
	// Before i only the marker and spaces, one cell each: rune i is cell i.
	return i > 1 && col == i && isErrorHint(string(line[i:]))
}

// placeholderOnly reports whether the input line of a styled capture holds
// only a placeholder: every visible character after the prompt marker is the
// cursor cell or dim, and at least one is dim. A human draft is never dim,
// so when unsure this says false and the draft guard holds.
func placeholderOnly(styled string) bool {
	lines := strings.Split(strings.ReplaceAll(styled, "\r", ""), "\n")
	plain := make([]string, len(lines))
	for i, l := range lines {
		plain[i] = strings.TrimRightFunc(stripSGR(l), unicode.IsSpace)
	}
	top, bottom, ok := findInputBox(plain)
	if !ok {
		return false
	}
	dimSeen := false
	for i := top + 1; i < bottom; i++ {
		cells := styledCells(lines[i])
		if i == top+1 {
			cells = afterPrompt(cells)
		}
		for _, c := range cells {
			switch {
			case unicode.IsSpace(c.r) || c.r == '\u00a0':
			case c.dim:
				dimSeen = true
			case c.reverse:
			default:
				return false // plain text: someone typed it
			}
		}
	}
	return dimSeen
}

// cell is one printed character with the attributes that matter here.
type cell struct {
	r            rune
	dim, reverse bool
}

// styledCells walks one line of capture-pane -e output, applying SGR
// sequences (ESC [ … m) and dropping every other escape sequence.
func styledCells(line string) []cell {
	var out []cell
	var dim, reverse bool
	for i := 0; i < len(line); {
		if line[i] == 0x1b && i+1 < len(line) && line[i+1] == '[' {
			j := i + 2
			for j < len(line) && (line[j] < 0x40 || line[j] > 0x7e) {
				j++
			}
			if j < len(line) && line[j] == 'm' {
				dim, reverse = applySGR(line[i+2:j], dim, reverse)
			}
			i = j + 1
			continue
		}
		r, size := rune(line[i]), 1
		if r >= 0x80 {
			r, size = decodeRune(line[i:])
		}
		out = append(out, cell{r: r, dim: dim, reverse: reverse})
		i += size
	}
	return out
}

func decodeRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 1
}

// applySGR updates the two attributes for one SGR parameter list.
func applySGR(params string, dim, reverse bool) (bool, bool) {
	if params == "" {
		return false, false
	}
	for _, p := range strings.Split(params, ";") {
		n, err := strconv.Atoi(p)
		if err != nil {
			continue
		}
		switch n {
		case 0:
			dim, reverse = false, false
		case 2:
			dim = true
		case 22:
			dim = false
		case 7:
			reverse = true
		case 27:
			reverse = false
		}
	}
	return dim, reverse
}

// afterPrompt drops the prompt marker ("❯" or ">") and what precedes it.
func afterPrompt(cells []cell) []cell {
	for i, c := range cells {
		if c.r == '❯' || c.r == '>' {
			return cells[i+1:]
		}
		if !unicode.IsSpace(c.r) {
			break
		}
	}
	return cells
}

// stripSGR removes escape sequences, leaving what capture-pane -p prints.
func stripSGR(line string) string {
	var b strings.Builder
	for _, c := range styledCells(line) {
		b.WriteRune(c.r)
	}
	return b.String()
}
