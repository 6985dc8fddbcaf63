package tmux

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ccwake/ccwake/resume/mux"
)

// Tmux is a small client for one tmux server. Every call goes through the
// Runner, and every argv is built by a pure function below (tested by table).
//
// Quirks this client relies on (measured on tmux 3.3a unless noted):
//   - Pane ids ("%3") are unique per server and never reused while the server
//     runs, so `-t %3` needs no `=` exact-match prefix (that quirk is for
//     session and window names, where "-t foo" also matches "foobar"). They
//     are NOT unique across servers: "%0" exists on every server.
//   - `display-message -p -t %99 …` for a pane that does not exist prints an
//     empty line and exits 0; we compare the returned #{pane_id} instead of
//     trusting the exit status. capture-pane and send-keys do fail
//     ("can't find pane: %99").
//   - `send-keys -l -- TEXT` sends TEXT literally: without -l, words such as
//     "Enter" or "C-c" inside the text would be key names; without "--" a
//     text starting with "-" would be read as a flag.
//   - Enter goes in a separate send-keys call after a pause: text and Enter
//     in one call reach Claude Code 2.0.x as one paste, and Enter becomes a
//     newline in the prompt (0/6 submitted).
//   - "Enter", not "C-m": from tmux 3.5 with extended-keys on, C-m arrives
//     as Ctrl+M, which is not a submit.
//   - Keys sent to a pane in copy mode (#{pane_in_mode}) or with input off
//     (#{pane_input_off}) are silently lost; a dead pane drops them with exit
//     status 0. Hence the guards before and after typing.
//   - Without a server: "no server running on PATH" or "error connecting to
//     PATH (No such file or directory)", exit status 1; while a server is
//     shutting down: "server exited unexpectedly".
type Tmux struct {
	run    mux.Runner
	socket string // "" means tmux's default server
}

// New returns a client for the server at socket ("" = tmux's default).
func New(r mux.Runner, socket string) *Tmux {
	return &Tmux{run: r, socket: socket}
}

// Socket is the server socket this client talks to ("" = tmux's default).
func (t *Tmux) Socket() string { return t.socket }

// ResolveSocket picks the tmux server: the --tmux-socket flag, else the
// server of the $TMUX we run in (its socket path is the first comma field of
// "<socket>,<server-pid>,<session>"), else "" for tmux's default server.
func ResolveSocket(flag, tmuxEnv string) string {
	if flag != "" {
		return flag
	}
	if tmuxEnv != "" {
		sock, _, _ := strings.Cut(tmuxEnv, ",")
		return sock
	}
	return ""
}

// A mux.Pane is what list-panes / display-message tell about one pane
// (#{pane_id}, #{pane_pid}, #{pane_current_command}, #{pane_dead},
// #{pane_in_mode}, #{pane_mode}, #{pane_input_off}, #{pane_tty},
// #{session_name}, #{window_id}).
var _ mux.Backend = (*Tmux)(nil)

// Name implements mux.Backend.
func (t *Tmux) Name() string { return "tmux" }

// Where implements mux.Backend.
func (t *Tmux) Where() string { return t.where() }

// paneFields is the order of the fields in paneFormat; parsePaneLine reads
// them back. Tab-separated: tmux 3.3a prints a tab in -F output as is.
var paneFields = []string{
	"pane_id", "pane_pid", "pane_current_command", "pane_dead", "pane_in_mode",
	"pane_mode", "pane_input_off", "pane_tty", "session_name", "window_id",
}

func paneFormat() string {
	f := make([]string, len(paneFields))
	for i, name := range paneFields {
		f[i] = "#{" + name + "}"
	}
	return strings.Join(f, "\t")
}

// parsePaneLine parses one line printed with paneFormat.
func parsePaneLine(line string) (mux.Pane, error) {
	f := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
	if len(f) != len(paneFields) {
		return mux.Pane{}, fmt.Errorf("pane line %q: %d fields, want %d", line, len(f), len(paneFields))
	}
	if !strings.HasPrefix(f[0], "%") {
		return mux.Pane{}, fmt.Errorf("pane line %q: bad pane id", line)
	}
	pid, err := strconv.Atoi(f[1])
	if err != nil {
		return mux.Pane{}, fmt.Errorf("pane line %q: bad pid: %w", line, err)
	}
	return mux.Pane{
		ID: f[0], PID: pid, Command: f[2],
		Dead: f[3] == "1", InMode: f[4] == "1", Mode: f[5], InputOff: f[6] == "1",
		TTY: f[7], Session: f[8], Window: f[9],
	}, nil
}

// argv prefixes args with the tmux binary and the socket selection.
func (t *Tmux) argv(args ...string) []string {
	return tmuxArgv(t.socket, args...)
}

// tmuxArgv is the pure argv builder: "tmux [-S socket] args…".
func tmuxArgv(socket string, args ...string) []string {
	a := []string{"tmux"}
	if socket != "" {
		a = append(a, "-S", socket)
	}
	return append(a, args...)
}

func listPanesArgs() []string { return []string{"list-panes", "-a", "-F", paneFormat()} }

func paneInfoArgs(pane string) []string {
	return []string{"display-message", "-p", "-t", pane, paneFormat()}
}

func captureArgs(pane string) []string { return []string{"capture-pane", "-p", "-t", pane} }

