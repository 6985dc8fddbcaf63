// Command fakeclaude behaves like Claude Code 2.1.x in a tmux pane, so
// ccwake's tests can locate, guard and type into something real without the
// real client. Tests build it as <tmp>/claude so its comm is "claude".
//
// It puts its terminal in raw mode (stty raw -echo), draws the 2.1.x layout
// (messages, "────" rule, "❯ <input>", rule, footer "? for shortcuts"),
// leaves the terminal cursor at the input position like 2.1.330 (after the
// typed text; on the first cell of an empty line or of its hint) and
// reads keys: printable text goes to the input line, Backspace deletes,
// Enter submits, Escape dismisses a dialog or interrupts, Ctrl-Z suspends
// (SIGTSTP, like the real client), Ctrl-C clears the input or exits when it is
// empty, Ctrl-D exits. On submit it appends a main-thread user entry (uuid,
// parentUuid, sessionId, cwd, timestamp, promptSource "typed") to the
// transcript, then answers with the next step of -script.
//
// Flags:
//
//	-transcript PATH    JSONL transcript to append to ("" = write none)
//	-session-id ID      session id (default: a random uuid)
//	-cwd DIR            chdir here first (default: stay)
//	-script LIST        answers to successive prompts, comma-separated:
//	                    429 (server throttle, 2.1.330 shape), 529, 5h (usage
//	                    cap), agent5h (an Agent tool call whose subagent hits
//	                    the session cap: a sidechain error entry, then the
//	                    main-thread tool_result "Agent terminated early due to
//	                    an API error: …"; the main thread stays idle), ok
//	                    (normal reply); after the list: ok. Default "ok".
//	-first TEXT         submit TEXT at start, as if typed (e.g. "say hi")
//	-next FILE          when FILE exists at a submit, its content (one step
//	                    of -script's kinds) answers that prompt instead of the
//	                    script, and FILE is removed: a test decides the next
//	                    answer while the fake runs (testkit's Claude.Stall)
//	-sessions-dir DIR   write DIR/<pid>.json like 2.1.145/2.1.330 (removed on exit)
//	-tmux-field F       "tmux" field for that file; "auto" asks tmux for
//	                    "<session>:@<win>.%<pane>" of $TMUX_PANE; "" = none
//	-dialog             show a numbered permission dialog (Enter picks, Esc closes)
//	-busy               show "esc to interrupt" until Escape
//	-usage-dialog       after a 5h answer, open 2.1.145's "What do you want to do?"
//	-auto-wait          after a 5h answer, show 2.1.330's "Continuing automatically at …"
//	-vim-normal         footer "-- NORMAL --" ('i' switches to insert mode)
//	-hint               after a 429 or 529 answer, draw 2.1.330's hint "Resend
//	                    your message to try again" in the empty input line:
//	                    the cursor cell (reverse video) on its first letter,
//	                    the rest dim, until the next prompt is submitted
//	-width N            width of the rules (default 100)
//	-editor CMD         Ctrl-G runs CMD (split on spaces) in the foreground of
//	                    the terminal, in this process's group, with the
//	                    terminal on its stdio, like the real client's "edit
//	                    prompt in $EDITOR"; redraws when it exits
//	--resume ID         like `claude --resume ID`: find ID's transcript under
//	                    the Claude root ($CLAUDE_CONFIG_DIR, else ~/.claude),
//	                    show its messages and go on writing to it; write
//	                    <root>/sessions/<pid>.json (tmux field when in tmux).
//	                    With FAKECLAUDE_RESUME_FORK=1 in the environment it
//	                    writes a NEW file instead, with a new session id,
//	                    starting with copies of the old entries (same uuids),
//	                    as some releases of the real client do.
package main

import (
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
	"unsafe"
)

const throttleText = "API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"

type fake struct {
	transcript, sessionID, cwd, tmuxField, sessionsDir  string
	nextFile                                            string
	editor                                              string
	script                                              []string
	step, width, replies                                int
	lastUUID                                            string
	msgs                                                []string
	input                                               []rune
	dialog, busy, usageDialog, autoWait, vimNormal, vim bool
	wantUsageDialog, wantAutoWait, wantHint             bool
	autoAt, hint                                        string
}

