package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
)

// Issue 18 item 6: the counts are disjoint and each names a STATE: "need
// you" are the rows a human must act on, "waiting" the ones ccwake will
// resume, "stalled" the ones it only shows. The busy fixture has FATAL,
// GAVE UP and BLOCKED (3), and three WAITING rows.
func TestHeaderCountsSayWhatTheyCount(t *testing.T) {
	watchOnly := busySnapshot()
	for i := range watchOnly.Sessions {
		if watchOnly.Sessions[i].Phase == resume.Waiting {
			watchOnly.Sessions[i].Phase = resume.Watching
		}
	}
	for _, tc := range []struct {
		name string
		snap resume.Snapshot
		want string
	}{
		{"busy", busySnapshot(), "3 need you · 3 waiting · 4 resumed today"},
		{"only shown", watchOnly, "3 need you · 0 waiting · 3 stalled · 4 resumed today"},
		{"empty", emptySnapshot(), "0 need you · 0 waiting · 0 resumed today"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := ansi.Strip(headerView(headerData{snap: tc.snap}, NewStyles(true, true), 80)[0])
			if !strings.HasSuffix(first, tc.want) {
				t.Errorf("header %q, want it to end %q", first, tc.want)
			}
		})
	}
}

// Issue 18 item 6: the selection starts on the most urgent row even when
// that row arrives after the first snapshot (the engine classifies stalls
// while the dashboard already shows); once the user moves, it stays on the
// session picked.
func TestSelectionStartsOnMostUrgent(t *testing.T) {
	e := newFake(t, only(busyStatus(idThrottle)))
	tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
	snap := only(busyStatus(idThrottle), busyStatus(idFatal))
	snap.Transcripts = 98765 // a mark the new screen shows whole (not one digit of 12)
	e.set(snap)
	waitScreen(t, tm, "98765 transcripts")
	tm.Send(press('r'))
	e.waitCall(t, "retry "+idFatal)
	finish(t, tm)
}

// Issue 18 item 7: the full help is modal. No key reaches the table or the
// engine behind it; esc, ? and q close it (q does not quit), and the table
// is where it was.
func TestHelpIsModal(t *testing.T) {
	for _, closer := range []tea.KeyPressMsg{esc, press('?'), press('q')} {
		t.Run(closer.String(), func(t *testing.T) {
			e := newFake(t, busySnapshot())
			tm := start(t, e, testOpts(), 100, 30, "src/ccwake")
			tm.Send(press('?'))
			for _, k := range []tea.Msg{press('j'), press('j'), press('r'), press('x'), press('p'), press('a'), press('o'), press('R'), enter, press('/')} {
				tm.Send(k)
			}
			tm.Send(closer)
			tm.Send(press('r')) // on the table again: the first row, never moved
			e.waitCall(t, "retry "+idFatal)
			m := finish(t, tm)
			e.mu.Lock()
			defer e.mu.Unlock()
			if len(e.calls) != 1 {
				t.Errorf("engine calls = %q, want only the retry after the help closed", e.calls)
			}
			if m.help.ShowAll || m.details.open || m.filter.active() {
				t.Errorf("after closing: help %v, details %v, filter %+v", m.help.ShowAll, m.details.open, m.filter)
			}
		})
	}
}

// The full help says how to close it; it offers no "q quit" it would not do.
func TestHelpSaysHowToClose(t *testing.T) {
	m, _ := recorded(t, busySnapshot(), testNow)
	m = step(t, m, snapshotMsg{snap: busySnapshot()})
	m = step(t, m, press('?'))
	screen := ansi.Strip(m.View().Content)
	if !strings.Contains(screen, "esc/?/q close help") || strings.Contains(screen, "q quit") {
		t.Errorf("full help:\n%s", screen)
	}
}

