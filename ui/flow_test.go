package ui

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/resume"
)

// Each key sequence must reach the engine as exactly this call. Rows are in
// attention order: the blocked (user typing) session first, then the
// throttle waiting 0:23.
func TestKeysCallEngine(t *testing.T) {
	tests := []struct {
		name string
		keys []tea.Msg
		want string
	}{
		{"retry selected", []tea.Msg{press('r')}, "retry " + idFatal},
		{"retry second row", []tea.Msg{press('j'), press('r')}, "retry " + idGaveUp},
		{"pause", []tea.Msg{press('p')}, "pause " + idFatal + " true"},
		{"unpause a paused session", []tea.Msg{press('/'), press('p'), press('i'), press('p'), press('e'), enter, press('p')}, "pause " + idPaused + " false"},
		{"auto off", []tea.Msg{press('a')}, "auto false"},
		{"dismiss", []tea.Msg{press('x')}, "dismiss " + idFatal},
		{"jump", []tea.Msg{press('j'), press('o')}, "jump " + idGaveUp},
		{"jump from details", []tea.Msg{press('j'), enter, press('o')}, "jump " + idGaveUp},
		{"retry from details", []tea.Msg{press('j'), enter, press('r')}, "retry " + idGaveUp},
		{"reopen selected", []tea.Msg{press('j'), press('R')}, "reopen " + idGaveUp},
		{"reopen from details", []tea.Msg{press('j'), enter, press('R')}, "reopen " + idGaveUp},
		{"wheel then retry", []tea.Msg{tea.MouseWheelMsg{Button: tea.MouseWheelDown}, tea.MouseWheelMsg{Button: tea.MouseWheelDown}, press('r')}, "retry " + idTyping},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newFake(t, busySnapshot())
			tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
			for _, k := range tt.keys {
				tm.Send(k)
			}
			e.waitCall(t, tt.want)
			finish(t, tm)
			e.mu.Lock()
			defer e.mu.Unlock()
			if len(e.calls) != 1 {
				t.Errorf("engine calls = %q, want only %q", e.calls, tt.want)
			}
		})
	}
}

// Typing in the filter must not trigger actions: "r", "p", "x" are text.
func TestFilterNarrowsRows(t *testing.T) {
	e := newFake(t, busySnapshot())
	tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
	tm.Type("/pipeline")
	waitScreen(t, tm, "1 session")
	m := finish(t, tm)
	if len(m.rows) != 1 || m.rows[0].st.Session.ID != idPaused {
		t.Fatalf("rows after filter = %d, first %+v; want only %s", len(m.rows), m.rows, idPaused)
	}
	if len(e.calls) != 0 {
		t.Errorf("typing in the filter called the engine: %q", e.calls)
	}
	if !m.filter.editing || m.filter.text != "pipeline" {
		t.Errorf("filter = %+v", m.filter)
	}
}

func TestFilterEscClears(t *testing.T) {
	e := newFake(t, busySnapshot())
	tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
	tm.Type("/ml")
	tm.Send(enter)
	tm.Send(esc)
	m := finish(t, tm)
	if m.filter.active() || len(m.rows) != 8 {
		t.Fatalf("after esc: filter %+v, %d rows; want no filter, 8 rows", m.filter, len(m.rows))
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []tea.Msg{press('q'), tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}} {
		t.Run(k.(tea.KeyPressMsg).String(), func(t *testing.T) {
			e := newFake(t, busySnapshot())
			tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
			tm.Send(k)
			tm.WaitFinished(t, teatest.WithFinalTimeout(testwait.Left(t)))
		})
	}
}

// A change the engine publishes shows without any key press.
func TestEngineChangeShows(t *testing.T) {
	e := newFake(t, emptySnapshot())
	tm := start(t, e, testOpts(), 100, 30, "all quiet")
	e.set(busySnapshot())
	waitScreen(t, tm, "billing-ser")
	e.set(emptySnapshot())
	waitScreen(t, tm, "0 need you")
	m := finish(t, tm)
	if len(m.rows) != 0 {
		t.Errorf("rows = %d after the engine emptied, want 0", len(m.rows))
	}
}

// When the engine stops, the dashboard says so and stops waiting.
func TestEngineClosed(t *testing.T) {
	e := &fakeEngine{snap: busySnapshot(), ch: make(chan struct{}, 1)}
	tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
	close(e.ch)
	waitScreen(t, tm, "engine stopped")
	finish(t, tm)
}

// The selection stays on its session when the order changes under it.
func TestSelectionFollowsSession(t *testing.T) {
	e := newFake(t, busySnapshot())
	tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
	tm.Send(press('j')) // the throttle session
	snap := busySnapshot()
	snap.Sessions = snap.Sessions[:1]                                 // the throttle session moves from row 2 to row 1…
	snap.Sessions = append(snap.Sessions, busySnapshot().Sessions[2]) // …and the fatal one below it
	snap.Transcripts = 12345                                          // a mark the new screen shows: the whole line shifts
	e.set(snap)
	waitScreen(t, tm, "12345 transcripts")
	tm.Send(press('r'))
	e.waitCall(t, "retry "+idThrottle)
	finish(t, tm)
}

// Issue 10 item 16: a jump that cannot happen says why on screen (the
// engine's words), and the next key clears it.
func TestJumpErrorShown(t *testing.T) {
	e := newFake(t, busySnapshot())
	e.jumpErr = errors.New("cannot jump to the pane: ccwake is not running inside tmux; attach to default socket and go to pane %11")
	tm := start(t, e, testOpts(), 80, 24, "src/ccwake")
	tm.Send(press('j'))
	tm.Send(press('o'))
	waitScreen(t, tm, "not running inside tmux")
	tm.Send(press('k'))
	m := finish(t, tm)
	if m.flash != "" {
		t.Errorf("flash %q survived the next key", m.flash)
	}
}

// Actions go to the log file, never to the terminal.
func TestActionsAreLogged(t *testing.T) {
	var buf bytes.Buffer
	opts := testOpts()
	opts.Logger = slog.New(slog.NewTextHandler(&buf, nil))
	e := newFake(t, busySnapshot())
	tm := start(t, e, opts, 100, 30, "src/ccwake")
	tm.Send(press('r'))
	e.waitCall(t, "retry "+idFatal)
	finish(t, tm)
	if !strings.Contains(buf.String(), "dashboard: retry") || !strings.Contains(buf.String(), idFatal) {
		t.Errorf("log = %q, want the retry with its session", buf.String())
	}
}

// No session selected: actions do nothing rather than act on "".
func TestActionsWithoutRows(t *testing.T) {
	e := newFake(t, emptySnapshot())
	tm := start(t, e, testOpts(), 100, 30, "all quiet")
	tm.Send(press('r'))
	tm.Send(press('p'))
	tm.Send(press('x'))
	tm.Send(enter)
	m := finish(t, tm)
	if len(e.calls) != 0 || m.details.open {
		t.Errorf("calls %q, details open %v; want none", e.calls, m.details.open)
	}
}

var _ Engine = (*fakeEngine)(nil)
var _ = resume.Snapshot{}