// resendHint is what 2.1.330 draws in the empty input line after a
// transient API error (its "try_again" kind).
const resendHint = "Resend your message to try again"

func main() {
	f := &fake{}
	var script, first, resume string
	flag.StringVar(&f.transcript, "transcript", "", "transcript JSONL to append to")
	flag.StringVar(&f.sessionID, "session-id", uuid(), "session id")
	flag.StringVar(&f.cwd, "cwd", "", "chdir here first")
	flag.StringVar(&script, "script", "ok", "answers: 429,529,5h,401,agent5h,ok")
	flag.StringVar(&first, "first", "", "prompt submitted at start")
	flag.StringVar(&f.nextFile, "next", "", "a file naming the answer to the next prompt (removed when read)")
	flag.StringVar(&f.sessionsDir, "sessions-dir", "", "write <dir>/<pid>.json")
	flag.StringVar(&f.tmuxField, "tmux-field", "", `tmux field for the sessions file ("auto" = ask tmux)`)
	flag.BoolVar(&f.dialog, "dialog", false, "show a numbered dialog")
	flag.BoolVar(&f.busy, "busy", false, "show esc to interrupt")
	flag.BoolVar(&f.wantUsageDialog, "usage-dialog", false, "open the usage dialog after a 5h answer")
	flag.BoolVar(&f.wantAutoWait, "auto-wait", false, "wait automatically after a 5h answer")
	flag.BoolVar(&f.vimNormal, "vim-normal", false, "vim NORMAL mode footer")
	flag.BoolVar(&f.wantHint, "hint", false, "draw 2.1.330's hint in the empty input line after a 429 or 529")
	flag.IntVar(&f.width, "width", 100, "rule width")
	flag.StringVar(&f.editor, "editor", "", "Ctrl-G runs this in the foreground")
	flag.StringVar(&resume, "resume", "", "resume this session id from its transcript")
	flag.Parse()
	f.script = strings.Split(script, ",")
	f.vim = f.vimNormal
	if f.cwd != "" {
		if err := os.Chdir(f.cwd); err != nil {
			fail(err)
		}
	}
	f.cwd, _ = os.Getwd()
	if resume != "" {
		if err := f.resume(resume, os.Getenv("FAKECLAUDE_RESUME_FORK") == "1"); err != nil {
			fail(err)
		}
	}
	if f.sessionsDir != "" {
		path := f.writeSessionFile()
		defer os.Remove(path)
		// A killed pane hangs up: remove the file like a clean exit would.
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGHUP, syscall.SIGTERM)
		go func() { <-sig; os.Remove(path); os.Exit(1) }()
	}
	raw(true)
	defer raw(false)
	if first != "" {
		f.submit(first)
	}
	f.draw()
	buf := make([]byte, 256)
	for {
		n, err := os.Stdin.Read(buf)
		if err != nil {
			return
		}
		if !f.key(buf[:n]) {
			return
		}
		f.draw()
	}
}

// key handles one read's worth of input; false means exit. Several keys
// may arrive in one read ("\r\x1b"), so Escape is told from an escape
// sequence (ESC [ … or ESC O …) byte by byte.
func (f *fake) key(b []byte) bool {
	for len(b) > 0 {
		if b[0] == 0x1b {
			if len(b) > 1 && (b[1] == '[' || b[1] == 'O') { // arrows etc.: skip
				i := 2
				for i < len(b) && (b[i] < 0x40 || b[i] > 0x7e) {
					i++
				}
				b = b[min(i+1, len(b)):]
				continue
			}
			f.escape()
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r == '\r' || r == '\n':
			f.enter()
		case r == 0x7f || r == 0x08:
			if len(f.input) > 0 && !f.vimNormal {
				f.input = f.input[:len(f.input)-1]
			}
		case r == 0x03: // Ctrl-C
			if len(f.input) == 0 {
				return false
			}
			f.input = nil
		case r == 0x04: // Ctrl-D
			return false
		case r == 0x07 && f.editor != "": // Ctrl-G: edit the prompt in an editor
			f.runEditor()
		case r == 0x1a: // Ctrl-Z: suspend like the real client
			raw(false)
			syscall.Kill(os.Getpid(), syscall.SIGTSTP)
			raw(true)
		case f.vimNormal:
			if r == 'i' {
				f.vimNormal = false
			}
		case r >= 0x20 && !f.dialog && !f.usageDialog:
			f.input = append(f.input, r)
		}
	}
	return true
}

