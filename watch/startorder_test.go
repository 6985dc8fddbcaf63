package watch

import (
	"fmt"
	"path/filepath"
	"testing"
)

// At start the stalled sessions come before the working ones, whatever the
// listing order: with 10,000 transcripts the resumer decides the stalls
// without waiting behind thousands of working sessions (issue 9 item 1).
func TestStartSendsStalledFirst(t *testing.T) { eachBackend(t, testStartSendsStalledFirst) }

func testStartSendsStalledFirst(t *testing.T, o options) {
	root, proj := newRoot(t)
	const working, stalled = 40, 3
	for i := range working {
		// "a-…" lists before the stalled "z-…" files.
		writeFile(t, filepath.Join(proj, fmt.Sprintf("a-%03d.jsonl", i)), []byte(replyLine(fmt.Sprintf("r%d", i), "2026-11-22T15:00:00.000Z")))
	}
	for i := range stalled {
		b := replyLine(fmt.Sprintf("zr%d", i), "2026-11-22T15:00:00.000Z") + errorLine(fmt.Sprintf("ze%d", i), "2026-11-22T15:00:01.000Z")
		writeFile(t, filepath.Join(proj, fmt.Sprintf("z-%03d.jsonl", i)), []byte(b))
	}
	r := start(t, root, o)
	var order []State
	for _, e := range r.events {
		if e.Kind == SessionChanged {
			order = append(order, e.Session.State)
		}
	}
	if len(order) != working+stalled {
		t.Fatalf("%d sessions before Ready, want %d:\n%s", len(order), working+stalled, r.dump())
	}
	for i, s := range order {
		want := Working
		if i < stalled {
			want = Stalled
		}
		if s != want {
			t.Fatalf("event %d is %s, want the %d stalled sessions first:\n%s", i, s, stalled, r.dump())
		}
	}
}