// Issue 18 item 9: nothing on any screen shows the engine's action names or
// its screen names: not the table, the event log, the details' history.
func TestNoInternalEventNames(t *testing.T) {
	internal := []string{"no_pane", "retry_refused", "skipped", "gave_up", "user_typing", "no_stall", "usage_dialog", "auto_wait", "type_failed"}
	snap := busySnapshot()
	// Every action the engine records, each with a session of the fixture.
	var extra []resume.Action
	for what := range eventWords {
		extra = append(extra, act(-time.Second, idNoPane, what, "", ""))
	}
	for _, w := range []string{"skipped:no_stall", "skipped:usage_dialog", "skipped:auto_wait", "skipped:user_typing", "skipped:vim_normal"} {
		extra = append(extra, act(-time.Second, idNoPane, w, "", "%8"))
	}
	extra = append(extra, act(-time.Second, idTyping, "skipped", "user_typing: beneath the client's auto-continue countdown", "%5"))
	snap.Log = append(snap.Log, extra...)
	for i := range snap.Sessions {
		if snap.Sessions[i].Session.ID == idNoPane {
			snap.Sessions[i].History = append(snap.Sessions[i].History, act(0, idNoPane, "skipped:no_stall", "", ""))
		}
	}
	for _, size := range [][2]int{{80, 24}, {120, 200}} {
		m, _ := recorded(t, snap, testNow)
		m = step(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = step(t, m, snapshotMsg{snap: snap})
		screens := []string{ansi.Strip(m.View().Content)}
		for range m.rows {
			d := step(t, m, enter)
			screens = append(screens, ansi.Strip(d.View().Content))
			m = step(t, m, press('j'))
		}
		for _, screen := range screens {
			for _, word := range internal {
				if strings.Contains(screen, word) {
					t.Errorf("%dx%d: screen shows %q:\n%s", size[0], size[1], word, screen)
				}
			}
		}
	}
}

// Issue 18 item 9: the LAST EVENT column leads with the words that say
// what happened.
func TestEventSentence(t *testing.T) {
	for _, tc := range []struct {
		what, reason, want string
	}{
		{"retry_refused", "already typed for this error", "retry refused: already typed for this error"},
		{"no_pane", "no pane yet: claude pid 4242 is not in tmux", "no pane yet: claude pid 4242 is not in tmux"},
		{"skipped:no_stall", "", "the error is not the last message on screen"},
		{"skipped:no_stall", "the stall is not the last message on screen", "the stall is not the last message on screen"},
		{"skipped", "user_typing: draft in the input line", "someone is typing in the input line: draft in the input line"},
		{"gave_up", "6 attempts: giving up", "6 attempts: giving up"},
		{"gave_up", "", "gave up"},
		{"brand_new_thing", "why", "brand new thing: why"},
	} {
		got := eventSentence(resume.Action{What: tc.what, Reason: tc.reason})
		if got != tc.want {
			t.Errorf("eventSentence(%q, %q) = %q, want %q", tc.what, tc.reason, got, tc.want)
		}
	}
}

// Issue 18 item 9: "/" narrows the event log with the table: the events of
// the rows it lets through, and events whose words match.
func TestFilterNarrowsEventLog(t *testing.T) {
	m, _ := recorded(t, busySnapshot(), testNow)
	m = step(t, m, snapshotMsg{snap: busySnapshot()})
	for _, k := range "/trainer" {
		m = step(t, m, press(k))
	}
	m = step(t, m, enter)
	screen := ansi.Strip(m.View().Content)
	_, log, ok := strings.Cut(screen, "events matching the filter")
	if !ok {
		t.Fatalf("no filtered event log:\n%s", screen)
	}
	if !strings.Contains(log, "6 attempts: giving up") || strings.Contains(log, "credit balance") || strings.Contains(log, "src/ccwake") {
		t.Errorf("event log under the filter \"trainer\":\n%s", log)
	}
	m = step(t, m, press('/'))
	for range "trainer" {
		m = step(t, m, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	for _, k := range "refused" { // no row matches; the event's words do
		m = step(t, m, press(k))
	}
	_, log, _ = strings.Cut(ansi.Strip(m.View().Content), "events matching the filter")
	if !strings.Contains(log, "retry refused") || strings.Contains(log, "giving up") {
		t.Errorf("event log under the filter \"refused\":\n%s", log)
	}
}
