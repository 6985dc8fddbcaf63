package pane

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlaceholderOnly(t *testing.T) {
	rule := "\x1b[38;5;244m" + "──────────────────────────────" + "\x1b[39m"
	box := func(input string) string {
		return "● API Error: Rate limited\n\n" + rule + "\n" + input + "\n" + rule + "\n  ? for shortcuts\n"
	}
	tests := []struct {
		name   string
		styled string
		want   bool
	}{
		{"2.1.330 hint after an error", box("❯\u00a0\x1b[7mR\x1b[0;2m\x1b[39m\x1b[49mesend your message to try again\x1b[0m"), true},
		{"2.0.0 hint at start", box("> \x1b[7mT\x1b[0;2mry \"how does <filepath> work?\"\x1b[0m"), true},
		{"a typed draft, cursor after it", box("❯\u00a0fix the te\x1b[7m \x1b[0m"), false},
		{"a draft with the cursor moved to its start", box("❯\u00a0\x1b[7mf\x1b[0mix the te"), false},
		{"dim hint, then typed text", box("❯\u00a0\x1b[2mhint\x1b[0m typed"), false},
		{"empty input with only the cursor", box("❯\u00a0\x1b[7m \x1b[0m"), false},
		{"no input box", "just a shell $ \x1b[2mdim\x1b[0m\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := placeholderOnly(tt.styled); got != tt.want {
				t.Errorf("placeholderOnly = %v, want %v\n%q", got, tt.want, tt.styled)
			}
		})
	}
}

// The captures the e2e run took of the real 2.1.330 (capture-pane -e): the
// hint after a throttle, and a human's draft at the same prompt.
func TestPlaceholderOnlyRealCaptures(t *testing.T) {
	for file, want := range map[string]bool{
		"e2e-2.1.330-throttle-stall-ansi.txt": true,
		"e2e-2.1.330-throttle-draft-ansi.txt": false,
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "panes", file))
		if err != nil {
			t.Fatal(err)
		}
		if got := placeholderOnly(string(b)); got != want {
			t.Errorf("%s: placeholderOnly = %v, want %v", file, got, want)
		}
		// Without styles the hint is indistinguishable from a draft.
		if info := ClassifyScreen(stripStyled(string(b)), ""); info.Draft == "" {
			t.Errorf("%s: plain capture shows no draft; the test no longer covers the ambiguity", file)
		}
	}
}

func stripStyled(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = stripSGR(l)
	}
	return strings.Join(lines, "\n")
}

// FuzzPlaceholderOnly: arbitrary styled captures never panic, and text with
// no escape sequences at all (nothing can be dim) is never a placeholder.
func FuzzPlaceholderOnly(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "panes", "*-ansi.txt"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("──────────\n❯\u00a0\x1b[7mR\x1b[0;2mesend\n──────────\n")
	f.Add("\x1b[")
	f.Fuzz(func(t *testing.T, styled string) {
		got := placeholderOnly(styled)
		if got && !strings.Contains(styled, "\x1b[") {
			t.Errorf("plain text read as a dim placeholder: %q", styled)
		}
	})
}

