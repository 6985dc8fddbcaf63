package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// convEntry is one main-thread conversation entry of a transcript, reduced to
// what the end-to-end assertions look at.
type convEntry struct {
	Type      string // "user" or "assistant"
	Time      time.Time
	Text      string // string content, or the text blocks joined
	APIError  bool   // isApiErrorMessage
	Meta      bool   // isMeta: written by the client, not typed
	Source    string // promptSource (2.1.330): "typed", "system"
	Origin    string // origin.kind (2.1.330): "auto-continuation"
	SessionID string
}

func (e convEntry) String() string {
	flags := ""
	if e.APIError {
		flags += " api_error"
	}
	if e.Meta {
		flags += " meta"
	}
	if e.Origin != "" {
		flags += " origin=" + e.Origin
	}
	return fmt.Sprintf("%s %s%s %q", e.Time.Format("15:04:05.000"), e.Type, flags, shorten(e.Text))
}

// transcript is every main-thread conversation entry of every session file
// under root/projects, in timestamp order (file order is not conversation
// order in all releases).
type transcript []convEntry

// readTranscripts reads root/projects/*/*.jsonl. Incomplete last lines (a
// writer caught mid-line) and non-conversation entries are skipped.
func readTranscripts(root string) (transcript, error) {
	files, err := filepath.Glob(filepath.Join(root, "projects", "*", "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("glob transcripts in %s: %w", root, err)
	}
	var out transcript
	for _, f := range files {
		entries, err := readTranscript(f)
		if err != nil {
			return nil, err
		}
		out = append(out, entries...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, nil
}

func readTranscript(path string) ([]convEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read transcript %s: %w", path, err)
	}
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		data = data[:i+1]
	} else {
		data = nil
	}
	var out []convEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var raw struct {
			Type        string    `json:"type"`
			Timestamp   time.Time `json:"timestamp"`
			IsSidechain bool      `json:"isSidechain"`
			IsAPIError  bool      `json:"isApiErrorMessage"`
			IsMeta      bool      `json:"isMeta"`
			Source      string    `json:"promptSource"`
			SessionID   string    `json:"sessionId"`
			Origin      struct {
				Kind string `json:"kind"`
			} `json:"origin"`
			Message struct {
				Content json.RawMessage `json:"content"`
			} `json:"message"`
		}
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			return nil, fmt.Errorf("transcript %s: invalid line: %w", path, err)
		}
		if (raw.Type != "user" && raw.Type != "assistant") || raw.IsSidechain {
			continue
		}
		out = append(out, convEntry{
			Type: raw.Type, Time: raw.Timestamp, Text: contentText(raw.Message.Content),
			APIError: raw.IsAPIError, Meta: raw.IsMeta, Source: raw.Source, Origin: raw.Origin.Kind,
			SessionID: raw.SessionID,
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("scan transcript %s: %w", path, err)
	}
	return out, nil
}

// contentText flattens message.content: a string, or text blocks (tool
// results and other blocks count as "").
func contentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var blocks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &blocks) != nil {
		return ""
	}
	var texts []string
	for _, b := range blocks {
		if b.Type == "text" {
			texts = append(texts, b.Text)
		}
	}
	return strings.Join(texts, "\n")
}

// firstError returns the index of the first API error entry, or -1.
func (tr transcript) firstError() int {
	for i, e := range tr {
		if e.Type == "assistant" && e.APIError {
			return i
		}
	}
	return -1
}

// errors counts API error entries.
func (tr transcript) errors() int {
	n := 0
	for _, e := range tr {
		if e.APIError {
			n++
		}
	}
	return n
}

// after returns the entries after index i that match.
func (tr transcript) after(i int, match func(convEntry) bool) []convEntry {
	var out []convEntry
	for _, e := range tr[i+1:] {
		if match(e) {
			out = append(out, e)
		}
	}
	return out
}

// typedContinue: a user entry whose text is exactly message (a human or
// ccwake typed it), as opposed to the client's own auto-continuation.
func typedContinue(message string) func(convEntry) bool {
	return func(e convEntry) bool {
		return e.Type == "user" && !e.Meta && strings.TrimSpace(e.Text) == message
	}
}

// autoContinuation: 2.1.330's own resume after a usage cap reset.
func autoContinuation(e convEntry) bool {
	return e.Type == "user" && (e.Origin == "auto-continuation" || e.Meta && e.Source == "system")
}

// mockAnswer: the mock's successful reply.
func mockAnswer(e convEntry) bool {
	return e.Type == "assistant" && !e.APIError && strings.Contains(e.Text, mockReply)
}

func (tr transcript) String() string {
	var b strings.Builder
	for _, e := range tr {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}
