package attach

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/ccwake/ccwake/remote"
)

// ErrNoService means no ccwake serves the root on any socket a client of
// this environment can find.
var ErrNoService = errors.New("no ccwake serves this root")

// ErrGone means the service closed the connection (it stopped).
var ErrGone = errors.New("the ccwake serving the root stopped")

// Dial connects to the socket of root id in the first directory where one
// answers.
func Dial(ctx context.Context, dirs []string, id string) (net.Conn, error) {
	var tried []string
	var d net.Dialer
	for _, dir := range dirs {
		p := SocketPath(dir, id)
		c, err := d.DialContext(ctx, "unix", p)
		if err == nil {
			return c, nil
		}
		tried = append(tried, p)
	}
	return nil, fmt.Errorf("%w (tried %s)", ErrNoService, strings.Join(tried, ", "))
}

// Dialer is remote.Config.Dial for the socket of the first root of ids,
// for a client that must meet a server holding every one of them: the
// hello is checked by the client (Covers).
func Dialer(dirs []string, id string) func(ctx context.Context) (io.ReadWriteCloser, error) {
	return func(ctx context.Context) (io.ReadWriteCloser, error) {
		return Dial(ctx, dirs, id)
	}
}

// Covers reports whether the server of h holds the lock of every root in
// ids: only then does it decide for all of them.
func Covers(h remote.Hello, ids []string) bool {
	for _, id := range ids {
		if !slices.Contains(h.RootIDs, id) {
			return false
		}
	}
	return len(ids) > 0
}

// Conn is one open connection to a service, past its hello.
type Conn struct {
	Hello remote.Hello
	c     net.Conn
	lines chan []byte
	err   chan error
}

// Open connects to the service of ids (the first root's socket), reads its
// hello within wait and checks that it holds every root.
func Open(ctx context.Context, dirs, ids []string, wait time.Duration) (*Conn, error) {
	if len(ids) == 0 {
		return nil, ErrNoService
	}
	c, err := Dial(ctx, dirs, ids[0])
	if err != nil {
		return nil, err
	}
	cn := &Conn{c: c, lines: make(chan []byte), err: make(chan error, 1)}
	go func() { cn.err <- remote.ReadLines(context.Background(), c, cn.lines) }()
	l, err := cn.next(ctx, wait)
	switch {
	case err != nil:
		cn.Close()
		return nil, err
	case l.Error != "":
		cn.Close()
		return nil, fmt.Errorf("the ccwake serving the root: %s", l.Error)
	case l.Hello == nil:
		cn.Close()
		return nil, errors.New("the local socket did not say hello")
	case l.Hello.Proto != remote.Proto:
		cn.Close()
		return nil, fmt.Errorf("the ccwake serving the root (pid %d) speaks protocol %d, this one %d: restart it", l.Hello.PID, l.Hello.Proto, remote.Proto)
	case !Covers(*l.Hello, ids):
		cn.Close()
		return nil, fmt.Errorf("%w: the ccwake at the socket (pid %d) does not hold the lock of every root watched here", ErrNoService, l.Hello.PID)
	}
	cn.Hello = *l.Hello
	return cn, nil
}

// next is the next line, within wait (0: no limit but ctx).
func (cn *Conn) next(ctx context.Context, wait time.Duration) (remote.Line, error) {
	var timeout <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ctx.Done():
		return remote.Line{}, ctx.Err()
	case <-timeout:
		return remote.Line{}, fmt.Errorf("the ccwake serving the root did not answer within %s", wait)
	case b, ok := <-cn.lines:
		if !ok {
			return remote.Line{}, ErrGone
		}
		return remote.ParseLine(b)
	}
}

// Update is the next update the service sends (the first comes at once).
func (cn *Conn) Update(ctx context.Context, wait time.Duration) (remote.Update, error) {
	for {
		l, err := cn.next(ctx, wait)
		if err != nil {
			return remote.Update{}, err
		}
		if l.Update != nil {
			return *l.Update, nil
		}
	}
}

// Close ends the connection.
func (cn *Conn) Close() {
	_ = cn.c.Close()
	go func() {
		for range cn.lines { // let the reader finish
		}
	}()
}
