package jsondepth

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// naiveDepth is the reference: a byte-at-a-time state machine, the
// deepest nesting outside strings.
func naiveDepth(b []byte) int {
	depth, deepest := 0, 0
	inStr, esc := false, false
	for _, c := range b {
		switch {
		case inStr && esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case inStr && c == '"':
			inStr = false
		case inStr:
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			if depth > 0 {
				depth--
			}
		}
	}
	return deepest
}

func TestSkipString(t *testing.T) {
	cases := []struct {
		s    string
		want int
	}{
		{`"abc",`, 5},
		{`"a\"b",`, 6},
		{`"a\\",`, 5},
		{`"a\\\"b",`, 8},
		{`"\\\\"x`, 6},
		{`""`, 2},
		{`"unterminated\"`, 15},
		{`"`, 1},
	}
	for _, c := range cases {
		if got := SkipString(c.s, 0); got != c.want {
			t.Errorf("SkipString(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		in   string
		max  int
		deep bool
	}{
		{"empty", "", 2, false},
		{"flat object", `{"a":1,"b":[1,2]}`, 2, false},
		{"at the limit", `[[1]]`, 2, false},
		{"one over", `[[[1]]]`, 2, true},
		{"brackets in a string", `{"a":"[[[[[[{{{{"}`, 2, false},
		{"escaped quote keeps the string open", `{"a":"\"[[[[[["}`, 2, false},
		{"escaped backslash closes the string", `{"a":"\\"[[[[}`, 2, true},
		{"unterminated string", `{"a":"[[[[[[`, 2, false},
		{"siblings do not add up", `[[1],[2],[3],[4]]`, 2, false},
		{"stray closers do not go negative", `]]]]][[[`, 2, true},
		{"truncated", `{"a":{"b":{"c":`, 3, false},
		{"a real entry", `{"type":"assistant","message":{"content":[{"type":"text","text":"hi"}]}}`, 4, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Check([]byte(c.in), c.max)
			if (err != nil) != c.deep {
				t.Fatalf("Check(%q, %d) = %v, want too deep: %v", c.in, c.max, err, c.deep)
			}
			if err != nil && !errors.Is(err, ErrTooDeep) {
				t.Fatalf("error %v does not wrap ErrTooDeep", err)
			}
			if want := naiveDepth([]byte(c.in)) > c.max; want != c.deep {
				t.Fatalf("reference disagrees with the table for %q", c.in)
			}
		})
	}
}

// Six million "[" — the line that overflowed the stack — is rejected with
// a bounded stack, early, without looking at the rest.
func TestCheckHuge(t *testing.T) {
	line := bytes.Repeat([]byte("["), 6<<20)
	if err := Check(line, Max); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("Check(6M [) = %v, want ErrTooDeep", err)
	}
	// A 50 MB string value is one level deep.
	big := []byte(`{"a":"` + strings.Repeat(`x\"[`, 50<<20/4) + `"}`)
	if err := Check(big, Max); err != nil {
		t.Fatalf("Check(50 MB string) = %v", err)
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"]"}]}`, `"\\\"[[`, `[[[[`, `{"a":"\u005b"}`, ``} {
		f.Add([]byte(s), 2)
	}
	f.Fuzz(func(t *testing.T, b []byte, max int) {
		max = max&63 + 1
		got := Check(b, max) != nil
		if want := naiveDepth(b) > max; got != want {
			t.Fatalf("Check(%q, %d) too deep = %v, reference says %v", b, max, got, want)
		}
	})
}
