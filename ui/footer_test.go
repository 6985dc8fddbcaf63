package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Issue 10 item 14: at any width the footer keeps "? help" and "q quit";
// the other keys give way first.
func TestFooterKeepsHelpAndQuit(t *testing.T) {
	for _, w := range []int{200, 120, 80, 60, 40, 24} {
		for _, keys := range [][]tea.Msg{nil, {enter}} {
			m, _ := recorded(t, busySnapshot(), testNow)
			m = step(t, m, tea.WindowSizeMsg{Width: w, Height: 24})
			m = step(t, m, snapshotMsg{snap: busySnapshot()})
			for _, k := range keys {
				m = step(t, m, k)
			}
			lines := strings.Split(ansi.Strip(m.View().Content), "\n")
			last := strings.TrimRight(lines[len(lines)-1], " ")
			if !strings.HasSuffix(last, "? help  q quit") {
				t.Errorf("width %d keys %v: footer %q lacks ? help  q quit", w, keys, last)
			}
			if ansi.StringWidth(last) > w {
				t.Errorf("width %d: footer %d wide", w, ansi.StringWidth(last))
			}
		}
	}
}

// Issue 10 item 14: rows that overflow the table show the position, and
// the details view scrolls with the keys.
func TestFooterPositionAndDetailsScroll(t *testing.T) {
	m, _ := recorded(t, manySnapshot(), testNow)
	m = step(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = step(t, m, snapshotMsg{snap: manySnapshot()})
	for range 4 {
		m = step(t, m, press('j'))
	}
	foot := ansi.Strip(m.footerView()[0])
	if !regexp.MustCompile(`\b5/28\b`).MatchString(foot) {
		t.Errorf("footer %q lacks the position 5/28", foot)
	}

	m, _ = recorded(t, longHistorySnapshot(), testNow)
	m = step(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = step(t, m, snapshotMsg{snap: longHistorySnapshot()})
	m = step(t, m, enter)
	top := ansi.Strip(m.View().Content)
	m = step(t, m, press('G'))
	bottom := ansi.Strip(m.View().Content)
	if !strings.Contains(top, "Session ") || strings.Contains(top, "guard 29:") {
		t.Errorf("details start at the top:\n%s", top)
	}
	if !strings.Contains(bottom, "guard 29:") || strings.Contains(bottom, "Session ") {
		t.Errorf("G scrolls the details to the newest history:\n%s", bottom)
	}
	if foot := ansi.Strip(m.footerView()[0]); !regexp.MustCompile(`lines \d+-44/44`).MatchString(foot) {
		t.Errorf("details footer %q lacks the line position", foot)
	}
	m = step(t, m, press('g'))
	if got := ansi.Strip(m.View().Content); got != top {
		t.Errorf("g does not scroll back to the top")
	}
}

// Issue 10 item 15: at 80 columns, where the table drops the session
// column, each event names its session the way its row does (the project
// cell), so the two can be matched.
func TestEventsMatchRowsAt80(t *testing.T) {
	for _, w := range []int{80, 120} {
		m, _ := recorded(t, busySnapshot(), testNow)
		m = step(t, m, tea.WindowSizeMsg{Width: w, Height: 40})
		m = step(t, m, snapshotMsg{snap: busySnapshot()})
		showsID := false
		for _, c := range m.table.cols {
			showsID = showsID || c.id == colSession
		}
		labels := map[string]bool{}
		for _, r := range m.rows {
			labels[r.cells[colSession]] = showsID
			for _, c := range m.table.cols {
				if c.id == colProject {
					labels[fitCell(colProject, r.cells[colProject], c.width)] = true
				}
			}
		}
		screen := ansi.Strip(m.View().Content)
		_, log, ok := strings.Cut(screen, "─ events ")
		if !ok {
			t.Fatalf("width %d: no event log:\n%s", w, screen)
		}
		matched := 0
		for _, l := range strings.Split(log, "\n")[1:] {
			if !regexp.MustCompile(`^\d\d:\d\d:\d\d `).MatchString(l) {
				continue
			}
			found := false
			for lab, ok := range labels {
				if ok && lab != "" && strings.HasPrefix(l[9:], lab+" ") {
					found = true
				}
			}
			if !found && !strings.Contains(l, " ccwake ") {
				// a session without a row (dismissed, working) is fine only if it is not in the table
				id := strings.Fields(l)[1]
				for _, r := range m.rows {
					if strings.HasPrefix(r.st.Session.ID, id) {
						t.Errorf("width %d: event %q names its row's session in words the row does not show", w, l)
					}
				}
				continue
			}
			matched++
		}
		if matched == 0 {
			t.Errorf("width %d: no event matched a row:\n%s", w, log)
		}
	}
}
