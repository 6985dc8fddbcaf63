package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// sampleEvent is a fully filled event.
func sampleEvent() Event {
	return Event{
		Time: t0, Host: "box", Event: Stalled, SessionID: "3f2a9c1e-0000", Project: "api", Cwd: "/src/api",
		Kind: "usage_limit", Limit: "five_hour", Title: "ccwake: api stalled (usage limit)",
		Message: "Session 3f2a9c1e in api stalled; next resume at Mon 14:00 (in 5h0m).", Error: "You've hit your limit · resets 2pm",
		ResumeAt: t0.Add(5 * time.Hour), Pane: "%3", Reason: "usage cap",
	}
}

// writeScript writes an executable shell script into dir.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCommandGetsTheJSONOnStdin(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "event.json")
	env := filepath.Join(dir, "env")
	script := writeScript(t, dir, "hook.sh", `cat > "$1"; printf '%s|%s' "$CCWAKE_EVENT" "$CCWAKE_TITLE" > "$2"; echo delivered`)
	var logs bytes.Buffer
	c := Command{Cmd: script + " " + out + " " + env, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	ev := sampleEvent()
	if err := c.Send(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(raw, []byte("}\n")) || bytes.Count(raw, []byte("\n")) != 1 {
		t.Errorf("want one JSON line, got %q", raw)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("stdin is not JSON: %v: %s", err, raw)
	}
	for k, want := range map[string]any{
		"time": "2026-03-02T09:00:00Z", "host": "box", "event": "stalled", "session_id": "3f2a9c1e-0000",
		"project": "api", "cwd": "/src/api", "kind": "usage_limit", "limit": "five_hour",
		"resume_at": "2026-03-02T14:00:00Z", "pane": "%3", "reason": "usage cap",
		"title": ev.Title, "message": ev.Message, "error": ev.Error,
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	if e, _ := os.ReadFile(env); string(e) != "stalled|"+ev.Title {
		t.Errorf("environment: %q", e)
	}
	if !strings.Contains(logs.String(), "output=delivered") {
		t.Errorf("command output not logged: %s", logs.String())
	}
}

func TestCommandFailuresAreErrors(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "bg.pid")
	t.Cleanup(func() { killPIDFile(t, pidFile) })
	for _, tc := range []struct {
		name, cmd string
		timeout   time.Duration
		want      string
	}{
		{"exit status", "echo boom >&2; exit 3", time.Minute, "exit status 3"},
		{"timeout kills a hung command", "exec sleep 60", 300 * time.Millisecond, "deadline exceeded"},
		{"a grandchild holding the pipe does not outlive the timeout", writeScript(t, dir, "bg.sh", "sleep 60 &\necho $! > "+pidFile+"\nexit 0"), 300 * time.Millisecond, "still ran"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
			defer cancel()
			start := time.Now()
			err := Command{Cmd: tc.cmd}.Send(ctx, sampleEvent())
			if took := time.Since(start); took > 10*time.Second {
				t.Fatalf("took %s", took)
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// killPIDFile ends the process whose PID a test script wrote, if it runs.
func killPIDFile(t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil || pid <= 1 {
		return
	}
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

// TestCommandEnvironmentIsTerminalSafe: a title and message carrying a
// transcript's ESC sequences, BEL, CR, an 8-bit CSI and bidi overrides
// reach CCWAKE_TITLE and CCWAKE_MESSAGE without any of them (a one-liner
// echoes them to a terminal); the JSON on stdin holds the exact text, every
// such character escaped.
func TestCommandEnvironmentIsTerminalSafe(t *testing.T) {
	const hostile = "x\x1b]52;c;ZXZpbA==\x07\x1b[2J\r\u009b2J \u202Etxt.exe\u2066\u200F"
	dir := t.TempDir()
	paths := map[string]string{"title": filepath.Join(dir, "title"), "message": filepath.Join(dir, "message"), "stdin": filepath.Join(dir, "stdin")}
	hook := writeScript(t, dir, "hook.sh", `printf '%s' "$CCWAKE_TITLE" > "$1"; printf '%s' "$CCWAKE_MESSAGE" > "$2"; cat > "$3"`)
	ev := sampleEvent()
	ev.Title, ev.Message, ev.Error = "ccwake: "+hostile, "Session in "+hostile+" stalled.\nSecond line.", hostile
	if err := (Command{Cmd: hook + " " + paths["title"] + " " + paths["message"] + " " + paths["stdin"]}).Send(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for name, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got[name] = string(b)
		for _, r := range got[name] {
			if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
				t.Errorf("%s holds a raw %U: %q", name, r, got[name])
				break
			}
		}
	}
	const p = "\uFFFD"
	if want := "ccwake: x" + p + "]52;c;ZXZpbA==" + p + p + "[2J" + p + p + "2J " + p + "txt.exe" + p + p; got["title"] != want {
		t.Errorf("CCWAKE_TITLE = %q, want %q", got["title"], want)
	}
	if !strings.HasSuffix(got["message"], " stalled.\nSecond line.") {
		t.Errorf("CCWAKE_MESSAGE lost its text: %q", got["message"])
	}
	var back Event
	if err := json.Unmarshal([]byte(got["stdin"]), &back); err != nil {
		t.Fatal(err)
	}
	if back.Title != ev.Title || back.Message != ev.Message || back.Error != ev.Error {
		t.Errorf("stdin JSON is not the exact text: %+v", back)
	}
}
