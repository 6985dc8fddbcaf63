package pane

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ccwake/ccwake/watch"
)

// writeTranscript writes lines as a transcript file under dir.
func writeTranscript(t *testing.T, dir, id string, lines ...string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, id+".jsonl")
	var data []byte
	for _, l := range lines {
		data = append(data, l+"\n"...)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func userLine(id, uuid, ts, text string) string {
	return `{"type":"user","sessionId":"` + id + `","uuid":"` + uuid + `","timestamp":"` + ts +
		`","message":{"role":"user","content":"` + text + `"}}`
}

func toolResultLine(id, uuid, ts string) string {
	return `{"type":"user","sessionId":"` + id + `","uuid":"` + uuid + `","timestamp":"` + ts +
		`","message":{"role":"user","content":[{"type":"tool_result","content":"ok"}]}}`
}

func throttleLine(id, uuid, ts string) string {
	return `{"type":"assistant","sessionId":"` + id + `","uuid":"` + uuid + `","timestamp":"` + ts +
		`","isApiErrorMessage":true,"error":"rate_limit","apiErrorStatus":429,"message":{"role":"assistant","content":[{"type":"text","text":"` + throttle2x + `"}]}}`
}

func replyLine(id, uuid, ts string) string {
	return `{"type":"assistant","sessionId":"` + id + `","uuid":"` + uuid + `","timestamp":"` + ts +
		`","message":{"role":"assistant","content":[{"type":"text","text":"done"}]}}`
}

func TestReadTail(t *testing.T) {
	dir := t.TempDir()
	stalled := writeTranscript(t, dir, "a",
		userLine("a", "1", "2026-11-23T10:00:00Z", "old prompt"),
		replyLine("a", "2", "2026-11-23T10:00:01Z"),
		userLine("a", "3", "2026-11-23T10:01:00Z", "fix the parser"),
		toolResultLine("a", "4", "2026-11-23T10:01:02Z"),
		throttleLine("a", "5", "2026-11-23T10:01:03Z"),
		`{"type":"user","message":`) // a line still being written
	v, err := readTail(stalled)
	if err != nil || v.state != watch.Stalled || v.prompt != "fix the parser" || v.id != "a" {
		t.Errorf("readTail = %+v, %v; want stalled, prompt \"fix the parser\"", v, err)
	}
	working := writeTranscript(t, dir, "b", userLine("b", "1", "2026-11-23T10:00:00Z", "hi"), replyLine("b", "2", "2026-11-23T10:00:01Z"))
	if v, err := readTail(working); err != nil || v.state != watch.Working || v.prompt != "hi" {
		t.Errorf("readTail(working) = %+v, %v", v, err)
	}
	fifo := filepath.Join(dir, "fifo.jsonl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readTail(fifo); err == nil {
		t.Error("readTail(FIFO): want an error, not a read")
	}
	peers, known := stalledPeers(filepath.Join(dir, "c.jsonl"), "c")
	if !known || len(peers) != 1 || peers[0].id != "a" {
		t.Errorf("stalledPeers = %+v, %v; want only a (b works, the FIFO is skipped)", peers, known)
	}
	// A second file of the stalled session itself is not another session.
	if peers, known := stalledPeers(filepath.Join(dir, "a2.jsonl"), "a"); !known || len(peers) != 0 {
		t.Errorf("stalledPeers(same id) = %+v, %v; want none", peers, known)
	}
	if _, known := stalledPeers("", "c"); known {
		t.Error("stalledPeers(\"\"): want unknown")
	}
}

func TestPromptMatches(t *testing.T) {
	long := strings.Repeat("y", 260)
	for _, tt := range []struct {
		screen, prompt string
		want           bool
	}{
		{"fix the parser", "fix the parser", true},
		{"fix the\u00a0parser", "fix  the\nparser", true},
		{"fix the parser please", "fix the parser", false}, // a short prompt must be all of it
		{"fix", "fix the parser", false},
		{long + " and more", long[:256], true}, // a cut text: its start
		{"", "x", false},
		{"x", "", false},
	} {
		if got := promptMatches(tt.screen, tt.prompt); got != tt.want {
			t.Errorf("promptMatches(%q, %q) = %v, want %v", shorten(tt.screen, 20), shorten(tt.prompt, 20), got, tt.want)
		}
	}
}

func TestLastPromptOnScreen(t *testing.T) {
	rule := "────────────────────"
	for _, tt := range []struct {
		name, screen, want string
	}{
		{"2.1.330", "❯ say hi\n\n● " + throttle2x + "\n\n" + rule + "\n❯\u00a0\n" + rule + "\n", "say hi"},
		{"2.1.145 hook", "❯ fix it\n  ⎿  " + throttle2x + "\n\n" + rule + "\n❯ \n" + rule + "\n", "fix it"},
		{"2.0.0", "> say hi\n  ⎿  Claude usage limit reached.\n\n" + rule + "\n> \n" + rule + "\n", "say hi"},
		{"wrapped prompt", "❯ a long\n  prompt here\n\n● x\n\n" + rule + "\n❯ \n" + rule + "\n", "a long prompt here"},
		{"newest of two", "❯ first\n\n● ok\n\n❯ second\n\n● x\n\n" + rule + "\n❯ \n" + rule + "\n", "second"},
		{"the draft is not a prompt", "● x\n\n" + rule + "\n❯\u00a0draft\n" + rule + "\n", ""},
		{"no input box", "❯ say hi\n", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := lastPromptOnScreen(tt.screen); got != tt.want {
				t.Errorf("lastPromptOnScreen = %q, want %q", got, tt.want)
			}
		})
	}
}
