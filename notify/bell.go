package notify

import "context"

// Bell rings the terminal bell for the kinds Rings picks. Ring must not
// block; the dashboard passes a non-blocking send to its own loop, which
// writes the BEL between frames (a second writer to the terminal could
// split an escape sequence).
type Bell struct {
	Ring func()
}

// Name implements Sink.
func (b Bell) Name() string { return "bell" }

// Send implements Sink.
func (b Bell) Send(_ context.Context, ev Event) error {
	if Rings(ev.Event) && b.Ring != nil {
		b.Ring()
	}
	return nil
}
