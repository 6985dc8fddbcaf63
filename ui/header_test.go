package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
)

// Issue 10 item 13: the header says when this ccwake types nothing.
func TestHeaderMode(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*resume.Snapshot)
		want string
		not  string
	}{
		{"auto on", func(*resume.Snapshot) {}, "ccwake  auto-resume ON", "OFF"},
		{"auto off", func(s *resume.Snapshot) { s.Auto = false }, "ccwake  AUTO OFF", "auto-resume ON"},
		{"dry run", func(s *resume.Snapshot) { s.DryRun = true }, "ccwake  DRY RUN", "auto-resume ON"},
		{"lock held", func(s *resume.Snapshot) { s.LockHeldBy = "pid 4711" }, "ccwake  WATCH ONLY", "auto-resume ON"},
		{"lock held, auto off", func(s *resume.Snapshot) { s.LockHeldBy = "pid 4711"; s.Auto = false }, "ccwake  WATCH ONLY", "AUTO OFF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := busySnapshot()
			snap.Auto = true
			tc.mod(&snap)
			for _, w := range []int{80, 120} {
				lines := headerView(headerData{snap: snap}, NewStyles(true, true), w)
				first := ansi.Strip(lines[0])
				if !strings.HasPrefix(first, tc.want) || strings.Contains(first, tc.not) {
					t.Errorf("width %d: header %q, want %q and no %q", w, first, tc.want, tc.not)
				}
			}
		})
	}
}

// The second header line says how reopening and notifications are set.
func TestHeaderSettings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mod    func(*resume.Snapshot)
		notify []string
		want   string
		not    string
	}{
		{"nothing on", func(*resume.Snapshot) {}, nil, "transcripts", "reopen"},
		{"reopen auto", func(s *resume.Snapshot) { s.ReopenOn, s.ReopenAuto, s.ClaudeBin = true, true, "/usr/bin/claude" }, nil, "reopen ON (/usr/bin/claude)", "notify"},
		{"reopen on key", func(s *resume.Snapshot) { s.ReopenOn, s.ClaudeBin = true, "/usr/bin/claude" }, nil, "reopen on R (/usr/bin/claude)", "reopen ON"},
		{"notify", func(*resume.Snapshot) {}, []string{"bell", "url"}, "notify bell, url", "reopen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := busySnapshot()
			tc.mod(&snap)
			lines := headerView(headerData{snap: snap, notify: tc.notify}, NewStyles(true, true), 200)
			second := ansi.Strip(lines[1])
			if !strings.Contains(second, tc.want) || strings.Contains(second, tc.not) {
				t.Errorf("header %q, want %q and no %q", second, tc.want, tc.not)
			}
		})
	}
}

// Issue 16 item 1: a lost or unusable record of what was typed is a banner,
// and the layout gives it its line.
func TestHeaderStateProblem(t *testing.T) {
	snap := busySnapshot()
	lines := headerView(headerData{snap: snap}, NewStyles(true, true), 200)
	snap.StateProblem = "the record of what was typed under /h/.claude was lost at 2026-11-23 12:00:00\n(could not be read back): stalls from before then are left to you"
	with := headerView(headerData{snap: snap}, NewStyles(true, true), 200)
	if len(with) != len(lines)+1 {
		t.Fatalf("%d header lines with the problem, %d without: want one more", len(with), len(lines))
	}
	banner := ansi.Strip(with[len(with)-1])
	if !strings.HasPrefix(banner, "✗ the record of what was typed under /h/.claude was lost") || strings.Contains(banner, "\n") ||
		!strings.Contains(banner, "left to you") {
		t.Fatalf("banner %q", banner)
	}
	m := Model{snap: snap, height: 40}
	m.snap.StateProblem = ""
	without := m.layout().header
	m.snap.StateProblem = snap.StateProblem
	if got := m.layout().header; got != without+1 {
		t.Fatalf("layout gives the header %d lines with the banner, %d without", got, without)
	}
}
