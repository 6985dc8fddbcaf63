package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// status --json shows the reopen option and the notification settings, and
// per stalled session the command reopening it would run; a webhook's
// secret path is not shown.
func TestStatusJSONSettings(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", "extra", "x-ratelimit-stated-wait.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	cwd := filepath.Join(t.TempDir(), "work") // the session's cwd exists: it can be reopened
	if err := os.Mkdir(cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte(`"cwd":"/home/dev/work"`), []byte(`"cwd":"`+cwd+`"`))
	if err := os.WriteFile(filepath.Join(dir, "x.jsonl"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "claude")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "no-server")
	type doc struct {
		Sessions []struct {
			SessionID string `json:"session_id"`
			Reopen    *struct {
				Command string `json:"command"`
				HeldBy  []int  `json:"held_by"`
				Refused string `json:"refused"`
			} `json:"reopen"`
			PaneError string `json:"pane_error"`
		} `json:"sessions"`
		Settings struct {
			Reopen struct {
				Enabled   bool    `json:"enabled"`
				ClaudeBin *string `json:"claude_bin"`
				Error     *string `json:"error"`
			} `json:"reopen"`
			Notify struct {
				Channels []string `json:"channels"`
				URLHost  *string  `json:"url_host"`
				Format   string   `json:"format"`
			} `json:"notify"`
		} `json:"settings"`
	}
	run := func(args ...string) (doc, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{"--claude-dir", root, "--json", "--tmux-socket", sock}, args...)
		if err := runStatus(context.Background(), args, &out, &errOut); err != nil {
			t.Fatalf("status: %v (stderr %s)", err, errOut.String())
		}
		var d doc
		if err := json.Unmarshal(out.Bytes(), &d); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
		return d, out.String()
	}

	d, raw := run("--reopen", "--claude-bin", bin, "--notify-url", "https://ntfy.sh/secret-topic-123", "--notify-desktop")
	s := d.Settings
	if !s.Reopen.Enabled || s.Reopen.ClaudeBin == nil || *s.Reopen.ClaudeBin != bin || s.Reopen.Error != nil {
		t.Errorf("reopen settings %+v, want enabled with %s", s.Reopen, bin)
	}
	if !slices.Equal(s.Notify.Channels, []string{"bell", "desktop", "url"}) || s.Notify.URLHost == nil || *s.Notify.URLHost != "https://ntfy.sh" {
		t.Errorf("notify settings %+v", s.Notify)
	}
	if strings.Contains(raw, "secret-topic") {
		t.Errorf("the webhook's path is shown:\n%s", raw)
	}
	if len(d.Sessions) != 1 || d.Sessions[0].Reopen == nil {
		t.Fatalf("sessions %+v, want one with a reopen command", d.Sessions)
	}
	ro := d.Sessions[0].Reopen
	if want := bin + " --resume=" + d.Sessions[0].SessionID; !strings.HasSuffix(ro.Command, want) ||
		!strings.Contains(ro.Command, "CLAUDE_CONFIG_DIR="+root) || !strings.HasPrefix(ro.Command, "cd "+cwd+" && ") || ro.Refused != "" {
		t.Errorf("reopen command %q, want cd … CLAUDE_CONFIG_DIR=%s … %s", ro.Command, root, want)
	}
	if ro.HeldBy == nil {
		t.Errorf("held_by is null, want a list")
	}

	// Its cwd deleted: no command, and why it needs a human, in the
	// reopen object and in the pane error the table shows.
	if err := os.Remove(cwd); err != nil {
		t.Fatal(err)
	}
	d, _ = run("--claude-bin", bin)
	if ro := d.Sessions[0].Reopen; ro == nil || ro.Command != "" || !strings.Contains(ro.Refused, cwd+" was moved or deleted") ||
		!strings.Contains(ro.Refused, "needs you") || !strings.Contains(d.Sessions[0].PaneError, ro.Refused) {
		t.Errorf("cwd deleted: reopen %+v, pane_error %q; want refused: moved or deleted", ro, d.Sessions[0].PaneError)
	}

	d, _ = run("--claude-bin", filepath.Join(t.TempDir(), "no-such-claude"), "--notify-bell=false")
	s = d.Settings
	if s.Reopen.Enabled || s.Reopen.ClaudeBin != nil || s.Reopen.Error == nil || len(s.Notify.Channels) != 0 {
		t.Errorf("without a claude: settings %+v", s)
	}
	if d.Sessions[0].Reopen != nil {
		t.Errorf("without a claude: session reopen %+v, want null", d.Sessions[0].Reopen)
	}
}
