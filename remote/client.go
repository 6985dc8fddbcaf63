package remote

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ccwake/ccwake/resume"
)

// State is where a host's connection stands.
type State string

const (
	Connecting State = "connecting" // ssh started, no hello yet
	Up         State = "up"         // hello received: updates flow, commands go
	Lost       State = "lost"       // ssh failed or the connection dropped: reconnecting with backoff
	Missing    State = "missing"    // the remote has no ccwake (exit 127, command not found)
	TooOld     State = "too old"    // the remote ccwake speaks another protocol or has no serve command
	Garbage    State = "garbage"    // the remote printed something that is not ccwake's protocol
)

// Config says how to reach one host.
type Config struct {
	// Host is what ssh connects to: an alias of the user's ssh config or
	// user@box. It also names the host in the dashboard.
	Host string
	// SSH is the ssh command and its options, like ["ssh"] (the default)
	// or ["ssh", "-F", "cfg", "-p", "2222"]; "-T", Host and Remote follow.
	SSH []string
	// Remote is the command line the host runs; default "ccwake serve --stdio".
	Remote string
	// Handshake bounds the wait for the hello line; default 20 s.
	Handshake time.Duration
	// Backoff between attempts: full jitter over Base·2^n, capped; default 1 s to 1 min.
	Backoff resume.Backoff
	Rand    *rand.Rand // jitter; default seeded at random
	// Dial, when set, replaces ssh: it opens a connection that speaks the
	// protocol (the local socket of the ccwake that holds the lock).
	Dial   func(ctx context.Context) (io.ReadWriteCloser, error)
	Now    func() time.Time
	Logger *slog.Logger
}

// Status is one host's connection as the dashboard shows it.
type Status struct {
	Host    string
	State   State
	Detail  string    // why (the last ssh error line, the protocol mismatch, …)
	RetryAt time.Time // the next attempt, when State is not Up or Connecting
	Version string    // the remote ccwake's version, once it said hello
}

// CheckHost refuses a host name ssh would read as an option.
func CheckHost(h string) error {
	switch {
	case h == "":
		return errors.New("empty host name")
	case strings.HasPrefix(h, "-"):
		return fmt.Errorf("host %q: a host name must not start with '-'", h)
	case strings.ContainsAny(h, " \t\r\n"):
		return fmt.Errorf("host %q: a host name has no spaces", h)
	}
	return nil
}

// Client keeps one host's `ccwake serve --stdio` running over ssh and holds
// what it last said. Safe for use from any goroutine.
type Client struct {
	cfg     Config
	changes chan struct{}

	mu     sync.Mutex
	st     Status
	upd    *Update
	hello  *Hello
	events []resume.Action // connection changes and the remote's answers
	send   chan []byte     // the live connection's command queue; nil when not up
}

// New returns a client for cfg; Run connects it.
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	return &Client{cfg: cfg, changes: make(chan struct{}, 1), st: Status{Host: cfg.Host, State: Connecting}}
}

