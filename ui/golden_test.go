package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ccwake/ccwake/resume"
)

// start runs the dashboard in teatest at w×h with the colour profile pinned
// and waits until the screen shows want.
func start(t *testing.T, e Engine, opts Options, w, h int, want string) *teatest.TestModel {
	t.Helper()
	tm := teatest.NewTestModel(t, New(e, opts),
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	t.Cleanup(func() { _ = tm.Quit() })
	waitScreen(t, tm, want)
	return tm
}

// waitScreen waits until the program's output, escape codes removed,
// contains want.
func waitScreen(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return strings.Contains(ansi.Strip(string(b)), want)
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// finish quits and returns the final model.
func finish(t *testing.T, tm *teatest.TestModel) Model {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
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
	locked := busySnapshot()
	locked.LockHeldBy = "pid 4711"
	locked.Auto = false
	tests := []struct {
		name string
		snap func() resume.Snapshot
		w, h int
		want string // on screen before the keys go in
		keys []tea.Msg
	}{
		{"empty", emptySnapshot, 100, 30, "watching ~/.claude", nil},
		{"sessions", busySnapshot, 100, 30, "src/ccwake", nil},
		{"details", busySnapshot, 100, 30, "src/ccwake", []tea.Msg{enter}},
		{"details_blocked", busySnapshot, 100, 30, "src/ccwake", []tea.Msg{press('j'), press('j'), enter}},
		{"details_usage_cap", busySnapshot, 100, 30, "src/ccwake", []tea.Msg{press('j'), press('j'), press('j'), press('j'), press('j'), enter}},
		{"details_no_pane", busySnapshot, 100, 30, "src/ccwake", []tea.Msg{press('j'), press('j'), press('j'), press('j'), enter}},
		{"full_help", busySnapshot, 100, 30, "src/ccwake", []tea.Msg{press('?')}},
		{"filter", busySnapshot, 100, 30, "src/ccwake", []tea.Msg{press('/'), press('s'), press('r'), press('c')}},
		{"filter_kept", busySnapshot, 100, 30, "src/ccwake", []tea.Msg{press('/'), press('u'), press('s'), press('a'), enter}},
		{"80x24", busySnapshot, 80, 24, "src/ccwake", nil},
		{"120x40_lock_held", func() resume.Snapshot { return locked }, 120, 40, "holds the lock", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newFake(t, tt.snap())
			tm := start(t, e, testOpts(), tt.w, tt.h, tt.want)
			for _, k := range tt.keys {
				tm.Send(k)
			}
			golden.RequireEqual(t, plain(t, finish(t, tm)))
		})
	}
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
