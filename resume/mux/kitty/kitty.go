// Package kitty is the kitty terminal backend of ccwake (resume/mux),
// through kitty's remote control, which the user turns on with
// `allow_remote_control yes` and `listen_on unix:…`; kitty puts the socket
// in $KITTY_LISTEN_ON of every window.
//
// It speaks the remote-control protocol on the socket itself rather than
// running `kitty @`: that is a Python program that took 1.1 s per call
// here (idle), too slow for the guards and the two-step send inside one
// attempt, and it would start a process per call. The protocol (kitty
// 0.26.5, kitty/remote_control.py): the client writes
// ESC P @kitty-cmd {"cmd": …, "version": [0,14,2], "payload": {…}} ESC \,
// kitty answers ESC P @kitty-cmd {"ok": …, "data" | "error": …} ESC \,
// except for commands that never answer (send-text).
//
// Measured on kitty 0.26.5 (under Xvfb):
//   - A pane is a kitty window; its id is kitty's window id ("3"), unique
//     per kitty instance. `ls` gives every OS window, tab and window with
//     the window's first process ("pid").
//   - `get-text` (match "id:N") gives the visible screen; with ansi, its
//     colours and attributes too.
//   - `send-text` writes to the window's program directly, also while the
//     scrollback pager covers it: kitty has no mode that swallows keys as
//     tmux's copy mode does. Its data "text:…" is sent as is.
//   - A window that does not exist: "No matching windows for expression".
package kitty

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ccwake/ccwake/resume/mux"
)

// Kitty talks to one kitty instance.
type Kitty struct {
	to string // "unix:/path"; "" = none known
}

var _ mux.Backend = (*Kitty)(nil)

// New returns the backend for the instance listening on to ("unix:/path",
// as $KITTY_LISTEN_ON says; a bare path gets "unix:").
func New(to string) *Kitty {
	if to != "" && !strings.Contains(to, ":") {
		to = "unix:" + to
	}
	return &Kitty{to: to}
}

// Name implements mux.Backend.
func (k *Kitty) Name() string { return "kitty" }

// Where implements mux.Backend.
func (k *Kitty) Where() string {
	if k.to == "" {
		return "no $KITTY_LISTEN_ON"
	}
	return k.to
}

// rcVersion is the protocol version ccwake claims: kitty refuses clients
// newer than itself, and every command used here is older than this.
var rcVersion = []int{0, 14, 2}

const (
	dcsStart = "\x1bP@kitty-cmd"
	dcsEnd   = "\x1b\\"
)

// Encode frames one command (JSON kept ASCII, as kitty's own client does).
func Encode(cmd string, payload any, noResponse bool) ([]byte, error) {
	b, err := json.Marshal(map[string]any{"cmd": cmd, "version": rcVersion, "no_response": noResponse, "payload": payload})
	if err != nil {
		return nil, err
	}
	return append(append([]byte(dcsStart), asciiJSON(b)...), dcsEnd...), nil
}

// asciiJSON escapes every non-ASCII rune of valid JSON as \uXXXX.
func asciiJSON(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r < utf8.RuneSelf:
			out.WriteByte(b[0])
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&out, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&out, `\u%04x`, r)
		}
		b = b[n:]
	}
	return out.Bytes()
}

// response is kitty's answer.
type response struct {
	OK    bool            `json:"ok"`
	Data  json.RawMessage `json:"data"`
	Error string          `json:"error"`
}

// Decode reads one framed answer.
func Decode(frame []byte) (response, error) {
	body, ok := bytes.CutPrefix(frame, []byte(dcsStart))
	if !ok {
		return response{}, fmt.Errorf("kitty answer %q: no @kitty-cmd frame", shorten(frame))
	}
	body, ok = bytes.CutSuffix(body, []byte(dcsEnd))
	if !ok {
		return response{}, fmt.Errorf("kitty answer %q: unterminated", shorten(frame))
	}
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		return response{}, fmt.Errorf("kitty answer: %w", err)
	}
	return r, nil
}