// styledCaptureArgs keeps colours and attributes (-e): only they tell a dim
// placeholder from typed text.
func styledCaptureArgs(pane string) []string { return []string{"capture-pane", "-p", "-e", "-t", pane} }

func sendLiteralArgs(pane, text string) []string {
	return []string{"send-keys", "-t", pane, "-l", "--", text}
}

func sendKeyArgs(pane, key string) []string { return []string{"send-keys", "-t", pane, key} }

// call runs one tmux command and maps the well-known failures to
// mux.ErrNoServer / mux.ErrNoPane, keeping tmux's own words.
func (t *Tmux) call(ctx context.Context, args ...string) ([]byte, error) {
	out, err := t.run.Run(ctx, t.argv(args...)...)
	if err != nil {
		msg := err.Error()
		switch {
		case strings.Contains(msg, "no server running"), strings.Contains(msg, "error connecting to"),
			strings.Contains(msg, "server exited unexpectedly"), strings.Contains(msg, "lost server"):
			return out, fmt.Errorf("tmux %w (%s)", mux.ErrNoServer, t.where()) // tmux's own words add only the socket path
		case strings.Contains(msg, "can't find pane"):
			return out, fmt.Errorf("%w: %v", mux.ErrNoPane, err)
		}
		return out, err
	}
	return out, nil
}

func (t *Tmux) where() string {
	if t.socket == "" {
		return "default socket"
	}
	return "socket " + t.socket
}

// ListPanes lists every pane of every session on the server.
func (t *Tmux) ListPanes(ctx context.Context) ([]mux.Pane, error) {
	out, err := t.call(ctx, listPanesArgs()...)
	if err != nil {
		return nil, fmt.Errorf("list panes: %w", err)
	}
	var panes []mux.Pane
	for _, line := range strings.Split(string(out), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		p, err := parsePaneLine(line)
		if err != nil {
			return nil, fmt.Errorf("list panes: %w", err)
		}
		panes = append(panes, p)
	}
	return panes, nil
}

// PaneInfo reads one pane's state. A pane that does not exist is mux.ErrNoPane.
func (t *Tmux) PaneInfo(ctx context.Context, pane string) (mux.Pane, error) {
	out, err := t.call(ctx, paneInfoArgs(pane)...)
	if err != nil {
		return mux.Pane{}, fmt.Errorf("pane %s: %w", pane, err)
	}
	line := strings.TrimRight(string(out), "\n")
	if strings.Trim(line, "\t") == "" {
		return mux.Pane{}, fmt.Errorf("pane %s: %w", pane, mux.ErrNoPane)
	}
	p, err := parsePaneLine(line)
	if err != nil {
		return mux.Pane{}, fmt.Errorf("pane %s: %w", pane, err)
	}
	if p.ID != pane { // display-message falls back to another pane when the target is gone
		return mux.Pane{}, fmt.Errorf("pane %s: %w", pane, mux.ErrNoPane)
	}
	return p, nil
}

// Capture returns the visible text of the pane (no escape sequences).
func (t *Tmux) Capture(ctx context.Context, pane string) (string, error) {
	out, err := t.call(ctx, captureArgs(pane)...)
	if err != nil {
		return "", fmt.Errorf("capture pane %s: %w", pane, err)
	}
	return string(out), nil
}

// CaptureStyled is Capture with SGR escape sequences kept.
func (t *Tmux) CaptureStyled(ctx context.Context, pane string) (string, error) {
	out, err := t.call(ctx, styledCaptureArgs(pane)...)
	if err != nil {
		return "", fmt.Errorf("capture pane %s with styles: %w", pane, err)
	}
	return string(out), nil
}

// SendLiteral types text into the pane as literal keys (send-keys -l --).
func (t *Tmux) SendLiteral(ctx context.Context, pane, text string) error {
	if _, err := t.call(ctx, sendLiteralArgs(pane, text)...); err != nil {
		return fmt.Errorf("type into pane %s: %w", pane, err)
	}
	return nil
}

// SendKey sends one named key ("Enter", "Escape") to the pane.
func (t *Tmux) SendKey(ctx context.Context, pane, key string) error {
	if _, err := t.call(ctx, sendKeyArgs(pane, key)...); err != nil {
		return fmt.Errorf("send %s to pane %s: %w", key, pane, err)
	}
	return nil
}

// Select makes pane the active pane of its window, that window the active
// one of its session, and switches the server's client there. A server
// without any client (nothing is attached) keeps the selection for the
// next attach.
// ErrNoClient: the pane was selected, but no client is attached to the
// server to show it.
var ErrNoClient = errors.New("no tmux client is attached")

func (t *Tmux) Select(ctx context.Context, pane string) error {
	for _, args := range [][]string{
		{"select-window", "-t", pane},
		{"select-pane", "-t", pane},
		{"switch-client", "-t", pane},
	} {
		out, err := t.call(ctx, args...)
		if err != nil && args[0] == "switch-client" && strings.Contains(err.Error()+string(out), "no current client") {
			// Nothing attached: the selection waits for the next attach.
			return ErrNoClient
		}
		if err != nil {
			return fmt.Errorf("jump to pane %s: %s: %w", pane, args[0], err)
		}
	}
	return nil
}
