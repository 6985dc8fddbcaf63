// Package screen is the GNU screen backend of ccwake (resume/mux).
//
// Measured on screen 4.09.00:
//   - A pane is a window of a session; its id is "<session>/<window>",
//     session being "pid.name" as `screen -ls` prints it, e.g.
//     "1234.pts-0.host/2". `-S <session> -p <n>` selects it.
//   - screen tells no window's pid. Each window's first process is a child
//     of the session's server process and has STY=<session> and
//     WINDOW=<n> in its environment: that is how windows are mapped to
//     processes (Procs).
//   - `-X` commands are sent and not waited for; `-Q` queries are answered.
//     A `-Q` after a `-X` from the same user is answered after it.
//   - Copy mode is not shown by any query (`-Q info`, %P in `-Q windows`
//     need a display). It is probed: `scrollback N+1` is refused in copy
//     mode ("Cannot resize scrollback buffer in copy/scrollback mode"), so
//     the +N in `-Q info` stays; otherwise it is set back to N. Copy mode
//     outlives a detach, so the probe runs for detached sessions too.
//   - In copy mode `stuff` and `paste` reach the copy-mode layer: the text
//     is eaten as commands. Hence the probe before typing and the re-read
//     before Enter in package resume.
//   - `hardcopy FILE` writes the visible window (no styles) to FILE, one
//     byte per cell: only the low byte of each character (see Recover).
//   - `stuff` with a "\r" is Enter, "\x1b" Escape.
//   - `-Q info` starts with the window's cursor, 1-based: "(col,row)/…";
//     its row counts the hardcopy's lines (row 1 = the first line).
package screen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
)

// Procs is what the backend reads from the process table.
type Procs interface {
	// Children returns the pids whose parent is pid.
	Children(ctx context.Context, pid int) ([]int, error)
	// Environ returns the process's environment ("KEY=value").
	Environ(ctx context.Context, pid int) ([]string, error)
	// TTY returns the terminal on the process's stdin ("" when none).
	TTY(ctx context.Context, pid int) (string, error)
}

// Screen talks to every screen session in one socket directory.
type Screen struct {
	run   mux.Runner
	procs Procs
	dir   string // SCREENDIR; "" = screen's default
	tmp   string // where hardcopies go; "" = os.TempDir()
}

var (
	_ mux.Backend      = (*Screen)(nil)
	_ mux.CursorReader = (*Screen)(nil)
)

// New returns the backend. dir is $SCREENDIR ("" = screen's default).
func New(r mux.Runner, p Procs, dir string) *Screen {
	return &Screen{run: r, procs: p, dir: dir}
}

// Name implements mux.Backend.
func (s *Screen) Name() string { return "screen" }

// Where implements mux.Backend.
func (s *Screen) Where() string {
	if s.dir == "" {
		return "default SCREENDIR"
	}
	return "SCREENDIR " + s.dir
}

// argv builds "env SCREENDIR=dir screen args…": the directory goes by
// environment, as screen has no flag for it.
func argv(dir string, args ...string) []string {
	a := []string{"screen"}
	if dir != "" {
		a = []string{"env", "SCREENDIR=" + dir, "screen"}
	}
	return append(a, args...)
}

// ParseID splits "<session>/<window>".
func ParseID(id string) (session, window string, err error) {
	i := strings.LastIndexByte(id, '/')
	if i <= 0 || i == len(id)-1 {
		return "", "", fmt.Errorf("screen pane id %q: want <session>/<window>", id)
	}
	session, window = id[:i], id[i+1:]
	if _, err := strconv.Atoi(window); err != nil {
		return "", "", fmt.Errorf("screen pane id %q: window %q is not a number", id, window)
	}
	if _, _, ok := sessionPID(session); !ok {
		return "", "", fmt.Errorf("screen pane id %q: session %q is not pid.name", id, session)
	}
	return session, window, nil
}

func sessionPID(session string) (int, string, bool) {
	p, name, ok := strings.Cut(session, ".")
	pid, err := strconv.Atoi(p)
	return pid, name, ok && err == nil && pid > 0 && name != ""
}

// lsLine matches one session of `screen -ls`: "\t1234.name\t(date)\t(Detached)".
var lsLine = regexp.MustCompile(`^\t(\d+\.\S+)\t`)

// ParseList returns the sessions `screen -ls` printed.
func ParseList(out string) []string {
	var ss []string
	for _, line := range strings.Split(out, "\n") {
		if m := lsLine.FindStringSubmatch(line); m != nil {
			ss = append(ss, m[1])
		}
	}
	return ss
}

