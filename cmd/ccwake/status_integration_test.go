package main

import (
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
)

// `ccwake status --json` run as a user would, beside a fake Claude stalled
// in a private tmux server: the session is listed with the pane it would be
// typed into and when; a second, working session in the same cwd is not
// listed, and with --all it is, with nulls for what it lacks. Nothing is
// typed: status only looks.
func TestStatusFindsThePane(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 40)
	cwd := filepath.Join(e.home, "src", "app")
	stalled := e.startClaude(cwd, "429,ok", "say hi")
	working := e.startClaude(cwd, "ok", "hello")
	dump := e.dump([]string{stalled.Pane, working.Pane}, stalled, working)
	e.waitScreen(stalled.Pane, "the fake Claude to stall", func(text string) bool {
		return strings.Contains(text, "Server is temporarily limiting requests")
	}, dump)
	e.waitScreen(working.Pane, "the other one to answer", func(text string) bool {
		return strings.Contains(text, "Hello from the fake")
	}, dump)

	status := func(args ...string) []map[string]any {
		t.Helper()
		cmd := exec.Command(e.ccwake, append([]string{"status", "--json", "--claude-dir", e.root, "--tmux-socket", e.sock}, args...)...)
		cmd.Env = e.env
		out, err := cmd.Output()
		if ee, ok := errors.AsType[*exec.ExitError](err); ok && ee.ExitCode() == status.ExitStalled {
			err = nil // a stalled session: exit status 3 by design
		}
		if err != nil {
			t.Fatalf("ccwake status: %v\n%s", err, dump())
		}
		var doc struct {
			Sessions []map[string]any `json:"sessions"`
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("status --json: %v\n%s", err, out)
		}
		return doc.Sessions
	}

	got := status()
	if len(got) != 1 || got[0]["session_id"] != stalled.ID {
		t.Fatalf("stalled sessions = %v, want only %s\n%s", got, stalled.ID, dump())
	}
	s := got[0]
	if s["pane"] != "tmux:"+stalled.Pane || s["pane_error"] != nil || s["kind"] != "throttle" || s["state"] != "stalled" {
		t.Errorf("status row = %v, want pane %s, kind throttle, no pane_error", s, stalled.Pane)
	}
	at, err := time.Parse(time.RFC3339, s["resume_at"].(string))
	if err != nil || at.Before(time.Now().Add(-time.Minute)) || at.After(time.Now().Add(time.Minute)) {
		t.Errorf("resume_at = %v (%v): want within the 1 s throttle backoff of the stall, or now", s["resume_at"], err)
	}

	all := status("--all")
	if len(all) != 2 || all[1]["session_id"] != working.ID || all[1]["state"] != "working" || all[1]["pane"] != nil {
		t.Errorf("--all = %v, want the working session second, with pane null", all)
	}
	if n := count(userEntries(stalled.Transcript), "continue"); n != 0 {
		t.Errorf("status typed %d continue(s): it must only look", n)
	}
}