// withDefaults fills in what cfg leaves unset.
func (cfg Config) withDefaults() Config {
	if len(cfg.SSH) == 0 {
		cfg.SSH = []string{"ssh"}
	}
	if cfg.Remote == "" {
		cfg.Remote = "ccwake serve --stdio"
	}
	if cfg.Handshake <= 0 {
		cfg.Handshake = 20 * time.Second
	}
	if cfg.Backoff.Base <= 0 {
		cfg.Backoff.Base = time.Second
	}
	if cfg.Backoff.Cap < cfg.Backoff.Base {
		cfg.Backoff.Cap = max(time.Minute, cfg.Backoff.Base)
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// Host is the host's name as configured.
func (c *Client) Host() string { return c.cfg.Host }

// Status is the connection's state now.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

// Update is what the host last reported; ok is false before the first.
func (c *Client) Update() (Update, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.upd == nil {
		return Update{}, false
	}
	return *c.upd, true
}

// Hello is the server's hello of the current (or last) connection; ok is
// false before the first.
func (c *Client) Hello() (Hello, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hello == nil {
		return Hello{}, false
	}
	return *c.hello, true
}

// Events are the connection's own log lines, oldest first.
func (c *Client) Events() []resume.Action {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.events)
}

// Changes signals (capacity 1, coalesced) that Status, Update or Events
// changed. Closed when Run returns.
func (c *Client) Changes() <-chan struct{} { return c.changes }

// Send queues one command for the host. It never waits for the network: it
// fails at once when the host is not up or its queue is full, and nothing
// is kept to be sent after a reconnect (the user asks again, seeing the
// state then).
func (c *Client) Send(cmd Command) error {
	if !slices.Contains(Commands, cmd.Cmd) {
		return fmt.Errorf("unknown command %q", cmd.Cmd)
	}
	b, err := json.Marshal(cmd)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.send == nil {
		return fmt.Errorf("%s is not connected (%s): %s not sent", c.cfg.Host, c.st.State, cmd.Cmd)
	}
	select {
	case c.send <- append(b, '\n'):
		return nil
	default:
		return fmt.Errorf("%s: too many commands in flight: %s not sent", c.cfg.Host, cmd.Cmd)
	}
}

func (c *Client) signal() {
	select {
	case c.changes <- struct{}{}:
	default:
	}
}

// setState changes the state and logs the change once.
func (c *Client) setState(st State, detail string, retryAt time.Time) {
	c.mu.Lock()
	changed := c.st.State != st || c.st.Detail != detail
	c.st.State, c.st.Detail, c.st.RetryAt = st, detail, retryAt
	if changed {
		c.eventLocked("host_"+strings.ReplaceAll(string(st), " ", "_"), detail)
	}
	c.mu.Unlock()
	if changed {
		c.cfg.Logger.Info("remote host", "host", c.cfg.Host, "state", string(st), "detail", detail)
	}
	c.signal()
}

func (c *Client) event(what, reason string) {
	c.mu.Lock()
	c.eventLocked(what, reason)
	c.mu.Unlock()
	c.signal()
}

func (c *Client) eventLocked(what, reason string) {
	c.events = append(c.events, resume.Action{Time: c.cfg.Now(), What: what, Reason: c.cfg.Host + ": " + reason})
	if len(c.events) > 50 {
		c.events = slices.Clone(c.events[len(c.events)-25:])
	}
}

// Run connects and reconnects until ctx ends: after a failure it waits a
// jittered, doubling backoff; a connection that got as far as the hello
// starts the backoff over.
func (c *Client) Run(ctx context.Context) {
	defer close(c.changes)
	attempt := 0
	for ctx.Err() == nil {
		c.setState(Connecting, "", time.Time{})
		st, detail, wasUp := c.connect(ctx)
		if ctx.Err() != nil {
			return
		}
		if wasUp {
			attempt = 0
		}
		wait := c.backoff(attempt)
		attempt++
		c.setState(st, detail, c.cfg.Now().Add(wait))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// backoff is full jitter over Base·2^attempt, capped, but at least Base/2
// so a dead host is never hammered.
func (c *Client) backoff(attempt int) time.Duration {
	b := c.cfg.Backoff
	d := b.Cap
	if attempt < 30 {
		d = min(b.Base<<attempt, b.Cap)
	}
	return b.Base/2 + time.Duration(c.cfg.Rand.Int64N(int64(d-b.Base/2)+1))
}

// tail keeps the last bytes written to it: the end of ssh's stderr.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = slices.Clone(t.buf[len(t.buf)-2048:])
	}
	return len(p), nil
}

// lastLine is the last non-empty line written.
func (t *tail) lastLine() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// lineWith is the last line that holds sub, trimmed; "" when none does.
func (t *tail) lineWith(sub string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(string(t.buf), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], sub) {
			return strings.TrimSpace(lines[i])
		}
	}
	return ""
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// connect runs one connection to its end and says why it ended.
func (c *Client) connect(ctx context.Context) (State, string, bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l, err := openLink(ctx, c.cfg)
	if err != nil {
		return Lost, err.Error(), false
	}
	st, detail, up := c.session(ctx, l.lines, l.w)
	cancel() // ends ssh (and so the remote's stdin) if it still runs
	st, detail, up = l.end(st, detail, up)
	c.mu.Lock()
	c.send = nil
	c.mu.Unlock()
	return st, detail, up
}

// link is one started connection to a host, by ssh or by cfg.Dial: the
// dashboard's Client and the one-shot Ask both open theirs here, so there
// is one way to run ssh and one reading of why it failed.
type link struct {
	lines <-chan []byte // the remote's lines; closed when its output ends
	w     io.Writer     // to the remote's stdin
	// end closes the connection (ctx must be cancelled first, or the
	// remote must have ended) and says why it ended: st, detail and up as
	// the session read them, or, when st is "" (the output ended), from
	// the exit status and the end of ssh's stderr.
	end func(st State, detail string, up bool) (State, string, bool)
}

// openLink starts ssh (`SSH -T Host Remote`), or cfg.Dial when set, with
// its output read line by line until ctx ends.
func openLink(ctx context.Context, cfg Config) (*link, error) {
	if cfg.Dial != nil {
		return dialLink(ctx, cfg)
	}
	argv := append(slices.Clone(cfg.SSH), "-T", cfg.Host, cfg.Remote)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = 2 * time.Second
	stderr := &tail{}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot run %s: %v", argv[0], err)
	}
	lines := make(chan []byte)
	readErr := make(chan error, 1)
	go func() { readErr <- ReadLines(ctx, stdout, lines) }()
	return &link{lines: lines, w: stdin, end: func(st State, detail string, up bool) (State, string, bool) {
		_ = stdin.Close()
		werr := cmd.Wait()
		<-readErr
		if st != "" {
			return st, detail, up
		}
		return classifyExit(werr, stderr, up)
	}}, nil
}

