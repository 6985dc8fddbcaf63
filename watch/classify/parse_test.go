package classify

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ccwake/ccwake/internal/jsondepth"
)

func TestParseRejects(t *testing.T) {
	for _, line := range []string{
		"",
		"   ",
		"{",
		`{"type":"user","message":{"content":"hi"`, // truncated mid-write
		`[1,2]`,
		`42`,
		`"string"`,
		`null`,
		`{"a":1} trailing`,
		`{"a":1}{"b":2}`,
		"\xff\xfe",
		`{"type":"user",}`,
	} {
		e, err := Parse([]byte(line), time.UTC)
		if !errors.Is(err, ErrNotJSON) {
			t.Errorf("Parse(%q) error = %v, want ErrNotJSON", line, err)
		}
		if e != (Entry{}) {
			t.Errorf("Parse(%q) = %+v, want zero Entry", line, e)
		}
	}
}

func TestParseEntry(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes
	cases := []struct {
		name string
		line string
		want Entry
	}{
		{"user string", `{"parentUuid":null,"isSidechain":false,"cwd":"/home/dev/work","sessionId":"s-1","type":"user","message":{"role":"user","content":"say hi"},"uuid":"u-1","timestamp":"2026-11-22T15:51:25.653Z"}`,
			Entry{Role: User, Type: "user", UUID: "u-1", SessionID: "s-1", Cwd: "/home/dev/work", Time: time.Date(2026, 11, 22, 15, 51, 25, 653e6, time.UTC), Text: "say hi"}},
		{"user blocks: first text block", `{"type":"user","uuid":"u","parentUuid":"p","message":{"role":"user","content":[{"type":"image","source":{"data":"AAAA"}},{"type":"text","text":"continue"},{"type":"text","text":"second"}]}}`,
			Entry{Role: User, Type: "user", UUID: "u", ParentUUID: "p", Text: "continue"}},
		{"user tool result only", `{"type":"user","message":{"content":[{"type":"tool_result","content":"text here"}]}}`,
			Entry{Role: User, Type: "user"}},
		{"escapes decoded", `{"type":"user","message":{"content":"a\"b\\c\n\u00e9\ud83d\ude00\/"}}`,
			Entry{Role: User, Type: "user", Text: "a\"b\\c\né😀/"}},
		{"text cut to 256 bytes on a rune boundary", `{"type":"user","message":{"content":"` + long + `"}}`,
			Entry{Role: User, Type: "user", Text: strings.Repeat("é", 128)}},
		{"sidechain", `{"type":"assistant","isSidechain":true,"uuid":"a","message":{"content":[{"type":"text","text":"hi"}]}}`,
			Entry{Role: Assistant, Type: "assistant", Sidechain: true, UUID: "a"}},
		{"metadata", `{"type":"last-prompt","lastPrompt":"say hi","leafUuid":"x","sessionId":"s"}`,
			Entry{Role: Meta, Type: "last-prompt", SessionID: "s"}},
		{"metadata content is not read", `{"type":"queue-operation","content":"say hi","timestamp":"2026-11-22T15:52:28.213Z"}`,
			Entry{Role: Meta, Type: "queue-operation", Time: time.Date(2026, 11, 22, 15, 52, 28, 213e6, time.UTC)}},
		{"bad timestamp is zero", `{"type":"user","timestamp":"yesterday","message":{"content":"x"}}`,
			Entry{Role: User, Type: "user", Text: "x"}},
		{"no type", `{"uuid":"u"}`, Entry{UUID: "u"}},
		{"non-string fields ignored", `{"type":7,"uuid":null,"cwd":{"a":1},"isSidechain":"true","message":"x"}`, Entry{}},
		{"isApiErrorMessage on a user entry is no error", `{"type":"user","isApiErrorMessage":true,"message":{"content":"x"}}`,
			Entry{Role: User, Type: "user", Text: "x"}},
		{"isApiErrorMessage false", `{"type":"assistant","isApiErrorMessage":false,"message":{"content":[{"type":"text","text":"API Error: 500"}]}}`,
			Entry{Role: Assistant, Type: "assistant"}},
		{"whitespace around", " \t{ \"type\" : \"user\" , \"message\" : { \"content\" : \"hi\" } }\r",
			Entry{Role: User, Type: "user", Text: "hi"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse([]byte(c.line), time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("Parse:\n got  %+v\n want %+v", got, c.want)
			}
		})
	}
}