// runEditor runs -editor on the terminal and waits for it. No new process
// group: the child shares ours, which stays the terminal's foreground group.
func (f *fake) runEditor() {
	args := strings.Fields(f.editor)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	raw(false)
	_ = cmd.Run()
	raw(true)
}

// escape dismisses a dialog or the auto-wait, interrupts a busy turn, or
// (vim mode) leaves INSERT.
func (f *fake) escape() {
	switch {
	case f.dialog, f.usageDialog, f.autoWait:
		f.dialog, f.usageDialog, f.autoWait = false, false, false
	case f.busy:
		f.busy = false
		f.msgs = append(f.msgs, "  ⎿  Interrupted by user", "")
	case f.vim:
		f.vimNormal = true
	}
}

// enter: Enter picks a dialog option, is a motion in vim NORMAL mode, and
// otherwise submits the input line.
func (f *fake) enter() {
	switch {
	case f.dialog:
		f.dialog = false
		f.msgs = append(f.msgs, "● [dialog] picked 1. Yes", "")
	case f.usageDialog: // 2.1.145: Enter on option 1 = Stop and wait
		f.usageDialog = false
	case f.vimNormal, f.busy, len(f.input) == 0:
	default:
		text := string(f.input)
		f.input = nil
		f.autoWait = false // like 2.1.330: a typed prompt disarms its auto-continue
		f.submit(text)
	}
}

// submit records a typed prompt and answers it per the script.
func (f *fake) submit(text string) {
	f.msgs = append(f.msgs, "❯ "+text, "")
	f.write(f.entry("user", map[string]any{"role": "user", "content": text}, map[string]any{"promptSource": "typed"}))
	step := "ok"
	if next, ok := f.takeNext(); ok {
		step = next
	} else {
		if f.step < len(f.script) {
			step = strings.TrimSpace(f.script[f.step])
		}
		f.step++
	}
	f.hint = ""
	if f.wantHint && (step == "429" || step == "529") {
		f.hint = resendHint
	}
	synth := func(text string) map[string]any {
		return map[string]any{"id": uuid(), "model": "<synthetic>", "role": "assistant", "type": "message",
			"stop_reason": "stop_sequence", "stop_sequence": "", "usage": map[string]any{"input_tokens": 0, "output_tokens": 0},
			"content": []any{map[string]any{"type": "text", "text": text}}}
	}
	switch step {
	case "429":
		f.msgs = append(f.msgs, "● "+throttleText, "")
		f.write(f.entry("assistant", synth(throttleText), map[string]any{"requestId": "req_fake", "apiErrorIsTransient": true,
			"error": "rate_limit", "isApiErrorMessage": true, "apiErrorStatus": 429, "apiErrorType": "rate_limit_error"}))
	case "529":
		t := "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment."
		f.msgs = append(f.msgs, "● "+t, "")
		f.write(f.entry("assistant", synth(t), map[string]any{"requestId": "req_fake", "error": "server_error",
			"isApiErrorMessage": true, "apiErrorStatus": 529, "apiErrorType": "overloaded_error"}))
	case "5h":
		reset := time.Now().UTC().Add(time.Hour).Truncate(time.Minute)
		f.autoAt = strings.ToLower(reset.Format("3:04PM"))
		t := "You've hit your 5-hour limit · resets " + f.autoAt + " (UTC)"
		f.msgs = append(f.msgs, "  ⎿  "+t, "")
		info := map[string]any{"status": "rejected", "resetsAt": reset.Unix(), "rateLimitType": "five_hour", "isUsingOverage": false}
		f.write(f.entry("assistant", synth(t), map[string]any{"requestId": "req_fake", "apiError": "usage_limit_reached",
			"apiErrorParams": map[string]any{"rate_limit_info": info}, "quotaLimits": info, "error": "rate_limit",
			"isApiErrorMessage": true, "apiErrorStatus": 429, "apiErrorType": "rate_limit_error"}))
		if f.wantAutoWait {
			f.autoWait = true
			f.msgs = append(f.msgs, "● Usage limit reached · set to continue automatically at "+f.autoAt, "")
		}
		f.usageDialog = f.wantUsageDialog
	case "401": // an error waiting cannot cure: ccwake shows it (FATAL) and never types
		t := `API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}} · Please run /login`
		f.msgs = append(f.msgs, "● "+t, "")
		f.write(f.entry("assistant", synth(t), map[string]any{"requestId": "req_fake", "error": "authentication_failed",
			"isApiErrorMessage": true, "apiErrorStatus": 401, "apiErrorType": "authentication_error"}))
	case "agent5h":
		f.agentCap(synth)
	default:
		f.replies++
		t := fmt.Sprintf("Hello from the fake (%d).", f.replies)
		f.msgs = append(f.msgs, "● "+t, "")
		f.write(f.entry("assistant", map[string]any{"id": "msg_fake", "type": "message", "role": "assistant",
			"model": "claude-sonnet-4-5", "stop_reason": "end_turn", "content": []any{map[string]any{"type": "text", "text": t}}}, nil))
	}
}

