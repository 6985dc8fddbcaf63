package remote

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzParseLine: whatever a remote host prints (a login banner, a
// truncated update, garbage, a deeply nested value), ParseLine returns a
// line or ErrNotALine without panicking, and a parsed update's sessions
// convert back to statuses.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		`{"hello":{"version":"v1","host":"box","proto":1}}`,
		`{"update":{"host":"box","version":"v1","time":"2026-12-01T10:00:00Z","sessions":[{"session_id":"a","state":"stalled","kind":"throttle","resume_at":"2026-12-01T10:00:05Z","pane":"tmux:%1"}]}}`,
		`{"host":"box","sessions":[]}`,
		`{"ok":{"cmd":"retry","session":"a"}}`,
		`{"error":"unknown command"}`,
		`Last login: Mon Dec  1 10:00:00 2026`,
		`{"update":{"sessions":[{"resume_at":"not a time"}]}}`,
		strings.Repeat("[", 20000),
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLine(b)
		if err != nil {
			return
		}
		if l.Update != nil {
			for _, s := range l.Update.Sessions {
				_ = s.Status()
			}
		}
		// What parsed once also passes through the line reader unchanged
		// (a line without a newline in it).
		if bytes.IndexByte(b, '\n') >= 0 || len(b) == 0 || len(b) > MaxLine {
			return
		}
		out := make(chan []byte, 1)
		if err := ReadLines(context.Background(), bytes.NewReader(b), out); err != nil {
			t.Fatalf("ReadLines: %v", err)
		}
		if got := <-out; !bytes.Equal(got, bytes.TrimSuffix(b, []byte("\r"))) && !bytes.Equal(got, b) {
			t.Fatalf("ReadLines gave %q for %q", got, b)
		}
	})
}