func TestParseError(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	line := `{"parentUuid":"p","isSidechain":false,"type":"assistant","uuid":"e","timestamp":"2026-11-22T15:51:30.124Z",` +
		`"message":{"model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"Weekly limit reached ∙ resets Nov 25, 10:11pm"}]},"isApiErrorMessage":true}`
	e, err := Parse([]byte(line), ny)
	if err != nil {
		t.Fatal(err)
	}
	want := APIError{Kind: UsageLimit, Limit: SevenDay, Message: "Weekly limit reached ∙ resets Nov 25, 10:11pm",
		ResetsAt: time.Date(2026, 11, 26, 3, 11, 0, 0, time.UTC)}
	if e.Err == nil || e.Err.Kind != want.Kind || e.Err.Limit != want.Limit || e.Err.Message != want.Message || !e.Err.ResetsAt.Equal(want.ResetsAt) {
		t.Fatalf("Err = %+v, want %+v", e.Err, want)
	}
	if e.Text != "" {
		t.Errorf("assistant Text = %q", e.Text)
	}

	structured := `{"type":"assistant","uuid":"e","timestamp":"2026-11-22T15:50:43.303Z","message":{"content":[{"type":"text","text":"You've hit your 5-hour limit · resets 5:50pm (UTC)"}]},` +
		`"apiError":"usage_limit_reached","apiErrorParams":{"rate_limit_info":{"status":"rejected","resetsAt":1795369843,"rateLimitType":"five_hour","isUsingOverage":false}},` +
		`"quotaLimits":{"status":"rejected","resetsAt":1795369843,"rateLimitType":"five_hour"},"error":"rate_limit","isApiErrorMessage":true,"apiErrorStatus":429,"apiErrorType":"rate_limit_error"}`
	e, err = Parse([]byte(structured), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if e.Err == nil || e.Err.Kind != UsageLimit || e.Err.Limit != FiveHour || !e.Err.ResetsAt.Equal(time.Unix(1795369843, 0)) {
		t.Fatalf("Err = %+v", e.Err)
	}

	// The error object some entries carry in "error" is not a string: the
	// text decides.
	obj := `{"type":"assistant","isApiErrorMessage":true,"error":{"type":"x"},"apiErrorStatus":"529","message":{"content":"API Error: 529 Overloaded"}}`
	e, err = Parse([]byte(obj), time.UTC)
	if err != nil || e.Err == nil || e.Err.Kind != Overloaded || e.Err.Message != "API Error: 529 Overloaded" {
		t.Fatalf("Parse = %+v, %v", e.Err, err)
	}

	// A huge error text is kept only up to maxMessage bytes.
	huge := `{"type":"assistant","isApiErrorMessage":true,"message":{"content":"API Error: 500 ` + strings.Repeat("x", 1<<20) + `"}}`
	e, err = Parse([]byte(huge), time.UTC)
	if err != nil || e.Err == nil || e.Err.Kind != ServerError || len(e.Err.Message) != maxMessage {
		t.Fatalf("huge: kind %v len %d err %v", e.Err.Kind, len(e.Err.Message), err)
	}
}

// TestParseDoesNotAlias makes sure the Entry owns its strings: the caller
// reuses its read buffer for the next line.
func TestParseDoesNotAlias(t *testing.T) {
	line := []byte(`{"type":"user","uuid":"u-1","parentUuid":"p-1","sessionId":"s-1","cwd":"/w","message":{"content":"continue"}}`)
	e, err := Parse(line, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	before := e
	for i := range line {
		line[i] = 'X'
	}
	if e != before || e.UUID != "u-1" || e.Text != "continue" || e.Cwd != "/w" {
		t.Fatalf("entry changed with its buffer: %+v", e)
	}
}

// TestParseBigLineMemory checks that a multi-megabyte line costs a few KiB,
// not a copy of its content (here a 4 MiB escaped string, which gjson would
// unescape into a fresh 4 MiB string if asked for it).
func TestParseBigLineMemory(t *testing.T) {
	line := bigLine(4 << 20)
	if _, err := Parse(line, time.UTC); err != nil {
		t.Fatal(err)
	}
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse(line, time.UTC); err != nil {
				b.Fatal(err)
			}
		}
	})
	if per := res.AllocedBytesPerOp(); per > 16<<10 {
		t.Fatalf("Parse of a %d-byte line allocates %d bytes", len(line), per)
	}
}