// takeNext reads and removes the -next file: the answer a test chose for
// this prompt, if any.
func (f *fake) takeNext() (string, bool) {
	if f.nextFile == "" {
		return "", false
	}
	b, err := os.ReadFile(f.nextFile)
	if err != nil {
		return "", false
	}
	_ = os.Remove(f.nextFile)
	return strings.TrimSpace(string(b)), true
}

// agentCap answers with an Agent tool call whose subagent hits the session
// cap an hour ahead (minute precision, like the real text): the main
// thread's tool_use, the subagent's sidechain prompt and API error, and the
// main-thread tool_result that reports it. Like 2.1.x, the subagent's
// turns go to <project>/<sessionId>/subagents/agent-<id>.jsonl. The screen shows the result
// under the call, then the idle prompt, as 2.1.330 draws a failed tool.
func (f *fake) agentCap(synth func(string) map[string]any) {
	reset := time.Now().UTC().Add(time.Hour).Truncate(time.Minute)
	capText := "You've hit your session limit · resets " + strings.ToLower(reset.Format("3:04PM")) + " (UTC)"
	toolID := "toolu_" + strings.ReplaceAll(uuid(), "-", "")[:24]
	f.msgs = append(f.msgs, "● I'll have an agent look into it.", "", "● Agent(Research the codebase)")
	f.write(f.entry("assistant", map[string]any{"id": "msg_fake", "type": "message", "role": "assistant",
		"model": "claude-sonnet-4-5", "stop_reason": "tool_use", "content": []any{
			map[string]any{"type": "text", "text": "I'll have an agent look into it."},
			map[string]any{"type": "tool_use", "id": toolID, "name": "Agent", "input": map[string]any{
				"description": "Research the codebase", "prompt": "Research the codebase", "subagent_type": "general-purpose"}}}}, nil))
	mainParent := f.lastUUID
	if f.transcript != "" {
		agentFile := filepath.Join(strings.TrimSuffix(f.transcript, ".jsonl"), "subagents", "agent-a1b2c3d.jsonl")
		if err := os.MkdirAll(filepath.Dir(agentFile), 0o755); err != nil {
			fail(err)
		}
		f.lastUUID = ""
		side := map[string]any{"isSidechain": true, "agentId": "a1b2c3d"}
		f.writeTo(agentFile, f.entry("user", map[string]any{"role": "user", "content": "Research the codebase"}, side))
		info := map[string]any{"status": "rejected", "resetsAt": reset.Unix(), "rateLimitType": "five_hour", "isUsingOverage": false}
		f.writeTo(agentFile, f.entry("assistant", synth(capText), map[string]any{"isSidechain": true, "agentId": "a1b2c3d",
			"requestId": "req_fake", "error": "rate_limit", "isApiErrorMessage": true, "apiErrorStatus": 429,
			"apiErrorType": "rate_limit_error", "apiError": "usage_limit_reached", "apiErrorParams": map[string]any{"rate_limit_info": info}}))
		f.lastUUID = mainParent
	}
	result := "Agent terminated early due to an API error: " + capText
	f.msgs = append(f.msgs, "  ⎿  Error: "+result, "")
	f.write(f.entry("user", map[string]any{"role": "user", "content": []any{map[string]any{
		"type": "tool_result", "tool_use_id": toolID, "is_error": true, "content": result}}},
		map[string]any{"toolUseResult": "Error: " + result}))
}

