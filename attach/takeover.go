package attach

import (
	"context"
	"fmt"
	"time"

	"github.com/ccwake/ccwake/remote"
)

// Takeover is what an attached dashboard does when its service stops.
type Takeover struct {
	View *View
	Sw   *Switch
	// Lock tries to take the lock of every root; it reports whether it
	// did, and who holds it when not.
	Lock func() (ok bool, heldBy string, err error)
	// Start runs this process's own engine (the lock is held) and returns
	// it for the dashboard.
	Start func(ctx context.Context) (remote.Local, error)
	// Poll is how often the connection is looked at; 0 means 250 ms, well
	// inside the 2 s a stopped service may leave its sessions unattended.
	Poll time.Duration
}

// Run watches the connection until ctx ends or this process took over.
// Once the service is gone (the client is not up after having been), it
// tries the lock at every poll: taken, it starts its own engine and the
// dashboard shows that; held by a new holder, the client attaches to it.
// stopClient ends the client's reconnecting once this process serves.
func (t *Takeover) Run(ctx context.Context, stopClient func()) {
	poll := t.Poll
	if poll <= 0 {
		poll = 250 * time.Millisecond
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	lastErr := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if st := t.View.Client().Status().State; st == remote.Up || st == remote.Connecting {
			continue
		}
		ok, _, err := t.Lock()
		switch {
		case err != nil:
			if msg := err.Error(); msg != lastErr {
				lastErr = msg
				t.View.Note("takeover_failed", "the service stopped and the lock cannot be taken: "+msg)
			}
			continue
		case !ok:
			continue // another instance holds it now: the client attaches to it
		}
		local, err := t.Start(ctx)
		if err != nil {
			t.View.Note("takeover_failed", fmt.Sprintf("the service stopped; this dashboard took the lock but cannot resume: %v", err))
			continue
		}
		stopClient()
		t.Sw.Set(local)
		return
	}
}
