package notify

import "context"

// Sink delivers one event somewhere a human looks. Send must return when ctx
// ends; the Notifier gives every call a timeout and calls one Sink from one
// goroutine at a time.
type Sink interface {
	Name() string
	Send(ctx context.Context, ev Event) error
}