// bigLine builds a user entry of about n bytes: its content and its
// toolUseResult are strings full of escapes, as a file dump would be.
func bigLine(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"parentUuid":"p","isSidechain":false,"type":"user","message":{"role":"user","content":"`)
	chunk := `line of output\twith \"quotes\" and \u00e9\n`
	for b.Len() < n/2 {
		b.WriteString(chunk)
	}
	b.WriteString(`"},"uuid":"u","timestamp":"2026-11-22T15:51:25.653Z","toolUseResult":"`)
	for b.Len() < n {
		b.WriteString(chunk)
	}
	b.WriteString(`","sessionId":"s","cwd":"/w"}`)
	return b.Bytes()
}

func TestStringPrefix(t *testing.T) {
	cases := []struct {
		raw  string
		max  int
		want string
	}{
		{`"abc"`, 10, "abc"},
		{`"abc"`, 2, "ab"},
		{`"ééé"`, 5, "éé"},
		{`"\u00e9\u00e9"`, 3, "é"},
		{`"\ud83d\ude00x"`, 4, "😀"},
		{`"\ud83d\ude00x"`, 3, ""},
		{`"\ud83dx"`, 10, "\uFFFDx"},   // lone surrogate
		{`"\u12"`, 10, "\uFFFD12"},     // short escape
		{"\"\xff\"", 10, "\uFFFD"},     // invalid UTF-8
		{`"unterminated`, 4, "unte"},   // no closing quote
		{`"trailing\`, 20, "trailing"}, // escape at the end
		{`abc`, 10, ""},
		{``, 10, ""},
	}
	for _, c := range cases {
		got := stringPrefix(c.raw, c.max)
		if got != c.want || len(got) > c.max || !utf8.ValidString(got) {
			t.Errorf("stringPrefix(%q, %d) = %q, want %q", c.raw, c.max, got, c.want)
		}
	}
}

// Nesting is bounded before gjson's recursive validation sees a line: six
// million "[" (which overflowed the stack and killed the process, a fatal
// error recover cannot catch) and deep objects are rejected as not JSON;
// an object exactly jsondepth.Max deep still parses.
func TestParseDeepNesting(t *testing.T) {
	nest := func(n int) []byte {
		return []byte(`{"type":"user","x":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}`)
	}
	for _, c := range []struct {
		name string
		line []byte
	}{
		{"six million [", bytes.Repeat([]byte("["), 6_000_000)},
		{"error entry wrapped deep", []byte(strings.Repeat(`{"a":`, 2_000_000) + `1` + strings.Repeat(`}`, 2_000_000))},
		{"one level over", nest(jsondepth.Max + 1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(c.line, time.UTC)
			if !errors.Is(err, ErrNotJSON) || !errors.Is(err, jsondepth.ErrTooDeep) || e != (Entry{}) {
				t.Fatalf("Parse = %+v, %v; want ErrNotJSON and ErrTooDeep", e, err)
			}
			if len(err.Error()) > 200 {
				t.Errorf("error message is %d bytes: it must not quote the line", len(err.Error()))
			}
		})
	}
	if e, err := Parse(nest(jsondepth.Max), time.UTC); err != nil || e.Role != User {
		t.Fatalf("Parse(depth %d) = %+v, %v; want a user entry", jsondepth.Max, e, err)
	}
}
