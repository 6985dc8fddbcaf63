package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStatusNoTerminalControls: a transcript whose cwd and error text hold
// ESC[2J, OSC 52 clipboard writes, SGR, CR, BEL and an 8-bit CSI cannot
// drive the terminal through `ccwake status`: the table (narrow and wide)
// and --line print none of them raw; --json still carries the exact text,
// escaped.
func TestStatusNoTerminalControls(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", "extra", "x-terminal-escapes.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x-terminal-escapes.jsonl"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "no-server")
	base := []string{"--claude-dir", root, "--tmux-socket", sock}
	for _, extra := range [][]string{nil, {"--wide"}, {"--all", "--wide"}, {"--line"}} {
		var out, errOut bytes.Buffer
		if err := runStatus(context.Background(), append(base, extra...), &out, &errOut); err != nil {
			t.Fatalf("status %v: %v (stderr %s)", extra, err, errOut.String())
		}
		for name, text := range map[string]string{"stdout": out.String(), "stderr": errOut.String()} {
			if i := strings.IndexAny(text, "\x1b\x07\r\u009b"); i >= 0 {
				t.Errorf("status %v: raw control in %s at %d: %q", extra, name, i, text)
			}
		}
		if len(extra) == 0 || extra[0] != "--line" {
			if !strings.Contains(out.String(), "Request rejected (429)") {
				t.Errorf("status %v: the error text is not shown:\n%s", extra, out.String())
			}
		}
	}
	var out, errOut bytes.Buffer
	if err := runStatus(context.Background(), append(base, "--json"), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\x07\r") {
		t.Fatalf("--json holds raw controls: %q", out.String())
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
	if s := doc.Sessions[0]; !strings.Contains(s.Cwd, "\x1b]52;c;") || !strings.Contains(*s.Message, "\x1b[2J") {
		t.Fatalf("--json must carry the exact text (escaped): cwd %q message %q", s.Cwd, *s.Message)
	}
}
