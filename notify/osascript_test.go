package notify

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// getopt parses argv as osascript's options "e:l:s:i" would be parsed,
// either stopping at the first non-option (POSIX getopt, BSD's) or
// permuting (getopt_long's default, GNU's): the -e statements and the
// arguments the run handler gets.
func getopt(argv []string, permute bool) (script, args []string) {
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--":
			return script, append(args, argv[i+1:]...)
		case len(a) < 2 || a[0] != '-':
			if !permute {
				return script, append(args, argv[i:]...)
			}
			args = append(args, a)
		case strings.ContainsAny(a[1:2], "els"): // takes a value, attached or next
			v := a[2:]
			if v == "" && i+1 < len(argv) {
				i++
				v = argv[i]
			}
			if a[1] == 'e' {
				script = append(script, v)
			}
		}
	}
	return script, args
}

// TestOsascriptArgs builds the argv of the macOS notification for titles
// and messages taken from hostile transcripts: whatever they hold (quotes,
// backslashes, an AppleScript injection, newlines, CR, ESC, NUL, C1, bidi,
// a leading "-e"), the script osascript compiles is always the same three
// fixed lines, without a string literal, and the text reaches the run
// handler as exactly two arguments, terminal-safe, under either kind of
// option parsing.
func TestOsascriptArgs(t *testing.T) {
	const inject = `" & (do shell script "touch /tmp/pwned") & "`
	tests := []struct{ name, title, message, wantTitle, wantMessage string }{
		{"plain", "ccwake: api stalled", "Session 3f2a9c1e in api stalled.", "ccwake: api stalled", "Session 3f2a9c1e in api stalled."},
		{"quotes end the string", `ccwake: "x"`, inject, `ccwake: "x"`, inject},
		{"backslash before a quote", `a\" & quit & "\`, `\\"`, `a\" & quit & "\`, `\\"`},
		{"newline starts a new statement", "t\ndo shell script \"id\"", "m\r\nend run", "t\ndo shell script \"id\"", "m\uFFFD\nend run"},
		{"controls and bidi", "x\x1b]52;c;ZXZpbA==\x07\x00", "a\u009b2J\u202Etxt.exe", "x\uFFFD]52;c;ZXZpbA==\uFFFD\uFFFD", "a\uFFFD2J\uFFFDtxt.exe"},
		{"looks like an option", "-e", "-l JavaScript", " -e", " -l JavaScript"},
		{"double dash", "--", "--help", " --", " --help"},
		{"chevrons and unicode quotes", "«data utxt0041»", "“smart” ‘quotes’ 日本語", "«data utxt0041»", "“smart” ‘quotes’ 日本語"},
		{"empty", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			argv := osascriptArgs(tt.title, tt.message)
			want := []string{"-e", osascriptScript[0], "-e", osascriptScript[1], "-e", osascriptScript[2], tt.wantMessage, tt.wantTitle}
			if !slices.Equal(argv, want) {
				t.Fatalf("argv\n got %q\nwant %q", argv, want)
			}
			for _, permute := range []bool{false, true} {
				script, args := getopt(argv, permute)
				if !slices.Equal(script, osascriptScript) {
					t.Errorf("permute=%v: the compiled script is %q, want the fixed %q", permute, script, osascriptScript)
				}
				if !slices.Equal(args, []string{tt.wantMessage, tt.wantTitle}) {
					t.Errorf("permute=%v: run handler gets %q", permute, args)
				}
			}
			for _, a := range argv[len(argv)-2:] {
				for _, r := range a {
					if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
						t.Errorf("argument %q holds %U", a, r)
					}
				}
			}
		})
	}
	for _, line := range osascriptScript {
		if strings.ContainsAny(line, `"\«`) {
			t.Errorf("script line %q holds a literal: text could meet it", line)
		}
	}
}
