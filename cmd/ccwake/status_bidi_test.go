package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
)

// bidiText is what a hostile transcript puts in its cwd and error text:
// every kind of bidi control (override, embedding, isolate, mark) and the
// 8-bit CSI, so that a terminal would show "exe.txt" as "txt.exe" or run a
// control sequence.
const bidiText = "invoice\u202Etxt.exe\u202C \u202Aa\u202Bb\u202Dc\u2066d\u2067e\u2068f\u2069 \u200Eg\u200Fh\u061C \u009b2J"

// writeBidiTranscript copies the real x-terminal-escapes transcript under a
// fresh Claude root with bidiText added to its cwd and its error text, and
// returns the root.
func writeBidiTranscript(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", "extra", "x-terminal-escapes.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(b), `"cwd":"/home/dev/work`, `"cwd":"/home/dev/work`+bidiText)
	s = strings.Replace(s, "Please try again later.", "Please try again later. "+bidiText, 1)
	if s == string(b) || !strings.Contains(s, "later. "+bidiText) {
		t.Fatal("the fixture changed: bidi text not inserted")
	}
	if err := os.WriteFile(filepath.Join(dir, "x-bidi.jsonl"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// rawUnsafe returns the first bidi control or C1 control in s, or 0.
func rawUnsafe(s string) rune {
	for _, r := range s {
		if unicode.Is(unicode.Bidi_Control, r) || (r >= 0x80 && r <= 0x9f) {
			return r
		}
	}
	return 0
}

// TestStatusNeutralisesBidi: a transcript whose cwd and error text hold
// bidi overrides, isolates and marks and an 8-bit CSI reaches no human
// output of `ccwake status` with any of them raw (the table, narrow and
// wide, and --line), and --json escapes them (\u202e, \u009b) while still
// carrying the exact text.
func TestStatusNeutralisesBidi(t *testing.T) {
	t.Parallel()
	root := writeBidiTranscript(t)
	sock := filepath.Join(t.TempDir(), "no-server")
	base := []string{"--claude-dir", root, "--tmux-socket", sock}
	for _, extra := range [][]string{nil, {"--wide"}, {"--all", "--wide"}, {"--line"}} {
		var out, errOut bytes.Buffer
		if err := runStatus(context.Background(), append(base, extra...), &out, &errOut); err != nil {
			t.Fatalf("status %v: %v (stderr %s)", extra, err, errOut.String())
		}
		for name, text := range map[string]string{"stdout": out.String(), "stderr": errOut.String()} {
			if r := rawUnsafe(text); r != 0 {
				t.Errorf("status %v: raw %U in %s: %q", extra, r, name, text)
			}
		}
		if len(extra) > 0 && extra[0] == "--wide" && !strings.Contains(out.String(), "invoice\uFFFDtxt.exe") {
			t.Errorf("status %v: the override is not shown as a placeholder:\n%s", extra, out.String())
		}
	}

	var out, errOut bytes.Buffer
	if err := runStatus(context.Background(), append(base, "--json"), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if r := rawUnsafe(out.String()); r != 0 {
		t.Fatalf("--json holds a raw %U: %s", r, out.String())
	}
	for _, esc := range []string{`\u202e`, `\u2066`, `\u200f`, `\u061c`, `\u009b`} {
		if !strings.Contains(out.String(), esc) {
			t.Errorf("--json does not hold the escape %s", esc)
		}
	}
	var doc struct {
		Sessions []struct {
			Cwd     string  `json:"cwd"`
			Message *string `json:"message"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Sessions) != 1 || doc.Sessions[0].Message == nil {
		t.Fatalf("json: %v\n%s", err, out.String())
	}
	if s := doc.Sessions[0]; !strings.Contains(s.Cwd, bidiText) || !strings.Contains(*s.Message, bidiText) {
		t.Fatalf("--json must carry the exact text: cwd %q message %q", s.Cwd, *s.Message)
	}
}

// TestLogNeutralisesBidi: `ccwake log` shows log lines that quote
// transcript text (real slog output, text and JSON handlers) without bidi
// or C1 controls, whichever way the handler wrote them.
func TestLogNeutralisesBidi(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "ccwake.log")
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		rec := slog.NewRecord(time.Now(), slog.LevelInfo, "skipped", 0)
		rec.Add("session", "2d7e4da5-f9dc", "pane", "%3", "reason", "not in "+bidiText)
		if err := h.Handle(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		rec = slog.NewRecord(time.Now(), slog.LevelInfo, "notify", 0)
		rec.Add("title", "ccwake: "+bidiText+" stalled")
		if err := h.Handle(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	c := &cli{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	if err := c.exec(context.Background(), findCommand("log"), []string{"--log-file", path}); err != nil {
		t.Fatalf("log: %v (%s)", err, errOut.String())
	}
	if got := strings.Count(out.String(), "invoice\uFFFDtxt.exe"); got != 4 {
		t.Fatalf("want 4 lines showing the override as a placeholder, got %d:\n%s", got, out.String())
	}
	if r := rawUnsafe(out.String()); r != 0 {
		t.Fatalf("ccwake log printed a raw %U:\n%q", r, out.String())
	}
}
