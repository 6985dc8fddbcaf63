package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// claudeRoot builds a Claude root whose projects hold copies of the named
// fixture transcripts (paths under testdata/transcripts), with fresh
// modification times so --since keeps them.
func claudeRoot(t *testing.T, files ...string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestStatusJSONShape(t *testing.T) {
	t.Parallel()
	root := claudeRoot(t, "v2.1.330-oauth-5h.jsonl", "v2.1.145-key-429.jsonl", "v2.1.330-key-ok.jsonl")
	// An old transcript outside --since is not listed.
	old := filepath.Join(root, "projects", "-home-dev-work", "v2.1.330-oauth-throttle.jsonl")
	b, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", "v2.1.330-oauth-throttle.jsonl"))
	if err := os.WriteFile(old, b, 0o644); err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-30 * 24 * time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}

	var out, errOut bytes.Buffer
	sock := filepath.Join(t.TempDir(), "no-server")
	err := runStatus(context.Background(), []string{"--claude-dir", root, "--json", "--all", "--tmux-socket", sock}, &out, &errOut)
	if err != nil {
		t.Fatalf("status: %v (stderr %s)", err, errOut.String())
	}
	var doc struct {
		Sessions []map[string]any `json:"sessions"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if len(doc.Sessions) != 3 {
		t.Fatalf("got %d sessions, want 3 (the 30-day-old one is outside --since):\n%s", len(doc.Sessions), out.String())
	}
	keys := []string{"session_id", "cwd", "transcript", "state", "kind", "limit", "message", "attempts",
		"stalled_at", "resets_at", "resume_at", "pane", "pane_error"}
	byID := map[string]map[string]any{}
	for _, s := range doc.Sessions {
		for _, k := range keys {
			if _, ok := s[k]; !ok {
				t.Errorf("session %v lacks key %q", s["session_id"], k)
			}
		}
		for _, k := range []string{"stalled_at", "resets_at", "resume_at"} {
			if v, ok := s[k].(string); ok {
				if _, err := time.Parse(time.RFC3339, v); err != nil {
					t.Errorf("%s = %q is not RFC 3339", k, v)
				}
			}
		}
		byID[s["session_id"].(string)] = s
	}
	// Stalled first, in the order sortRows gives.
	if doc.Sessions[0]["state"] != "stalled" || doc.Sessions[2]["state"] != "working" {
		t.Errorf("stalled sessions must come first: %v, %v, %v", doc.Sessions[0]["state"], doc.Sessions[1]["state"], doc.Sessions[2]["state"])
	}
	cap5h := byID["802c3643-66ce-424c-a604-fb00dd01b253"]
	if cap5h == nil {
		t.Fatalf("5-hour cap session missing: %s", out.String())
	}
	want := map[string]any{"state": "stalled", "kind": "usage_limit", "limit": "five_hour", "attempts": 1.0,
		"resets_at": "2026-11-22T17:50:43Z", "pane": nil}
	for k, v := range want {
		if cap5h[k] != v {
			t.Errorf("5h cap: %s = %v, want %v", k, cap5h[k], v)
		}
	}
	if pe, _ := cap5h["pane_error"].(string); !strings.Contains(pe, "no tmux server running") {
		t.Errorf("pane_error = %q, want it to say no tmux server runs", pe)
	}
	for _, s := range doc.Sessions {
		if s["state"] == "working" {
			for _, k := range []string{"kind", "limit", "message", "stalled_at", "resets_at", "resume_at", "pane", "pane_error"} {
				if s[k] != nil {
					t.Errorf("working session: %s = %v, want null", k, s[k])
				}
			}
		}
	}
}

func TestStatusTableAndErrors(t *testing.T) {
	t.Parallel()
	root := claudeRoot(t, "v2.1.145-key-429.jsonl", "v2.1.330-key-ok.jsonl")
	var out, errOut bytes.Buffer
	sock := filepath.Join(t.TempDir(), "no-server")
	if err := runStatus(context.Background(), []string{"--claude-dir", root, "--tmux-socket", sock}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "STATE") || !strings.HasPrefix(lines[1], "WAITING  rate limit") ||
		!strings.HasPrefix(lines[2], "no pane (1): no tmux server running on "+sock) {
		t.Fatalf("table:\n%s", out.String())
	}

	// A missing root is a clear error, not an empty table.
	err := runStatus(context.Background(), []string{"--claude-dir", filepath.Join(root, "nope")}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "claude root") {
		t.Fatalf("missing root: err = %v", err)
	}
	// A bad flag is a usage error.
	if err := runStatus(context.Background(), []string{"--bogus"}, &out, &errOut); !errors.Is(err, errUsage) {
		t.Fatalf("bad flag: err = %v, want errUsage", err)
	}
}

// TestStatusJSONWildWordings: the wordings reported in the wild and a
// subagent's cap keep the documented shape; an error that needs a human is
// fatal, nothing is scheduled, and pane_error says what to do.
func TestStatusJSONWildWordings(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := []string{"x-model-cap.jsonl", "x-spend-cap.jsonl", "x-agent-terminated-2.1.145.jsonl", "x-extra-usage-reset.jsonl",
		"x-ratelimit-stated-wait.jsonl", "x-cutoff-sleep.jsonl"}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", "extra", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	sock := filepath.Join(t.TempDir(), "no-server")
	if err := runStatus(context.Background(), []string{"--claude-dir", root, "--json", "--tmux-socket", sock}, &out, &errOut); err != nil {
		t.Fatalf("status: %v (stderr %s)", err, errOut.String())
	}
	var doc struct {
		Sessions []map[string]any `json:"sessions"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	byFile := map[string]map[string]any{}
	for _, s := range doc.Sessions {
		if len(s) != 14 {
			t.Errorf("session has %d keys, want the 14 documented ones: %v", len(s), s)
		}
		byFile[filepath.Base(s["transcript"].(string))] = s
	}
	cases := []struct {
		file      string
		want      map[string]any
		paneError []string // substrings; nil: not checked
	}{
		{"x-model-cap.jsonl", map[string]any{"state": "stalled", "kind": "fatal", "limit": nil, "resume_at": nil, "resets_at": nil},
			[]string{"switch models with /model", "usage credits"}},
		{"x-spend-cap.jsonl", map[string]any{"state": "stalled", "kind": "fatal", "resume_at": nil}, []string{"spend"}},
		{"x-agent-terminated-2.1.145.jsonl", map[string]any{"state": "stalled", "kind": "usage_limit", "limit": "five_hour",
			"resets_at": "2026-11-23T02:20:00Z", "attempts": 1.0}, nil},
		{"x-extra-usage-reset.jsonl", map[string]any{"state": "stalled", "kind": "usage_limit", "limit": "extra_usage",
			"resets_at": "2026-11-22T18:00:00Z"}, nil},
		{"x-ratelimit-stated-wait.jsonl", map[string]any{"state": "stalled", "kind": "rate_limit", "resets_at": "2026-11-22T16:07:28.344Z"}, nil},
		{"x-cutoff-sleep.jsonl", map[string]any{"state": "stalled", "kind": "server_error", "resets_at": nil}, nil},
	}
	for _, c := range cases {
		s := byFile[c.file]
		if s == nil {
			t.Errorf("%s not listed:\n%s", c.file, out.String())
			continue
		}
		for k, v := range c.want {
			if s[k] != v {
				t.Errorf("%s: %s = %v, want %v", c.file, k, s[k], v)
			}
		}
		pe, _ := s["pane_error"].(string)
		for _, w := range c.paneError {
			if !strings.Contains(pe, w) {
				t.Errorf("%s: pane_error %q lacks %q", c.file, pe, w)
			}
		}
		if c.want["kind"] != "fatal" && s["resume_at"] == nil {
			t.Errorf("%s: nothing scheduled", c.file)
		}
	}
}
