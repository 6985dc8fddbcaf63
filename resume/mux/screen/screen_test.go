package screen

import (
	"slices"
	"testing"
)

func TestParseList(t *testing.T) {
	out := "There are screens on:\n\t3871.t1\t(12/01/26 14:15:53)\t(Detached)\n\t402.pts-0.host\t(Attached)\n2 Sockets in /tmp/scr.\n"
	if got, want := ParseList(out), []string{"3871.t1", "402.pts-0.host"}; !slices.Equal(got, want) {
		t.Errorf("ParseList = %q, want %q", got, want)
	}
	if got := ParseList("No Sockets found in /tmp/x.\n"); got != nil {
		t.Errorf("ParseList(none) = %q", got)
	}
}

func TestParseInfo(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"(11,7)/(100,30)+1024 +(+)flow UTF-8 1(w1)", 1024, false},
		{"(1,1)/(80,24)+0 -flow 0(bash)\n", 0, false},
		{"Could not find pre-select window.", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseInfo(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseInfo(%q) = %d, %v", tt.in, got, err)
		}
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		id, sess, win string
		ok            bool
	}{
		{"1234.pts-0.host/2", "1234.pts-0.host", "2", true},
		{"1234.a/b/0", "1234.a/b", "0", true},
		{"1234.cc/x", "", "", false},
		{"cc/0", "", "", false},
		{"1234.cc", "", "", false},
		{"/0", "", "", false},
	}
	for _, tt := range tests {
		s, w, err := ParseID(tt.id)
		if (err == nil) != tt.ok || s != tt.sess || w != tt.win {
			t.Errorf("ParseID(%q) = %q, %q, %v", tt.id, s, w, err)
		}
	}
}

// The bytes are what screen 4.09 wrote for a fake Claude Code screen.
func TestRecover(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"input line", "o\xa0", "❯\u00a0"},
		{"input line with a draft", "o\xa0fix it", "❯\u00a0fix it"},
		{"rule", "\x00\x00\x00", "───"},
		{"user message", "o say hi", "❯ say hi"},
		{"reply", "\xcf API Error: x (not your usage limit) \xb7 Rate", "● API Error: x (not your usage limit) · Rate"},
		{"result", "  \xbf  Interrupted", "  ⎿  Interrupted"},
		{"dialog cursor", " o 1. Yes", " ❯ 1. Yes"},
		{"status line", "; Crunched for 0s", "✻ Crunched for 0s"},
		{"plain o", "oops, no", "oops, no"},
		{"o inside a line", "  go on", "  go on"},
		{"em dash low byte", "a \x14 b", "a \uFFFD b"},
		{"unknown glyph mid-line", "x \xcf y", "x Ï y"},
	}
	for _, tt := range tests {
		if got := Recover([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: Recover(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// Text screen's stuff would expand is refused before any command runs.
func TestSendLiteralRefusesExpansions(t *testing.T) {
	s := New(nil, nil, "") // a nil Runner: any command would panic
	for _, text := range []string{"echo $HOME", "a^Mb", `back\slash`} {
		if err := s.SendLiteral(t.Context(), "1234.cc/0", text); err == nil {
			t.Errorf("SendLiteral(%q): no error", text)
		}
	}
}

func TestParseCursor(t *testing.T) {
	tests := []struct {
		in       string
		col, row int
		wantErr  bool
	}{
		// 2.1.330 at a throttle: the hint's first cell, after "❯ " on row 22.
		{"(3,22)/(80,24)+1024 +(-)flow mouse UTF-8 0(bash)", 2, 21, false},
		{"(1,1)/(80,24)+0 -flow 0(bash)\n", 0, 0, false},
		// A notice before the answer (a dead session in the socket directory).
		{"Remove dead screens with 'screen -wipe'.Remove dead screens with 'screen -wipe'.\r\n(35,22)/(80,24)+1024 +(-)flow mouse UTF-8 0(bash)", 34, 21, false},
		{"(0,5)/(80,24)+0 -flow 0(bash)", 0, 0, true},
		{"Could not find pre-select window.", 0, 0, true},
		{"", 0, 0, true},
	}
	for _, tt := range tests {
		col, row, err := ParseCursor(tt.in)
		if (err != nil) != tt.wantErr || col != tt.col || row != tt.row {
			t.Errorf("ParseCursor(%q) = %d, %d, %v", tt.in, col, row, err)
		}
	}
}
