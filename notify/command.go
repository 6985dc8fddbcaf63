package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"time"
)

// maxCommandOutput bounds how much of a command's output is logged.
const maxCommandOutput = 4 << 10

// commandWaitDelay: after the timeout kills sh, how long a grandchild that
// still holds the output pipe may keep Wait waiting.
const commandWaitDelay = 2 * time.Second

// groupPoll is how often Send looks whether what the command left behind in
// its process group has ended.
const groupPoll = 50 * time.Millisecond

// Command runs a shell command per event (--notify-cmd): `sh -c CMD` with
// the event's JSON and a newline on stdin, and CCWAKE_EVENT, CCWAKE_TITLE
// and CCWAKE_MESSAGE (without control or bidi characters, as a terminal
// would show them) in its environment for one-liners. Its output goes to
// the log, never to the terminal.
//
// The command runs in a process group of its own, and the delivery's
// timeout covers the whole group: Send returns when sh and everything it
// started in the background have ended, and when the timeout or ccwake's
// exit (ctx) comes first, it kills the group, so no `sleep &` of a hung
// hook outlives ccwake. (A program that leaves the group on purpose, with
// setsid, is beyond its reach.)
type Command struct {
	Cmd    string
	Logger *slog.Logger // nil: discard
}

// Name implements Sink.
func (c Command) Name() string { return "command" }

// Send implements Sink.
func (c Command) Send(ctx context.Context, ev Event) error {
	body, err := ev.JSON()
	if err != nil {
		return err
	}
	title, message := ev.display()
	cmd := exec.CommandContext(ctx, "sh", "-c", c.Cmd)
	cmd.Stdin = bytes.NewReader(append(body, '\n'))
	cmd.Env = append(os.Environ(),
		"CCWAKE_EVENT="+string(ev.Event),
		"CCWAKE_TITLE="+title,
		"CCWAKE_MESSAGE="+message,
	)
	var out limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = commandWaitDelay
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("notify-cmd %q: %w", c.Cmd, err)
	}
	// exec cancels only until it has seen sh exit; the group may outlive
	// sh and hold its output pipe, so its end is tied to ctx directly.
	stop := context.AfterFunc(ctx, func() { _ = killGroup(cmd.Process.Pid) })
	defer stop()
	err = cmd.Wait()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil // it exited 0; only a background child still held its output
	}
	leftovers := awaitGroup(ctx, cmd.Process.Pid)
	if s := strings.TrimSpace(out.String()); s != "" && c.Logger != nil {
		c.Logger.Info("notify-cmd output", "event", ev.Event, "session", ev.SessionID, "output", s)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return fmt.Errorf("notify-cmd %q: %w (%w); killed its process group", c.Cmd, ctx.Err(), err)
	case err != nil:
		return fmt.Errorf("notify-cmd %q: %w", c.Cmd, err)
	case leftovers:
		return fmt.Errorf("notify-cmd %q: exited, but what it started in the background still ran at the end (%w); killed its process group", c.Cmd, ctx.Err())
	}
	return nil
}

// limitedBuffer keeps the first maxCommandOutput bytes written to it and
// drops the rest, so a chatty command cannot grow memory.
type limitedBuffer struct {
	buf       bytes.Buffer
	truncated bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxCommandOutput - b.buf.Len(); room < len(p) {
		b.buf.Write(p[:max(room, 0)])
		b.truncated = true
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *limitedBuffer) String() string {
	if b.truncated {
		return b.buf.String() + " …(truncated)"
	}
	return b.buf.String()
}