// entry builds a main-thread conversation entry chained to the previous one.
func (f *fake) entry(typ string, message map[string]any, extra map[string]any) map[string]any {
	id := uuid()
	e := map[string]any{"parentUuid": nil, "isSidechain": false, "type": typ, "message": message, "uuid": id,
		"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), "userType": "external",
		"entrypoint": "cli", "cwd": f.cwd, "sessionId": f.sessionID, "version": "2.1.330"}
	if f.lastUUID != "" {
		e["parentUuid"] = f.lastUUID
	}
	for k, v := range extra {
		e[k] = v
	}
	f.lastUUID = id
	return e
}

// write appends one entry to the transcript as one line in one write.
func (f *fake) write(e map[string]any) {
	if f.transcript == "" {
		return
	}
	f.writeTo(f.transcript, e)
}

// writeTo appends one entry to path as one line in one write.
func (f *fake) writeTo(path string, e map[string]any) {
	line, err := json.Marshal(e)
	if err != nil {
		fail(err)
	}
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		fail(err)
	}
	defer fh.Close()
	if _, err := fh.Write(append(line, '\n')); err != nil {
		fail(err)
	}
}

func (f *fake) draw() {
	rule := strings.Repeat("─", f.width)
	out := []string{" ▐▛███▜▌   Claude Code v2.1.330 (fake)", "▝▜█████▛▘  Sonnet 5.5 · Claude API", "  ▘▘ ▝▝    " + f.cwd, ""}
	out = append(out, f.msgs...)
	switch {
	case f.usageDialog:
		out = append(out, "❯ /rate-limit-options", "", rule, "  What do you want to do?", "",
			"  ❯ 1. Stop and wait for limit to reset", "    2. Upgrade your plan", "", "  Enter to confirm · Esc to cancel")
	case f.dialog:
		out = append(out, rule, " Do you want to make this edit to main.go?", " ❯ 1. Yes", "   2. No", "", " Esc to cancel")
	default:
		if f.busy {
			out = append(out, "✽ Pondering… (3s · esc to interrupt)", "")
		}
		footer := "  ? for shortcuts"
		switch {
		case f.autoWait:
			footer = "  Continuing automatically at " + f.autoAt + " · Esc to cancel"
		case f.vimNormal:
			footer = "  -- NORMAL --"
		}
		input := string(f.input)
		if input == "" && f.hint != "" {
			// As 2.1.330: the cursor cell in reverse video on the first
			// letter, the rest dim.
			r, n := utf8.DecodeRuneInString(f.hint)
			input = "\x1b[7m" + string(r) + "\x1b[0;2m" + f.hint[n:] + "\x1b[0m"
		}
		out = append(out, rule, "❯\u00a0"+input, rule, footer)
		fmt.Print("\x1b[H\x1b[2J" + strings.Join(out, "\r\n") + f.cursorBack(rule, footer))
		return
	}
	fmt.Print("\x1b[H\x1b[2J" + strings.Join(out, "\r\n"))
}

// cursorBack moves the terminal cursor from the end of the footer to the
// input position: after "❯ " and the typed text, counting the rows the
// terminal wrapped the last lines into.
func (f *fake) cursorBack(rule, footer string) string {
	w := cols()
	rows := func(s string) int { return max(1, (utf8.RuneCountInString(s)+w-1)/w) }
	at := 2 + len(f.input) // cells before the cursor on the prompt line
	up := rows(rule) + rows(footer) + rows("❯ "+string(f.input)) - 1 - at/w
	return fmt.Sprintf("\r\x1b[%dA\x1b[%dG", up, at%w+1)
}

// cols is the terminal's width; 80 when it cannot be read.
func cols() int {
	var ws struct{ row, col, x, y uint16 }
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, os.Stdout.Fd(), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws)))
	if e != 0 || ws.col == 0 {
		return 80
	}
	return int(ws.col)
}

