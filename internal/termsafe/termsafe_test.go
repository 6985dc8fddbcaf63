package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// bidi is every Unicode Bidi_Control rune.
const bidi = "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"

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
		{"RLO reorders the rest", "fine\u202Etxt.exe", "fine" + p + "txt.exe"},
		{"every bidi embedding, override and isolate", "a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069i",
			"a" + p + "b" + p + "c" + p + "d" + p + "e" + p + "f" + p + "g" + p + "h" + p + "i"},
		{"bidi marks", "x\u200Ey\u200Fz\u061C", "x" + p + "y" + p + "z" + p},
		{"Arabic and Hebrew letters kept", "مرحبا שלום", "مرحبا שלום"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in)
			if got != tt.want {
				t.Fatalf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !utf8.ValidString(got) || strings.ContainsAny(got, "\x1b\x07\r\u009b"+bidi) {
				t.Fatalf("String(%q) = %q: still unsafe", tt.in, got)
			}
		})
	}
}

// TestSnapshotEveryField: every text field a transcript or a reason can
// fill comes out clean, and the caller's snapshot is left as it was.
func TestSnapshotEveryField(t *testing.T) {
	bad := "x\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202E"
	s := watch.Session{ID: bad, Cwd: bad, Transcript: bad, Root: bad, Message: bad, LastUUID: bad, LastError: bad, Note: bad, TimeNote: bad}
	a := resume.Action{SessionID: bad, What: bad, Reason: bad, Pane: bad}
	snap := resume.Snapshot{Roots: []string{bad}, LockHeldBy: bad,
		Sessions: []resume.Status{{Session: s, Pane: bad, PaneErr: bad, Reason: bad, Host: bad, History: []resume.Action{a}}},
		Log:      []resume.Action{a}, Hosts: []resume.HostInfo{{Name: bad, State: bad, Detail: bad}}}
	got := Snapshot(snap)
	st, l := got.Sessions[0], got.Log[0]
	for i, f := range []string{got.Roots[0], got.LockHeldBy, st.Session.ID, st.Session.Cwd, st.Session.Transcript, st.Session.Root,
		st.Session.Message, st.Session.LastUUID, st.Session.LastError, st.Session.Note, st.Session.TimeNote,
		st.Pane, st.PaneErr, st.Reason, st.Host, got.Hosts[0].Name, got.Hosts[0].State, got.Hosts[0].Detail, st.History[0].SessionID, st.History[0].What, st.History[0].Reason, st.History[0].Pane,
		l.SessionID, l.What, l.Reason, l.Pane} {
		if strings.ContainsAny(f, "\x1b\x07"+bidi) {
			t.Errorf("field %d not cleaned: %q", i, f)
		}
	}
	if snap.Sessions[0].Session.Message != bad || snap.Log[0].Reason != bad || snap.Roots[0] != bad || snap.Hosts[0].Detail != bad {
		t.Fatal("the caller's snapshot was modified")
	}
}
