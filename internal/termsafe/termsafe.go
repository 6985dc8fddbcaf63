// Package termsafe makes text read from transcripts safe to print on a
// terminal. A transcript is anyone's file: an error message, a cwd or a
// session id in it may hold ESC sequences (clear the screen, move the
// cursor, OSC 52 writes to the clipboard, OSC 8 links), BEL or CR that a
// terminal would obey, or bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE and
// kin) that reorder what a human reads. Every transcript-derived string
// passes through String before the dashboard, `ccwake status` or `ccwake
// log` prints it; JSON output keeps the exact text but goes through JSON,
// which escapes what encoding/json leaves raw (C1 controls, bidi controls).
package termsafe

import (
	"strings"
	"unicode"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// Placeholder is what a control character is shown as.
const Placeholder = '\uFFFD'

// String returns s with every C0 control (but newline and tab, which the
// callers fold into one line themselves), DEL, every C1 control (U+0080–
// U+009F: 8-bit CSI, OSC, ST …), every bidi control (Unicode's
// Bidi_Control: U+061C, U+200E/F, U+202A–202E, U+2066–2069, which make a
// terminal show text in another order than it is read) and every byte that
// is not UTF-8 (a lone 0x9b is CSI to some terminals) replaced by
// Placeholder. Text without any is returned as is, without copying.
func String(s string) string {
	// strings.Map hands each invalid byte over as utf8.RuneError (the
	// Placeholder) and returns s itself when nothing changed.
	return strings.Map(func(r rune) rune {
		if unsafe(r) && r != '\n' && r != '\t' {
			return Placeholder
		}
		return r
	}, s)
}

// unsafe reports whether r is a control (C0, DEL, C1) or a bidi control.
func unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

// Strings applies String to each element of a copy of list.
func Strings(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = String(s)
	}
	return out
}

// Session returns s with every text field made safe: the ones a
// transcript sets (id, cwd, error text, notes) and the paths.
func Session(s watch.Session) watch.Session {
	s.ID, s.Cwd, s.Transcript, s.Root = String(s.ID), String(s.Cwd), String(s.Transcript), String(s.Root)
	s.Message, s.LastUUID, s.LastError = String(s.Message), String(s.LastUUID), String(s.LastError)
	s.Note, s.TimeNote = String(s.Note), String(s.TimeNote)
	return s
}

// Action returns a with its text fields made safe: reasons quote screens,
// cwds and error texts.
func Action(a resume.Action) resume.Action {
	a.SessionID, a.What, a.Reason, a.Pane = String(a.SessionID), String(a.What), String(a.Reason), String(a.Pane)
	return a
}

// Status returns st with its session, reasons and history made safe.
func Status(st resume.Status) resume.Status {
	st.Session = Session(st.Session)
	st.Pane, st.PaneErr, st.Reason, st.Host = String(st.Pane), String(st.PaneErr), String(st.Reason), String(st.Host)
	st.History = actions(st.History)
	return st
}

// Snapshot returns a copy of snap that is safe to render: the caller's
// slices are not modified.
func Snapshot(snap resume.Snapshot) resume.Snapshot {
	snap.Roots = Strings(snap.Roots)
	snap.LockHeldBy = String(snap.LockHeldBy)
	if snap.Sessions != nil {
		out := make([]resume.Status, len(snap.Sessions))
		for i, st := range snap.Sessions {
			out[i] = Status(st)
		}
		snap.Sessions = out
	}
	snap.Log = actions(snap.Log)
	if snap.Hosts != nil {
		hosts := make([]resume.HostInfo, len(snap.Hosts))
		for i, h := range snap.Hosts { // another machine's words: ssh's stderr, its answers
			h.Name, h.State, h.Detail = String(h.Name), String(h.State), String(h.Detail)
			hosts[i] = h
		}
		snap.Hosts = hosts
	}
	return snap
}

func actions(list []resume.Action) []resume.Action {
	if list == nil {
		return nil
	}
	out := make([]resume.Action, len(list))
	for i, a := range list {
		out[i] = Action(a)
	}
	return out
}