// sessions runs `screen -ls`. It exits non-zero even when it lists
// sessions (1 with sessions on Linux), so the output decides.
func (s *Screen) sessions(ctx context.Context) ([]string, error) {
	out, err := s.run.Run(ctx, argv(s.dir, "-ls")...)
	ss := ParseList(string(out))
	if len(ss) > 0 {
		return ss, nil
	}
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("screen -ls: %w", err)
	}
	if err != nil && !strings.Contains(err.Error()+string(out), "No Sockets found") {
		if errors.Is(err, os.ErrNotExist) || strings.Contains(err.Error(), "executable file not found") {
			return nil, fmt.Errorf("%w (%s): %v", mux.ErrNoServer, s.Where(), err)
		}
		if !strings.Contains(err.Error(), "exit status 1") {
			return nil, fmt.Errorf("screen -ls: %w", err)
		}
	}
	return nil, fmt.Errorf("%w (no screen session, %s)", mux.ErrNoServer, s.Where())
}

// ListPanes implements mux.Backend: every window of every session.
func (s *Screen) ListPanes(ctx context.Context) ([]mux.Pane, error) {
	ss, err := s.sessions(ctx)
	if err != nil {
		return nil, fmt.Errorf("list screen windows: %w", err)
	}
	var panes []mux.Pane
	for _, sess := range ss {
		ps, err := s.windows(ctx, sess)
		if err != nil {
			return nil, fmt.Errorf("list screen windows: %w", err)
		}
		panes = append(panes, ps...)
	}
	return panes, nil
}

