package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ccwake/ccwake/internal/termsafe"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ccwake/ccwake/resume"
)

// Source is what a server serves and commands: the engine of the ccwake
// that holds the lock (*resume.Engine satisfies it).
type Source interface {
	Snapshot() resume.Snapshot
	Retry(id string)
	Pause(id string, on bool)
	Dismiss(id string)
	Reopen(id string)
	SetAuto(on bool)
}

// Server speaks the protocol for one engine, on any number of
// connections: `serve --stdio` on its stdin and stdout, and the local
// socket of the instance that holds the lock (package attach).
type Server struct {
	Src   Source
	Hello Hello
	// Build is the update a snapshot makes; Key is that update without
	// what changes by the clock alone (a line goes out only when the key
	// changed).
	Build func(snap resume.Snapshot, now time.Time) Update
	Key   func(Update) []byte
	// Tick re-builds the update although nothing signalled (resumed rows
	// age out); 0 means a minute.
	Tick time.Duration
	Now  func() time.Time
}

// Serve writes the hello, then an update now and after each change, and
// answers each command read from in. It returns when in ends (the client
// went), ctx ends, changes closes (the engine stopped) or a write fails.
func (s *Server) Serve(ctx context.Context, in io.Reader, w io.Writer, changes <-chan struct{}) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	now := s.Now
	if now == nil {
		now = time.Now
	}
	out := &LineOut{W: w}
	if err := out.Write(Line{Hello: &s.Hello}); err != nil {
		return fmt.Errorf("serve: hello: %w", err)
	}
	cmdsDone := make(chan struct{})
	go func() {
		defer close(cmdsDone)
		s.commands(ctx, in, out)
		cancel() // in ended: the client is gone
	}()
	tick := s.Tick
	if tick <= 0 {
		tick = time.Minute
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	SendChanges(ctx, changes, t.C,
		func() Update { return s.Build(s.Src.Snapshot(), now()) },
		s.Key, func(u Update) error { return out.Write(Line{Update: &u}) })
	cancel()
	<-cmdsDone
	return out.Err()
}

// SendChanges sends build's update now and again after each change and
// each tick (nil: none), but only when its key differs from the last one
// sent. It returns when ctx ends, changes closes, or a send fails.
func SendChanges(ctx context.Context, changes <-chan struct{}, tick <-chan time.Time, build func() Update, key func(Update) []byte, send func(Update) error) {
	var last []byte
	for {
		u := build()
		if k := key(u); !bytes.Equal(k, last) {
			if send(u) != nil {
				return
			}
			last = k
		}
		select {
		case <-ctx.Done():
			return
		case _, ok := <-changes:
			if !ok {
				return
			}
		case <-tick:
		}
	}
}

// UpdateKey is the update without its time.
func UpdateKey(u Update) []byte {
	u.Time = ""
	b, _ := json.Marshal(u)
	return b
}

// LineOut writes whole JSON lines from several goroutines; after the first
// failed write it writes nothing more.
type LineOut struct {
	W   io.Writer
	mu  sync.Mutex
	err error
}

// Write writes v as one line.
func (l *LineOut) Write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = termsafe.JSON(b) // C1 and bidi controls escaped: the same value, safe on a terminal
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		_, l.err = l.W.Write(append(b, '\n'))
	}
	return l.err
}

// stop makes every later Write a no-op.
func (l *LineOut) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = errStopped
	}
}

// errStopped is what Write says after stop.
var errStopped = errors.New("output stopped")

// Err is the first write error.
func (l *LineOut) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// commands acts on each command line of in until it ends. Anything that is
// not a command gets an error line and is never acted on.
func (s *Server) commands(ctx context.Context, in io.Reader, out *LineOut) {
	answerCommands(ctx, in, out, func(cmd Command) error { return s.command(cmd, out) })
}

// answerCommands reads command lines from in until it ends and hands each
// valid one to act; a line that is not a command, and act's error, get an
// error line.
func answerCommands(ctx context.Context, in io.Reader, out *LineOut, act func(Command) error) {
	lines := make(chan []byte)
	go func() { _ = ReadLines(ctx, in, lines) }()
	for b := range lines {
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		cmd, err := parseCommand(b)
		if err == nil {
			err = act(cmd)
		}
		if err != nil {
			_ = out.Write(Line{Error: err.Error()})
		}
	}
}

// parseCommand reads one command line: exactly the fields of Command, and
// one of Commands.
func parseCommand(b []byte) (Command, error) {
	var cmd Command
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cmd); err != nil {
		return Command{}, fmt.Errorf("not a command (want {\"cmd\":…,\"session\":…}): %v", err)
	}
	if !slices.Contains(Commands, cmd.Cmd) {
		return Command{}, fmt.Errorf("unknown command %q (commands: %s)", cmd.Cmd, strings.Join(Commands, ", "))
	}
	return cmd, nil
}

// command runs one command.
func (s *Server) command(cmd Command, out *LineOut) error {
	switch cmd.Cmd {
	case CmdAutoOn, CmdAutoOff:
		s.Src.SetAuto(cmd.Cmd == CmdAutoOn)
		return out.Write(Line{OK: &Reply{Cmd: cmd.Cmd}})
	}
	id, err := FindSession(s.Src.Snapshot(), cmd.Session)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd.Cmd, err)
	}
	switch cmd.Cmd {
	case "retry":
		s.Src.Retry(id)
	case "pause":
		s.Src.Pause(id, true)
	case "resume":
		s.Src.Pause(id, false)
	case "dismiss":
		s.Src.Dismiss(id)
	case "reopen":
		s.Src.Reopen(id) // only when that machine's ccwake may reopen (--claude-bin found); it decides
	}
	return out.Write(Line{OK: &Reply{Cmd: cmd.Cmd, Session: id}})
}

// ServeReadOnly speaks the protocol without a Source (`serve --stdio
// --status`): the hello, then each update stream sends, until in ends (the
// client went), ctx ends or stream returns. Every command read from in is
// answered with an error line and reaches nothing: such a server holds no
// lock and must never be the way to make a machine type. An error of stream
// goes out as an error line too, so a client that waits for an update
// learns why none comes. It returns without waiting for in to end: nothing
// is written after it returns.
func ServeReadOnly(ctx context.Context, hello Hello, in io.Reader, w io.Writer, stream func(ctx context.Context, send func(Update) error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := &LineOut{W: w}
	defer out.stop()
	if err := out.Write(Line{Hello: &hello}); err != nil {
		return fmt.Errorf("serve: hello: %w", err)
	}
	go func() {
		answerCommands(ctx, in, out, func(cmd Command) error {
			return fmt.Errorf("%s: refused: this ccwake serves status only (serve --status) and acts on no command", cmd.Cmd)
		})
		cancel() // in ended: the client is gone
	}()
	err := stream(ctx, func(u Update) error { return out.Write(Line{Update: &u}) })
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = nil
	}
	if err != nil {
		_ = out.Write(Line{Error: err.Error()})
		return fmt.Errorf("serve: %w", err)
	}
	return out.Err()
}

// FindSession is the id of the session named by id or transcript path.
func FindSession(snap resume.Snapshot, name string) (string, error) {
	if name == "" {
		return "", errors.New("no session named")
	}
	for _, st := range snap.Sessions {
		if st.Session.ID == name || st.Session.Transcript == name {
			return st.Session.ID, nil
		}
	}
	return "", fmt.Errorf("no session %q here", name)
}
