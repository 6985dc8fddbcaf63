package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// flatten runs cmd, expands Batches, and returns one command per message
// (already computed), so a test can look at every message an Update asked for.
func flatten(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Cmd
		for _, c := range b {
			out = append(out, flatten(c)...)
		}
		return out
	}
	return []tea.Cmd{func() tea.Msg { return msg }}
}

func TestBellRingsOncePerSendAndRearms(t *testing.T) {
	bell := make(chan struct{}, 1)
	opts := testOpts()
	opts.Bell = bell
	m := New(newFake(t, busySnapshot()), opts)

	for round := range 3 {
		bell <- struct{}{}
		msg := waitForBell(m.bell)()
		if _, ok := msg.(bellMsg); !ok {
			t.Fatalf("round %d: wait gave %T, want bellMsg", round, msg)
		}
		// Update must answer with exactly one BEL and a new wait; the wait
		// blocks until the next send, so feed it before running the batch.
		bell <- struct{}{}
		_, cmd := m.Update(msg)
		var raws, bells int
		for _, c := range flatten(cmd) {
			switch v := c().(type) {
			case tea.RawMsg:
				if v.Msg == "\a" {
					raws++
				}
			case bellMsg:
				bells++
			}
		}
		if raws != 1 || bells != 1 {
			t.Fatalf("round %d: %d BEL writes and %d re-armed waits, want 1 and 1", round, raws, bells)
		}
	}
	close(bell)
	if msg := waitForBell(bell)(); msg != nil {
		t.Fatalf("closed channel: got %T, want nil (not re-armed)", msg)
	}
	if waitForBell(nil) != nil {
		t.Fatal("no bell channel: want no command")
	}
}
