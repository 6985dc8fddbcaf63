package attach

import (
	"context"
	"sync"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
)

// Switch is the dashboard's engine that can change underneath it: first the
// service's view, then, once the service stopped and this process took the
// lock, its own engine. The dashboard keeps one Engine for its whole life.
type Switch struct {
	mu      sync.Mutex
	cur     remote.Local
	swapped chan struct{} // closed and replaced on each Set
	changes chan struct{}
}

// NewSwitch shows l until Set.
func NewSwitch(l remote.Local) *Switch {
	return &Switch{cur: l, swapped: make(chan struct{}), changes: make(chan struct{}, 1)}
}

func (s *Switch) get() remote.Local {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// Set shows l from now on.
func (s *Switch) Set(l remote.Local) {
	s.mu.Lock()
	s.cur = l
	close(s.swapped)
	s.swapped = make(chan struct{})
	s.mu.Unlock()
}

// Run forwards the current engine's changes, and a change at each Set,
// until ctx ends; then Changes closes. An engine whose changes closed is
// waited past until the next Set.
func (s *Switch) Run(ctx context.Context) {
	defer close(s.changes)
	for {
		s.mu.Lock()
		ch, sw := s.cur.Changes(), s.swapped
		s.mu.Unlock()
		s.signal()
	inner:
		for {
			select {
			case <-ctx.Done():
				return
			case <-sw:
				break inner
			case _, ok := <-ch:
				if !ok {
					ch = nil // wait for a Set
					continue
				}
				s.signal()
			}
		}
	}
}

func (s *Switch) signal() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
}

// Changes signals a change of the current engine or a switch.
func (s *Switch) Changes() <-chan struct{} { return s.changes }

// Snapshot is the current engine's.
func (s *Switch) Snapshot() resume.Snapshot { return s.get().Snapshot() }

// Retry goes to the current engine.
func (s *Switch) Retry(id string) { s.get().Retry(id) }

// Pause goes to the current engine.
func (s *Switch) Pause(id string, on bool) { s.get().Pause(id, on) }

// Dismiss goes to the current engine.
func (s *Switch) Dismiss(id string) { s.get().Dismiss(id) }

// Reopen goes to the current engine.
func (s *Switch) Reopen(id string) { s.get().Reopen(id) }

// SetAuto goes to the current engine.
func (s *Switch) SetAuto(on bool) { s.get().SetAuto(on) }

// Jump goes to the current engine.
func (s *Switch) Jump(ctx context.Context, id string) error { return s.get().Jump(ctx, id) }
