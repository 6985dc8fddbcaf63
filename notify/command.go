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

// Command runs a shell command per event (--notify-cmd): `sh -c CMD` with
// the event's JSON and a newline on stdin, and CCWAKE_EVENT, CCWAKE_TITLE
// and CCWAKE_MESSAGE in its environment for one-liners. Its output goes to
// the log, never to the terminal.
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
	cmd := exec.CommandContext(ctx, "sh", "-c", c.Cmd)
	cmd.Stdin = bytes.NewReader(append(body, '\n'))
	cmd.Env = append(os.Environ(),
		"CCWAKE_EVENT="+string(ev.Event),
		"CCWAKE_TITLE="+ev.Title,
		"CCWAKE_MESSAGE="+ev.Message,
	)
	var out limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = commandWaitDelay
	err = cmd.Run()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil // it exited 0; only a background child still held its output
	}
	if s := strings.TrimSpace(out.String()); s != "" && c.Logger != nil {
		c.Logger.Info("notify-cmd output", "event", ev.Event, "session", ev.SessionID, "output", s)
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("notify-cmd %q: %w (%w)", c.Cmd, ctx.Err(), err)
		}
		return fmt.Errorf("notify-cmd %q: %w", c.Cmd, err)
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
