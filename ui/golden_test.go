package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/resume"
)

// start runs the dashboard in teatest at w×h with the colour profile pinned
// and waits until the screen shows want and every one of also.
func start(t *testing.T, e Engine, opts Options, w, h int, want string, also ...string) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, New(e, opts),
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	t.Cleanup(func() { _ = tm.Quit() })
	waitScreen(t, tm, want, also...)
	return tm
}

// waitScreen waits until the program's output, escape codes removed,
// contains want and every one of also, for as long as the test binary
// may run (testwait), not a fixed time a loaded machine overruns.
func waitScreen(t *testing.T, tm *teatest.TestModel, want string, also ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		s := ansi.Strip(string(b))
		for _, w := range append([]string{want}, also...) {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(testwait.Left(t)), teatest.WithCheckInterval(10*time.Millisecond))
}

// finish quits and returns the final model.
func finish(t *testing.T, tm *teatest.TestModel) Model {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(testwait.Left(t))).(Model)
}

// plain is a view as the NoTTY profile writes it: text only, so goldens
// show the layout and stay stable on any terminal.
func plain(t *testing.T, m Model) string {
	t.Helper()
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
	if _, err := w.WriteString(m.View().Content); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var (
	enter = tea.KeyPressMsg{Code: tea.KeyEnter}
	esc   = tea.KeyPressMsg{Code: tea.KeyEscape}
)

func TestGolden(t *testing.T) {
	locked := func() resume.Snapshot {
		s := busySnapshot()
		s.LockHeldBy = "pid 4711"
		return s
	}
	autoOff := func() resume.Snapshot { s := busySnapshot(); s.Auto = false; return s }
	dryRun := func() resume.Snapshot { s := busySnapshot(); s.DryRun = true; return s }
	j := press('j')
	// ready is on screen only once the snapshot is: "AUTO OFF" alone is
	// also the frame drawn before the first snapshot came (auto's zero
	// value), and a golden taken from that frame lacks every row.
	ready := map[string]string{"empty": "watching ~/.claude"}
	views := []struct {
		name string
		snap func() resume.Snapshot
		want string // on screen before the keys go in
		keys []tea.Msg
	}{
		{"empty", emptySnapshot, "watching ~/.claude", nil},
		{"sessions", busySnapshot, "src/ccwake", nil},
		{"details", busySnapshot, "src/ccwake", []tea.Msg{enter}},
		{"details_blocked", busySnapshot, "src/ccwake", []tea.Msg{j, j, enter}},
		{"details_usage_cap", busySnapshot, "src/ccwake", []tea.Msg{j, j, j, j, j, enter}},
		{"details_no_pane", busySnapshot, "src/ccwake", []tea.Msg{j, j, j, j, enter}},
		{"details_scrolled", longHistorySnapshot, "src/ccwake", []tea.Msg{enter, j, j, j}},
		{"full_help", busySnapshot, "src/ccwake", []tea.Msg{press('?')}},
		{"filter", busySnapshot, "src/ccwake", []tea.Msg{press('/'), press('s'), press('r'), press('c')}},
		{"filter_kept", busySnapshot, "src/ccwake", []tea.Msg{press('/'), press('u'), press('s'), press('a'), enter}},
		{"overflow", manySnapshot, "src/ccwake", []tea.Msg{j, j, j, j, j, j, j, j, j, j, j, j}},
		{"lock_held", locked, "holds the lock", nil},
		{"auto_off", autoOff, "AUTO OFF", nil},
		{"dry_run", dryRun, "DRY RUN", nil},
	}
	for _, size := range [][2]int{{80, 24}, {120, 35}} {
		for _, tt := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", tt.name, size[0], size[1]), func(t *testing.T) {
				e := newFake(t, tt.snap())
				r, ok := ready[tt.name]
				if !ok {
					r = "src/ccwake" // every other snapshot has this row
				}
				tm := start(t, e, testOpts(), size[0], size[1], tt.want, r)
				for _, k := range tt.keys {
					tm.Send(k)
				}
				golden.RequireEqual(t, plain(t, finish(t, tm)))
			})
		}
	}
}

// manySnapshot is the busy fixture with twenty more waiting sessions, so
// the table overflows any screen.
func manySnapshot() resume.Snapshot {
	s := busySnapshot()
	base := busyStatus(idThrottle)
	for i := range 20 {
		st := base
		st.Session.ID = fmt.Sprintf("%08x-0000-4000-8000-%012d", 0xa0000000+i, i)
		st.Session.Cwd = fmt.Sprintf("/home/dev/src/service-%02d", i)
		st.ResumeAt = base.ResumeAt.Add(time.Duration(i) * time.Minute)
		s.Sessions = append(s.Sessions, st)
	}
	return s
}

// longHistorySnapshot gives the first row a history taller than the screen.
func longHistorySnapshot() resume.Snapshot {
	s := busySnapshot()
	for i := range s.Sessions {
		if s.Sessions[i].Session.ID != idFatal {
			continue
		}
		h := s.Sessions[i].History
		for n := range 30 {
			h = append(h, resume.Action{Time: testNow.Add(time.Duration(n-40) * time.Minute), SessionID: idFatal,
				What: "blocked", Reason: fmt.Sprintf("guard %d: a dialog is open", n)})
		}
		s.Sessions[i].History = h
	}
	return s
}

// press is a plain key press.
func press(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// The attributes survive the Ascii profile (bold badges, the bold selected
// row) while every colour goes: this golden keeps the escape codes.
func TestGoldenAscii(t *testing.T) {
	e := newFake(t, busySnapshot())
	tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
	m := finish(t, tm)
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	if _, err := w.WriteString(m.View().Content); err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, b.String())
}