func shorten(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// call sends one command and, unless noResponse, returns its data.
func (k *Kitty) call(ctx context.Context, cmd string, payload any, noResponse bool) (json.RawMessage, error) {
	if k.to == "" {
		return nil, fmt.Errorf("kitty %w: no $KITTY_LISTEN_ON (kitty's remote control socket)", mux.ErrNoServer)
	}
	network, addr, _ := strings.Cut(k.to, ":")
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, fmt.Errorf("kitty %w (%s): %v", mux.ErrNoServer, k.to, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	frame, err := Encode(cmd, payload, noResponse)
	if err != nil {
		return nil, fmt.Errorf("kitty %s: %w", cmd, err)
	}
	if _, err := conn.Write(frame); err != nil {
		return nil, fmt.Errorf("kitty %s: %w", cmd, err)
	}
	if noResponse {
		return nil, nil
	}
	var buf []byte
	chunk := make([]byte, 64<<10)
	for !bytes.HasSuffix(buf, []byte(dcsEnd)) {
		n, err := conn.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("kitty %s: %w", cmd, err)
		}
		if len(buf) > 64<<20 {
			return nil, fmt.Errorf("kitty %s: answer over 64 MiB", cmd)
		}
	}
	r, err := Decode(buf)
	if err != nil {
		return nil, fmt.Errorf("kitty %s: %w", cmd, err)
	}
	if !r.OK {
		if strings.Contains(r.Error, "No matching windows") {
			return nil, fmt.Errorf("%w: %s", mux.ErrNoPane, r.Error)
		}
		return nil, fmt.Errorf("kitty %s: %s", cmd, firstLine(r.Error))
	}
	return r.Data, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// lsWindow is what ccwake reads of one window in `kitty @ ls`.
type lsWindow struct {
	ID  int `json:"id"`
	PID int `json:"pid"`
}

type lsTab struct {
	ID      int        `json:"id"`
	Windows []lsWindow `json:"windows"`
}

type lsOSWindow struct {
	ID   int     `json:"id"`
	Tabs []lsTab `json:"tabs"`
}

// ParseLS reads the JSON of `ls` into panes.
func ParseLS(out []byte) ([]mux.Pane, error) {
	var osw []lsOSWindow
	if err := json.Unmarshal(out, &osw); err != nil {
		return nil, fmt.Errorf("kitty ls: %w", err)
	}
	var panes []mux.Pane
	for _, o := range osw {
		for _, t := range o.Tabs {
			for _, w := range t.Windows {
				panes = append(panes, mux.Pane{ID: strconv.Itoa(w.ID), PID: w.PID,
					Session: strconv.Itoa(o.ID), Window: strconv.Itoa(t.ID)})
			}
		}
	}
	return panes, nil
}

// ListPanes implements mux.Backend.
func (k *Kitty) ListPanes(ctx context.Context) ([]mux.Pane, error) {
	data, err := k.call(ctx, "ls", map[string]any{"all_env_vars": false}, false)
	if err != nil {
		return nil, fmt.Errorf("list kitty windows: %w", err)
	}
	var text string // ls answers its JSON as a string
	if err := json.Unmarshal(data, &text); err != nil {
		return nil, fmt.Errorf("list kitty windows: %w", err)
	}
	return ParseLS([]byte(text))
}

// PaneInfo implements mux.Backend. kitty has no mode that loses keys and
// no input-off switch: only whether the window exists is read.
func (k *Kitty) PaneInfo(ctx context.Context, id string) (mux.Pane, error) {
	if _, err := strconv.Atoi(id); err != nil {
		return mux.Pane{}, fmt.Errorf("kitty window id %q is not a number", id)
	}
	panes, err := k.ListPanes(ctx)
	if err != nil {
		return mux.Pane{}, err
	}
	for _, p := range panes {
		if p.ID == id {
			return p, nil
		}
	}
	return mux.Pane{}, fmt.Errorf("kitty window %s: %w", id, mux.ErrNoPane)
}

func (k *Kitty) text(ctx context.Context, id string, ansi bool) (string, error) {
	data, err := k.call(ctx, "get-text", map[string]any{"match": "id:" + id, "extent": "screen", "ansi": ansi,
		"cursor": false, "wrap_markers": false, "clear_selection": false, "self": false}, false)
	if err != nil {
		return "", fmt.Errorf("capture kitty window %s: %w", id, err)
	}
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return "", fmt.Errorf("capture kitty window %s: %w", id, err)
	}
	return text, nil
}

// Capture implements mux.Backend.
func (k *Kitty) Capture(ctx context.Context, id string) (string, error) {
	return k.text(ctx, id, false)
}

// CaptureStyled implements mux.Backend.
func (k *Kitty) CaptureStyled(ctx context.Context, id string) (string, error) {
	return k.text(ctx, id, true)
}

// SendLiteral implements mux.Backend.
func (k *Kitty) SendLiteral(ctx context.Context, id, text string) error { return k.send(ctx, id, text) }

// SendKey implements mux.Backend.
func (k *Kitty) SendKey(ctx context.Context, id, key string) error {
	switch key {
	case mux.KeyEnter:
		return k.send(ctx, id, "\r")
	case mux.KeyEscape:
		return k.send(ctx, id, "\x1b")
	}
	return fmt.Errorf("kitty window %s: unknown key %q", id, key)
}

// send writes text to window id. kitty never answers send-text, so a
// window that is gone would be silent: it is looked up first.
func (k *Kitty) send(ctx context.Context, id, text string) error {
	if _, err := k.PaneInfo(ctx, id); err != nil {
		return fmt.Errorf("type into kitty window %s: %w", id, err)
	}
	if _, err := k.call(ctx, "send-text", map[string]any{"match": "id:" + id, "data": "text:" + text,
		"match_tab": nil, "all": false, "exclude_active": false}, true); err != nil {
		return fmt.Errorf("type into kitty window %s: %w", id, err)
	}
	return nil
}
