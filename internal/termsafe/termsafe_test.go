package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

func TestString(t *testing.T) {
	const p = "\uFFFD"
	tests := []struct{ name, in, want string }{
		{"plain", "API Error: 429 · Rate limited", "API Error: 429 · Rate limited"},
		{"newline and tab kept", "a\nb\tc", "a\nb\tc"},
		{"CSI clear screen", "x\x1b[2Jy", "x" + p + "[2Jy"},
		{"OSC 52 clipboard, BEL", "\x1b]52;c;ZXZpbA==\x07", p + "]52;c;ZXZpbA==" + p},
		{"OSC ended by ST", "\x1b]8;;http://x\x1b\\", p + "]8;;http://x" + p + "\\"},
		{"CR overwrites the line", "ok\rgone", "ok" + p + "gone"},
		{"NUL and DEL", "a\x00b\x7f", "a" + p + "b" + p},
		{"C1 CSI as a rune", "a\u009b2J", "a" + p + "2J"},
		{"lone 0x9b byte", "a\x9b2J", "a" + p + "2J"},
		{"C1 NEL is not a newline here", "a\u0085b", "a" + p + "b"},
		{"wide and combining runes kept", "日本語 é", "日本語 é"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in)
			if got != tt.want {
				t.Fatalf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !utf8.ValidString(got) || strings.ContainsAny(got, "\x1b\x07\r\u009b") {
				t.Fatalf("String(%q) = %q: still unsafe", tt.in, got)
			}
		})
	}
}

// TestSnapshotEveryField: every text field a transcript or a reason can
// fill comes out clean, and the caller's snapshot is left as it was.
func TestSnapshotEveryField(t *testing.T) {
	bad := "x\x1b]52;c;ZXZpbA==\x07\x1b[2J"
	s := watch.Session{ID: bad, Cwd: bad, Transcript: bad, Root: bad, Message: bad, LastUUID: bad, LastError: bad, Note: bad, TimeNote: bad}
	a := resume.Action{SessionID: bad, What: bad, Reason: bad, Pane: bad}
	snap := resume.Snapshot{Roots: []string{bad}, LockHeldBy: bad,
		Sessions: []resume.Status{{Session: s, Pane: bad, PaneErr: bad, Reason: bad, History: []resume.Action{a}}},
		Log:      []resume.Action{a}}
	got := Snapshot(snap)
	st, l := got.Sessions[0], got.Log[0]
	for i, f := range []string{got.Roots[0], got.LockHeldBy, st.Session.ID, st.Session.Cwd, st.Session.Transcript, st.Session.Root,
		st.Session.Message, st.Session.LastUUID, st.Session.LastError, st.Session.Note, st.Session.TimeNote,
		st.Pane, st.PaneErr, st.Reason, st.History[0].SessionID, st.History[0].What, st.History[0].Reason, st.History[0].Pane,
		l.SessionID, l.What, l.Reason, l.Pane} {
		if strings.ContainsAny(f, "\x1b\x07") {
			t.Errorf("field %d not cleaned: %q", i, f)
		}
	}
	if snap.Sessions[0].Session.Message != bad || snap.Log[0].Reason != bad || snap.Roots[0] != bad {
		t.Fatal("the caller's snapshot was modified")
	}
}
