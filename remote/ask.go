package remote

import (
	"context"
	"fmt"
	"time"
)

// HostError is why a host did not answer Ask: the state the dashboard
// would show for it (Missing, TooOld, Garbage, Lost) and the reason, in the
// words the dashboard uses.
type HostError struct {
	Host   string
	State  State
	Detail string
}

func (e *HostError) Error() string { return e.Detail }

// Ask connects to cfg's host once, reads the hello and the first update,
// and closes: a one-shot question (`status --host`), where Client keeps a
// connection. It opens the connection and reads why it failed as Client
// does (openLink, handshake, classifyExit): one ssh path for both. There
// is no second attempt; cfg.Handshake bounds the wait for the hello and
// the update together. The error is a *HostError.
func Ask(ctx context.Context, cfg Config) (Hello, Update, error) {
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fail := func(st State, detail string) (Hello, Update, error) {
		return Hello{}, Update{}, &HostError{Host: cfg.Host, State: st, Detail: detail}
	}
	l, err := openLink(ctx, cfg)
	if err != nil {
		return fail(Lost, err.Error())
	}
	timer := time.NewTimer(cfg.Handshake)
	defer timer.Stop()
	hello, st, detail := handshake(ctx, l.lines, timer.C, cfg.Handshake)
	var upd *Update
	if hello != nil {
		upd, st, detail = firstUpdate(ctx, l.lines, timer.C, cfg.Handshake)
	}
	cancel() // the answer is in (or will not come): ssh and the remote end
	st, detail, _ = l.end(st, detail, hello != nil)
	if upd == nil {
		return fail(st, detail)
	}
	return *hello, *upd, nil
}

// firstUpdate reads lines past the hello until the first update, before
// deadline fires. An error line (the remote could not start its watch) is
// the failure; answers to commands are skipped. State "" with no update
// means the output ended first.
func firstUpdate(ctx context.Context, lines <-chan []byte, deadline <-chan time.Time, wait time.Duration) (*Update, State, string) {
	for {
		select {
		case <-ctx.Done():
			return nil, Lost, "stopped"
		case <-deadline:
			return nil, Lost, fmt.Sprintf("no update from the remote ccwake within %s", wait)
		case b, ok := <-lines:
			if !ok {
				return nil, "", ""
			}
			l, err := ParseLine(b)
			switch {
			case err != nil:
				return nil, Garbage, "not ccwake's protocol: " + quote(b)
			case l.Update != nil:
				return l.Update, "", ""
			case l.Error != "":
				return nil, Lost, l.Error
			}
		}
	}
}
