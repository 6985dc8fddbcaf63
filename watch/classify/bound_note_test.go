package classify

import (
	"strings"
	"testing"
	"time"
)

// Issue 10 item 11: the note about a corrected reset is for humans: its
// times are in the reader's zone, with the zone named, not UTC RFC 3339.
func TestBoundNoteInLocalZone(t *testing.T) {
	loc := time.FixedZone("XST", 5*3600)
	at := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	reset := at.Add(23 * time.Hour) // far past a five-hour window
	_, note := bound(reset, true, "", FiveHour, at, loc)
	if note == "" {
		t.Fatal("no note for an impossible reset")
	}
	if strings.Contains(note, "T07:00:00Z") || strings.Contains(note, "Z;") {
		t.Errorf("note %q still in UTC RFC 3339", note)
	}
	for _, want := range []string{"Mar 11 12:00:00 XST", "Mar 10 18:00:00 XST"} { // the reset; the window's end
		if !strings.Contains(note, want) {
			t.Errorf("note %q lacks %q", note, want)
		}
	}
}
