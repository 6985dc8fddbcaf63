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
