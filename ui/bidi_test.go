package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// TestViewNeutralisesBidi reads a real transcript whose cwd and error text
// hold bidi overrides, embeddings, isolates and marks (the
// x-terminal-escapes fixture with them added) with the real watcher, and
// renders the table, the details and the event log, plus a host whose
// error quotes them: none reaches the screen raw, each shows as U+FFFD.
func TestViewNeutralisesBidi(t *testing.T) {
	const bidi = "invoice\u202Etxt.exe\u202C \u202Aa\u202Bb\u202Dc\u2066d\u2067e\u2068f\u2069 \u200Eg\u200Fh\u061C"
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "-home-dev-work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "transcripts", "extra", "x-terminal-escapes.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(b), `"cwd":"/home/dev/work`, `"cwd":"/home/dev/work`+bidi)
	s = strings.Replace(s, "Please try again later.", "Please try again later. "+bidi, 1)
	if err := os.WriteFile(filepath.Join(dir, "x.jsonl"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	sessions, _, err := watch.Scan(context.Background(), watch.Config{Roots: []string{root}, Since: 100 * 365 * 24 * time.Hour, Loc: time.UTC})
	if err != nil || len(sessions) != 1 {
		t.Fatalf("scan: %v, %d sessions", err, len(sessions))
	}
	st := sessions[0]
	if !strings.Contains(st.Message, bidi) || !strings.Contains(st.Cwd, bidi) {
		t.Fatalf("the transcript lost its bidi controls: cwd %q message %q", st.Cwd, st.Message)
	}
	reason := "Claude (pid 42) in pane %1 is not in " + st.Cwd + " any more"
	snap := resume.Snapshot{Roots: []string{root}, Transcripts: 1, Auto: true, Taken: testNow,
		Sessions: []resume.Status{{Session: st, Phase: resume.Blocked, Reason: reason, PaneErr: "no pane in " + st.Cwd,
			History: []resume.Action{{Time: testNow, SessionID: st.ID, What: "skipped", Reason: reason}}}},
		Log:   []resume.Action{{Time: testNow, SessionID: st.ID, What: "skipped", Reason: reason}},
		Hosts: []resume.HostInfo{{Name: "box", State: "lost", Detail: "ssh: " + bidi}}}
	opts := testOpts()
	opts.NoColor = true
	var m tea.Model = New(newFake(t, snap), opts)
	m, _ = m.Update(tea.WindowSizeMsg{Width: 240, Height: 50})
	m, _ = m.Update(snapshotMsg{snap: snap})
	views := map[string]string{"table": m.(Model).View().Content}
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	views["details"] = m.(Model).View().Content
	for name, v := range views {
		for _, r := range v {
			if unicode.Is(unicode.Bidi_Control, r) {
				t.Errorf("%s view holds a raw %U:\n%s", name, r, v)
				break
			}
		}
		if !strings.Contains(v, "invoice\uFFFDtxt.exe") {
			t.Errorf("%s view does not show the override as a placeholder:\n%s", name, v)
		}
	}
}
