package ui

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// TestViewNoTerminalControls reads a real transcript whose cwd and error
// text hold ESC[2J, OSC 52 clipboard writes, SGR, CR, BEL and an 8-bit CSI
// (testdata/transcripts/extra/x-terminal-escapes.jsonl) with the real
// watcher, and renders the table, the details and the event log without
// colours: the only escape sequences left are the dashboard's own SGR
// attributes (bold, faint); the transcript's show as U+FFFD.
func TestViewNoTerminalControls(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "transcripts", "extra", "x-terminal-escapes.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.jsonl"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	sessions, _, err := watch.Scan(context.Background(), watch.Config{Roots: []string{root}, Since: 100 * 365 * 24 * time.Hour, Loc: time.UTC})
	if err != nil || len(sessions) != 1 {
		t.Fatalf("scan: %v, %d sessions", err, len(sessions))
	}
	s := sessions[0]
	if !strings.Contains(s.Message, "\x1b]52;c;") || !strings.Contains(s.Cwd, "\x1b[2J") {
		t.Fatalf("the fixture lost its controls: cwd %q message %q", s.Cwd, s.Message)
	}
	reason := "Claude (pid 42) in pane %1 is not in " + s.Cwd + " any more"
	snap := resume.Snapshot{Roots: []string{root}, Transcripts: 1, Auto: true, Taken: testNow,
		Sessions: []resume.Status{{Session: s, Phase: resume.Blocked, Reason: reason, PaneErr: "no pane in " + s.Cwd,
			History: []resume.Action{{Time: testNow, SessionID: s.ID, What: "skipped", Reason: reason}}}},
		Log: []resume.Action{{Time: testNow, SessionID: s.ID, What: "skipped", Reason: reason}}}
	opts := testOpts()
	opts.NoColor = true
	var m tea.Model = New(newFake(t, snap), opts)
	m, _ = m.Update(tea.WindowSizeMsg{Width: 200, Height: 40})
	m, _ = m.Update(snapshotMsg{snap: snap})
	views := map[string]string{"table": m.(Model).View().Content}
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	views["details"] = m.(Model).View().Content
	ownSGR := regexp.MustCompile(`\x1b\[[0-9;]*m`)
	for name, v := range views {
		if strings.Contains(v, "\x1b[31m") {
			t.Errorf("%s view holds the transcript's SGR", name)
		}
		rest := ownSGR.ReplaceAllString(v, "")
		if i := strings.IndexAny(rest, "\x1b\x07\r\u009b"); i >= 0 {
			t.Errorf("%s view holds a raw control at %d: %q", name, i, rest[max(0, i-40):min(len(rest), i+40)])
		}
		if !strings.Contains(rest, "\uFFFD]52;c;") {
			t.Errorf("%s view does not show the OSC 52 payload as text:\n%s", name, rest)
		}
	}
	if !strings.Contains(views["details"], "Request rejected (429)") || !strings.Contains(views["details"], "/home/dev/work") {
		t.Errorf("details do not show the error and cwd:\n%s", views["details"])
	}
}
