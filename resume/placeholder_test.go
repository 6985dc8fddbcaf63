package resume

import (
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
		b, err := os.ReadFile(filepath.Join("..", "testdata", "panes", file))
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
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "panes", "*-ansi.txt"))
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