// writeSessionFile writes <dir>/<pid>.json the way 2.1.330 does.
func (f *fake) writeSessionFile() string {
	pid := os.Getpid()
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		fail(err)
	}
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // field 3 onwards
	now := time.Now().UnixMilli()
	sf := map[string]any{"pid": pid, "sessionId": f.sessionID, "cwd": f.cwd, "startedAt": now,
		"procStart": fields[19], "version": "2.1.330", "peerProtocol": 1, "kind": "interactive",
		"entrypoint": "cli", "status": "idle", "updatedAt": now}
	tmuxField := f.tmuxField
	if tmuxField == "auto" {
		sock, _, _ := strings.Cut(os.Getenv("TMUX"), ",")
		out, err := exec.Command("tmux", "-S", sock, "display-message", "-p", "-t", os.Getenv("TMUX_PANE"),
			"#{session_name}:#{window_id}.#{pane_id}").Output()
		if err != nil {
			fail(fmt.Errorf("tmux-field auto: %w", err))
		}
		tmuxField = strings.TrimSpace(string(out))
	}
	if tmuxField != "" {
		sf["tmux"] = tmuxField
	}
	data, _ := json.Marshal(sf)
	path := filepath.Join(f.sessionsDir, fmt.Sprintf("%d.json", pid))
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		fail(err)
	}
	return path
}

// raw switches the terminal to raw mode and back with stty: no cgo, no
// extra module.
func raw(on bool) {
	args := []string{"sane"}
	if on {
		args = []string{"raw", "-echo"}
	}
	cmd := exec.Command("stty", args...)
	cmd.Stdin = os.Stdin
	_ = cmd.Run()
}

func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func fail(err error) {
	raw(false)
	fmt.Fprintln(os.Stderr, "fakeclaude:", err)
	os.Exit(1)
}

// resume loads session id's transcript from the Claude root, like the real
// client's --resume: its messages are shown, new entries chain to its last
// one. fork writes a new file under a new session id, starting with copies
// of the old entries (same uuids).
func (f *fake) resume(id string, fork bool) error {
	root := os.Getenv("CLAUDE_CONFIG_DIR")
	if root == "" {
		root = filepath.Join(os.Getenv("HOME"), ".claude")
	}
	matches, _ := filepath.Glob(filepath.Join(root, "projects", "*", id+".jsonl"))
	if len(matches) != 1 {
		return fmt.Errorf("No conversation found with session ID: %s (%d files under %s)", id, len(matches), root)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		return err
	}
	f.transcript, f.sessionID = matches[0], id
	var copied []string
	if fork {
		f.sessionID = uuid()
		f.transcript = filepath.Join(filepath.Dir(matches[0]), f.sessionID+".jsonl")
	}
	for _, line := range strings.Split(string(data), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(line), &e) != nil {
			continue
		}
		if fork {
			e["sessionId"] = f.sessionID
			b, _ := json.Marshal(e)
			copied = append(copied, string(b))
		}
		if side, _ := e["isSidechain"].(bool); side {
			continue
		}
		if u, _ := e["uuid"].(string); u != "" {
			f.lastUUID = u
		}
		f.show(e)
	}
	if fork {
		if err := os.WriteFile(f.transcript, []byte(strings.Join(copied, "\n")+"\n"), 0o644); err != nil {
			return err
		}
	}
	if f.sessionsDir == "" {
		f.sessionsDir = filepath.Join(root, "sessions")
		if err := os.MkdirAll(f.sessionsDir, 0o755); err != nil {
			return err
		}
		if f.tmuxField == "" && os.Getenv("TMUX_PANE") != "" {
			f.tmuxField = "auto" // 2.1.330 names its pane
		}
	}
	return nil // main writes the sessions file
}

// show adds a loaded entry's text to the screen the way submit draws it.
func (f *fake) show(e map[string]any) {
	msg, _ := e["message"].(map[string]any)
	switch e["type"] {
	case "user":
		if text, ok := msg["content"].(string); ok {
			f.msgs = append(f.msgs, "❯ "+text, "")
		}
	case "assistant":
		blocks, _ := msg["content"].([]any)
		for _, b := range blocks {
			bm, _ := b.(map[string]any)
			text, _ := bm["text"].(string)
			if text == "" {
				continue
			}
			if e["apiError"] == "usage_limit_reached" {
				f.msgs = append(f.msgs, "  ⎿  "+text, "")
			} else {
				f.msgs = append(f.msgs, "● "+text, "")
			}
		}
	}
}