// dialLink opens one connection of cfg.Dial.
func dialLink(ctx context.Context, cfg Config) (*link, error) {
	conn, err := cfg.Dial(ctx)
	if err != nil {
		return nil, err
	}
	lines := make(chan []byte)
	readErr := make(chan error, 1)
	go func() { readErr <- ReadLines(ctx, conn, lines) }()
	return &link{lines: lines, w: conn, end: func(st State, detail string, up bool) (State, string, bool) {
		_ = conn.Close() // ends the read
		<-readErr
		switch {
		case st != "":
			return st, detail, up
		case up:
			return Lost, "connection lost: the ccwake that served it stopped", true
		}
		return Lost, "the connection closed before the hello", false
	}}, nil
}

// handshake reads the hello, before deadline fires (wait is its length,
// for the message). A nil hello comes with the state that says why; state
// "" means the output ended first (the exit status explains).
func handshake(ctx context.Context, lines <-chan []byte, deadline <-chan time.Time, wait time.Duration) (*Hello, State, string) {
	var first []byte
	select {
	case <-ctx.Done():
		return nil, Lost, "stopped"
	case <-deadline:
		return nil, Lost, fmt.Sprintf("no hello from the remote ccwake within %s", wait)
	case b, ok := <-lines:
		if !ok {
			return nil, "", ""
		}
		first = b
	}
	l, err := ParseLine(first)
	switch {
	case err == nil && l.Error != "":
		return nil, Lost, l.Error // refused before the hello
	case err != nil || l.Hello == nil:
		return nil, Garbage, "not ccwake's protocol: " + quote(first)
	case l.Hello.Proto != Proto:
		return nil, TooOld, fmt.Sprintf("remote ccwake %s speaks protocol %d, this one %d: install the same ccwake on both", l.Hello.Version, l.Hello.Proto, Proto)
	}
	return l.Hello, "", ""
}

// session reads the hello and then the updates. It returns "" as state when
// the output ended, for the exit status to explain.
func (c *Client) session(ctx context.Context, lines <-chan []byte, stdin io.Writer) (State, string, bool) {
	timer := time.NewTimer(c.cfg.Handshake)
	hello, st, detail := handshake(ctx, lines, timer.C, c.cfg.Handshake)
	timer.Stop()
	if hello == nil {
		return st, detail, false
	}
	send := make(chan []byte, 16)
	c.mu.Lock()
	c.send = send
	c.st.Version = hello.Version
	c.hello = hello
	c.mu.Unlock()
	c.setState(Up, "ccwake "+hello.Version, time.Time{})
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case b := <-send:
				if _, err := stdin.Write(b); err != nil {
					return
				}
			}
		}
	}()
	for b := range lines {
		l, err := ParseLine(b)
		switch {
		case err != nil:
			return Garbage, "not ccwake's protocol: " + quote(b), true
		case l.Update != nil:
			c.mu.Lock()
			c.upd = l.Update
			c.mu.Unlock()
			c.signal()
		case l.OK != nil:
			c.event("remote_"+l.OK.Cmd, "sent to session "+l.OK.Session)
		case l.Error != "":
			c.event("remote_error", l.Error)
		}
	}
	return "", "", true
}

// classifyExit explains why ssh ended: no ccwake there, a ccwake without
// serve or too old for the command line it was given, or a connection
// that failed or dropped.
func classifyExit(err error, stderr *tail, wasUp bool) (State, string, bool) {
	last := stderr.lastLine()
	all := stderr.String()
	code := -1
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		code = ee.ExitCode()
	}
	switch {
	case !wasUp && (code == 127 || strings.Contains(all, "command not found") || strings.Contains(all, "No such file or directory")):
		return Missing, "no ccwake on the remote: " + orDefault(last, "exit status 127"), false
	case !wasUp && strings.Contains(all, "unknown command"):
		return TooOld, "the remote ccwake has no serve command: " + stderr.lineWith("unknown command"), false
	case !wasUp && (strings.Contains(all, "unknown flag") || strings.Contains(all, "flag provided but not defined")):
		// A ccwake from before the flag (serve --status): its own words,
		// not the "see --help" line that follows them.
		line := stderr.lineWith("unknown flag")
		if line == "" {
			line = stderr.lineWith("flag provided but not defined")
		}
		return TooOld, "the remote ccwake is too old (" + line + "): install the same ccwake on both", false
	case wasUp:
		return Lost, "connection lost: " + orDefault(last, exitText(code)), true
	}
	return Lost, orDefault(last, exitText(code)), false
}

func exitText(code int) string {
	if code < 0 {
		return "ssh ended"
	}
	return fmt.Sprintf("ssh exited with status %d", code)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// quote shows the start of a line that is not ours.
func quote(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 60 {
		b = append(b[:60:60], "…"...)
	}
	return fmt.Sprintf("%q", b)
}

// ReadLines sends each line of r (without its newline) to out until r ends
// or ctx does, then closes out. A line longer than MaxLine is cut there.
func ReadLines(ctx context.Context, r io.Reader, out chan<- []byte) error {
	defer close(out)
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := readLine(br)
		if len(line) > 0 {
			select {
			case out <- line:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// readLine reads one line, keeping at most MaxLine bytes of it.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(line) < MaxLine {
			line = append(line, frag[:min(len(frag), MaxLine-len(line))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}