// windows maps the children of session's server process to windows by
// their STY and WINDOW variables.
func (s *Screen) windows(ctx context.Context, sess string) ([]mux.Pane, error) {
	server, _, _ := sessionPID(sess)
	kids, err := s.procs.Children(ctx, server)
	if err != nil {
		return nil, fmt.Errorf("session %s: %w", sess, err)
	}
	var out []mux.Pane
	for _, pid := range kids {
		env, err := s.procs.Environ(ctx, pid)
		if err != nil {
			continue // exited meanwhile, or not ours to read
		}
		if envValue(env, "STY") != sess {
			continue
		}
		win := envValue(env, "WINDOW")
		if _, err := strconv.Atoi(win); err != nil {
			continue
		}
		tty, _ := s.procs.TTY(ctx, pid)
		out = append(out, mux.Pane{ID: sess + "/" + win, PID: pid, TTY: tty, Session: sess, Window: win})
	}
	return out, nil
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// call runs one command for window win of sess, mapping screen's words
// for a missing session or window to mux.ErrNoPane.
func (s *Screen) call(ctx context.Context, sess, win string, args ...string) ([]byte, error) {
	a := append([]string{"-S", sess, "-p", win}, args...)
	out, err := s.run.Run(ctx, argv(s.dir, a...)...)
	text := string(out)
	if err != nil {
		text += err.Error()
	}
	switch {
	case strings.Contains(text, "No screen session found"), strings.Contains(text, "Could not find pre-select window"):
		return out, fmt.Errorf("%w: %s/%s: %s", mux.ErrNoPane, sess, win, strings.TrimSpace(string(out)))
	case err != nil:
		return out, err
	}
	return out, nil
}

// infoLine: "(11,7)/(100,30)+1024 +(+)flow UTF-8 1(w1)": the cursor's
// column and row (1-based), the window's size, the scrollback size.
// infoLine is the answer of `-Q info`. screen may print notices before it
// on the same output, e.g. "Remove dead screens with 'screen -wipe'." when
// the socket directory holds a dead session (seen in the e2e run), so the
// answer is the last line of that shape, not the whole output.
var infoLine = regexp.MustCompile(`(?m)^\((\d+),(\d+)\)/\(\d+,\d+\)\+(\d+) `)

// lastInfo is the submatches of the last info line in out (nil: none).
func lastInfo(out string) []string {
	all := infoLine.FindAllStringSubmatch(out, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// ParseInfo returns the scrollback size of a `-Q info` answer.
func ParseInfo(out string) (int, error) {
	m := lastInfo(out)
	if m == nil {
		return 0, fmt.Errorf("screen info %q: not understood", strings.TrimSpace(out))
	}
	return strconv.Atoi(m[3])
}

// ParseCursor returns the cursor's column and row, 0-based, of a `-Q info`
// answer. screen prints them 1-based: measured with a program that left
// the cursor after a 17-character line on row 10 of the hardcopy, info
// said (18,10).
func ParseCursor(out string) (col, row int, err error) {
	m := lastInfo(out)
	if m == nil {
		return 0, 0, fmt.Errorf("screen info %q: not understood", strings.TrimSpace(out))
	}
	x, errX := strconv.Atoi(m[1])
	y, errY := strconv.Atoi(m[2])
	if errX != nil || errY != nil || x < 1 || y < 1 {
		return 0, 0, fmt.Errorf("screen info %q: no cursor position", strings.TrimSpace(out))
	}
	return x - 1, y - 1, nil
}

func (s *Screen) scrollback(ctx context.Context, sess, win string) (int, error) {
	out, err := s.call(ctx, sess, win, "-Q", "info")
	if err != nil {
		return 0, err
	}
	return ParseInfo(string(out))
}

// PaneInfo implements mux.Backend: the window's first process and whether
// it is in copy mode (probed, see the package doc).
func (s *Screen) PaneInfo(ctx context.Context, id string) (mux.Pane, error) {
	sess, win, err := ParseID(id)
	if err != nil {
		return mux.Pane{}, err
	}
	n, err := s.scrollback(ctx, sess, win)
	if err != nil {
		return mux.Pane{}, fmt.Errorf("screen window %s: %w", id, err)
	}
	ps, err := s.windows(ctx, sess)
	if err != nil {
		return mux.Pane{}, fmt.Errorf("screen window %s: %w", id, err)
	}
	var p mux.Pane
	for _, c := range ps {
		if c.ID == id {
			p = c
		}
	}
	if p.ID == "" {
		return mux.Pane{}, fmt.Errorf("screen window %s: %w (no process of it)", id, mux.ErrNoPane)
	}
	in, err := s.copyMode(ctx, sess, win, n)
	if err != nil {
		return mux.Pane{}, fmt.Errorf("screen window %s: copy mode: %w", id, err)
	}
	if in {
		p.InMode, p.Mode = true, "copy-mode"
	}
	return p, nil
}

// copyMode probes: scrollback n+1 is refused in copy mode only.
func (s *Screen) copyMode(ctx context.Context, sess, win string, n int) (bool, error) {
	if _, err := s.call(ctx, sess, win, "-X", "scrollback", strconv.Itoa(n+1)); err != nil {
		return false, err
	}
	got, err := s.scrollback(ctx, sess, win)
	if err != nil {
		return false, err
	}
	if got == n {
		return true, nil
	}
	if _, err := s.call(ctx, sess, win, "-X", "scrollback", strconv.Itoa(n)); err != nil {
		return false, err
	}
	return false, nil
}

// Capture implements mux.Backend with hardcopy into a private directory.
func (s *Screen) Capture(ctx context.Context, id string) (string, error) {
	sess, win, err := ParseID(id)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(s.tmp, "ccwake-hardcopy-")
	if err != nil {
		return "", fmt.Errorf("capture screen window %s: %w", id, err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "screen")
	if _, err := s.call(ctx, sess, win, "-X", "hardcopy", file); err != nil {
		return "", fmt.Errorf("capture screen window %s: %w", id, err)
	}
	// The -Q is answered after the -X is done (see the package doc); the
	// file is still polled for, in case the server is slow to write it.
	if _, err := s.call(ctx, sess, win, "-Q", "number"); err != nil {
		return "", fmt.Errorf("capture screen window %s: %w", id, err)
	}
	for {
		data, err := os.ReadFile(file)
		if err == nil {
			return Recover(data), nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("capture screen window %s: no hardcopy: %w", id, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Cursor implements mux.CursorReader with `-Q info`: the cursor of the
// window itself, as drawn by its program, whether or not a display shows it.
func (s *Screen) Cursor(ctx context.Context, id string) (col, row int, err error) {
	sess, win, err := ParseID(id)
	if err != nil {
		return 0, 0, err
	}
	out, err := s.call(ctx, sess, win, "-Q", "info")
	if err != nil {
		return 0, 0, fmt.Errorf("cursor of screen window %s: %w", id, err)
	}
	col, row, err = ParseCursor(string(out))
	if err != nil {
		return 0, 0, fmt.Errorf("cursor of screen window %s: %w", id, err)
	}
	return col, row, nil
}

// CaptureStyled implements mux.Backend: screen's hardcopy has no styles.
// hardcopy writes characters only (measured on 4.09); `log` records, by
// screen's manual, the program's output from when it is turned on, not the
// screen as it is; no -Q query returns attributes. Cursor stands in (see
// mux.CursorReader).
func (s *Screen) CaptureStyled(context.Context, string) (string, error) {
	return "", mux.ErrNoStyles
}

// SendLiteral implements mux.Backend with `stuff`. screen expands $VAR
// (measured: `-X stuff 'echo $HOME'` types the home directory) and reads
// "^X" and backslash escapes in stuff's argument; text with $, ^ or \ is
// refused rather than typed as something else.
func (s *Screen) SendLiteral(ctx context.Context, id, text string) error {
	if strings.ContainsAny(text, "$^\\") {
		return fmt.Errorf("type into screen window %s: %q holds $, ^ or \\, which screen's stuff would expand", id, text)
	}
	return s.stuff(ctx, id, text)
}

// SendKey implements mux.Backend.
func (s *Screen) SendKey(ctx context.Context, id, key string) error {
	switch key {
	case mux.KeyEnter:
		return s.stuff(ctx, id, "\r")
	case mux.KeyEscape:
		return s.stuff(ctx, id, "\x1b")
	}
	return fmt.Errorf("screen window %s: unknown key %q", id, key)
}

func (s *Screen) stuff(ctx context.Context, id, text string) error {
	sess, win, err := ParseID(id)
	if err != nil {
		return err
	}
	if _, err := s.call(ctx, sess, win, "-X", "stuff", text); err != nil {
		return fmt.Errorf("type into screen window %s: %w", id, err)
	}
	return nil
}
