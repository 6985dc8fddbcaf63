package resume

import (
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

func TestUnconfirmedLeavesTheDueQueue(t *testing.T) {
	h := newHarness(t, nil)
	h.actor.addPane("s1", "%1")
	h.send(stall("s1", "e1", classify.Throttle, 1, t0))
	h.advance(10 * time.Minute)
	h.logMu.Lock()
	defer h.logMu.Unlock()
	if strings.Contains(h.logBuf.String(), "keep coming") {
		t.Fatal(h.logBuf.String())
	}
}
