package resume

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch/classify"
)

// countingRunner answers like a host where no tmux server runs and no
// screen session exists, and counts the processes ccwake would start.
type countingRunner struct {
	mu    sync.Mutex
	calls [][]string
}

func (r *countingRunner) Run(_ context.Context, argv ...string) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, argv)
	if slices.Contains(argv, "screen") {
		return []byte("No Sockets found in /run/screen/S-me.\n"), errors.New("exit status 1")
	}
	return nil, fmt.Errorf("%q: exit status 1: no server running on /tmp/tmux-0/default", argv)
}

func (r *countingRunner) n() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// Issue 9 item 3: 50 stalled sessions no pane runs cost one listing per
// backend per wave, no process while nothing changes, one wave when a
// sessions file comes or goes (PanesChanged), one at the slow fallback.
func TestIdleCostPanelessSessions(t *testing.T) {
	run := &countingRunner{}
	clock := newFakeClock(t0)
	actor := pane.New(pane.Config{Runner: run, Procs: newFakeProcs(), Backends: []string{"tmux", "screen"}, Now: clock.Now})
	h := newHarnessWith(t, nil, actor, clock)
	const n = 50
	for i := range n {
		h.sendAsync(stall(fmt.Sprintf("s%02d", i), uuidN(i), classify.Throttle, 1, t0.Add(-time.Hour)))
	}
	h.settle()
	for i := range n {
		st := h.status(fmt.Sprintf("s%02d", i))
		if st.Phase != Blocked || !strings.Contains(st.PaneErr, "not running") {
			t.Fatalf("s%02d: phase %s, pane error %q; want blocked for no server", i, st.Phase, st.PaneErr)
		}
	}
	if got := run.n(); got != 2 {
		t.Fatalf("first wave started %d processes for %d sessions, want 2 (tmux list-panes, screen -ls): %q", got, n, run.calls)
	}
	h.advance(2 * time.Minute)
	if got := run.n(); got != 2 {
		t.Fatalf("%d processes over 2 idle minutes, want none: %q", got-2, run.calls[2:])
	}
	h.e.PanesChanged()
	h.settle()
	if got := run.n(); got != 4 {
		t.Fatalf("a sessions file came or went: %d processes, want one wave (2)", got-2)
	}
	h.advanceTo(nextBoundary(h.clock.Now(), DefaultConfig().NoPaneRecheck))
	if got := run.n(); got != 6 {
		t.Fatalf("the slow fallback: %d processes, want one wave (2)", got-4)
	}
}