// hintAtCursor, the test for a backend without styles: the exact hint
// text, alone in a one-line input box, with the cursor on its first cell.
func TestHintAtCursor(t *testing.T) {
	rule := strings.Repeat("─", 30)
	box := func(input string) string {
		return "● API Error: Rate limited\n\n" + rule + "\n" + input + "\n" + rule + "\n  ? for shortcuts\n"
	}
	const row = 3 // the input line of box
	tests := []struct {
		name     string
		text     string
		col, row int
		want     bool
	}{
		{"2.1.330 try_again hint, cursor on its first cell", box("❯\u00a0Resend your message to try again"), 2, row, true},
		{"fix_setup hint", box("❯\u00a0Once fixed, resend your message"), 2, row, true},
		{"edit_message hint", box("❯\u00a0Run /rewind to go back"), 2, row, true},
		{"old prompt marker", box("> Resend your message to try again"), 2, row, true},
		{"the hint typed by a human: cursor after it", box("❯\u00a0Resend your message to try again"), 34, row, false},
		{"cursor inside the text", box("❯\u00a0Resend your message to try again"), 9, row, false},
		{"cursor on another row", box("❯\u00a0Resend your message to try again"), 2, row + 1, false},
		{"cursor on the marker", box("❯\u00a0Resend your message to try again"), 0, row, false},
		{"a draft that is not a hint", box("❯\u00a0fix the tests"), 2, row, false},
		{"a hint with more text", box("❯\u00a0Resend your message to try again please"), 2, row, false},
		{"a hint's prefix", box("❯\u00a0Resend your message"), 2, row, false},
		{"another case", box("❯\u00a0resend your message to try again"), 2, row, false},
		{"two spaces inside", box("❯\u00a0Resend  your message to try again"), 2, row, false},
		{"a start hint of 2.0.0 (not after an error)", box("> Try \"how does <filepath> work?\""), 2, row, false},
		{"a second input line", "──────────\n❯\u00a0Resend your message to try again\n  more\n──────────\n", 2, 1, false},
		{"empty input line", box("❯\u00a0"), 2, row, false},
		{"no marker", box("Resend your message to try again"), 0, row, false},
		{"no input box", "Resend your message to try again\n", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hintAtCursor(tt.text, tt.col, tt.row); got != tt.want {
				t.Errorf("hintAtCursor(col %d, row %d) = %v, want %v\n%s", tt.col, tt.row, got, tt.want, tt.text)
			}
		})
	}
}

// The plain captures the e2e run took of the real 2.1.330 at a throttle:
// the hint is on line 48, where the client left the cursor on column 2.
// The same screen with the cursor after the text is a human's draft.
func TestHintAtCursorRealCaptures(t *testing.T) {
	for _, tt := range []struct {
		file     string
		col, row int
		want     bool
	}{
		{"e2e-2.1.330-throttle-stall.txt", 2, 47, true},
		{"e2e-2.1.330-oauth-throttle-stall.txt", 2, 47, true},
		{"e2e-2.1.330-throttle-stall.txt", 2 + len("Resend your message to try again"), 47, false},
		{"e2e-2.1.330-throttle-draft-ansi.txt", 2, 47, false},
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "panes", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		text := stripStyled(string(b))
		if got := hintAtCursor(text, tt.col, tt.row); got != tt.want {
			t.Errorf("%s, cursor (%d,%d): hintAtCursor = %v, want %v", tt.file, tt.col, tt.row, got, tt.want)
		}
	}
}

// FuzzHintAtCursor: no panic, and true only when the input line is
// exactly a known hint.
func FuzzHintAtCursor(f *testing.F) {
	f.Add("──────────\n❯\u00a0Resend your message to try again\n──────────\n", 2, 1)
	f.Add("──────────\n>\n──────────\n", 1, 1)
	f.Fuzz(func(t *testing.T, text string, col, row int) {
		if hintAtCursor(text, col, row) && !isErrorHint(ClassifyScreen(text, "").Draft) {
			t.Errorf("hintAtCursor true for a draft that is no hint: %q", text)
		}
	})
}

// The hardcopies (recovered) the screen e2e run took of the real 2.1.330,
// each with the cursor screen's -Q info gave: the client's hint at the
// stall, and the same words typed by a human.
func TestHintAtCursorRealScreen(t *testing.T) {
	for file, want := range map[string]bool{
		"e2e-screen-2.1.330-throttle-stall.txt":      true,
		"e2e-screen-2.1.330-throttle-typed-hint.txt": false,
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "panes", file))
		if err != nil {
			t.Fatal(err)
		}
		head, text, _ := strings.Cut(string(b), "\n")
		var col, row int
		if _, err := fmt.Sscanf(head, "# cursor %d,%d", &col, &row); err != nil {
			t.Fatalf("%s: no cursor line: %v", file, err)
		}
		info := ClassifyScreen(text, "API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited")
		if info.Screen != ScreenDraft || !info.StallShown {
			t.Fatalf("%s: %+v; want the stall shown and the hint read as a draft without styles", file, info)
		}
		if got := hintAtCursor(text, col, row); got != want {
			t.Errorf("%s, cursor (%d,%d): hintAtCursor = %v, want %v", file, col, row, got, want)
		}
	}
}
