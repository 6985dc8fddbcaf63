package resume

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch"
)

// Usage-cap transcripts built like the real fixtures (testdata/transcripts,
// INDEX.md): the entry fields of the release that wrote them, read back by
// the real watcher (watch.Scan), so the engine sees what it would see live.

// capErr is one API error in a stall. A zero resets means no reset is
// stated: no resetsAt field, no "resets" clause.
type capErr struct {
	at     time.Time
	text   string    // the error's text as the client showed it
	resets time.Time // 2.1.330: rate_limit_info.resetsAt
	window string    // 2.1.330: rateLimitType (five_hour, seven_day, …)
}

// capTranscript is one session's transcript under a temp Claude root.
type capTranscript struct {
	t       *testing.T
	root    string
	path    string
	id      string
	version string // "2.1.145" or "2.1.330": which fields the error entries carry
	last    string // uuid of the newest entry
	n       int
}

func newCapTranscript(t *testing.T, root, id, version string, prompt time.Time) *capTranscript {
	t.Helper()
	proj := filepath.Join(root, "projects", "-work-"+id)
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &capTranscript{t: t, root: root, path: filepath.Join(proj, id+".jsonl"), id: id, version: version}
	c.user("say hi", prompt)
	return c
}

func (c *capTranscript) entry(typ string, at time.Time, message map[string]any, extra map[string]any) string {
	c.t.Helper()
	c.n++
	uuid := fmt.Sprintf("%s-%04d", c.id, c.n)
	e := map[string]any{"parentUuid": nil, "isSidechain": false, "type": typ, "uuid": uuid,
		"timestamp": at.UTC().Format("2006-01-02T15:04:05.000Z"), "userType": "external", "entrypoint": "cli",
		"cwd": "/work/" + c.id, "sessionId": c.id, "version": c.version, "message": message}
	if c.last != "" {
		e["parentUuid"] = c.last
	}
	for k, v := range extra {
		e[k] = v
	}
	c.last = uuid
	line, err := json.Marshal(e)
	if err != nil {
		c.t.Fatal(err)
	}
	f, err := os.OpenFile(c.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		c.t.Fatal(err)
	}
	// 2.1.x writes metadata after the error: it must not matter.
	meta, _ := json.Marshal(map[string]any{"type": "last-prompt", "lastPrompt": "say hi", "leafUuid": uuid, "sessionId": c.id})
	if _, err := f.Write(append(meta, '\n')); err != nil {
		c.t.Fatal(err)
	}
	return uuid
}

// user appends a typed prompt (a resume is the user entry "continue").
func (c *capTranscript) user(text string, at time.Time) {
	c.entry("user", at, map[string]any{"role": "user", "content": text}, map[string]any{"promptSource": "typed"})
}

// fail appends a synthetic API-error entry with the fields of c's release.
func (c *capTranscript) fail(e capErr) string {
	msg := map[string]any{"id": "x", "model": "<synthetic>", "role": "assistant", "type": "message",
		"stop_reason": "stop_sequence", "content": []any{map[string]any{"type": "text", "text": e.text}}}
	extra := map[string]any{"isApiErrorMessage": true, "error": "rate_limit", "apiErrorStatus": 429, "requestId": "req_mockerr"}
	if c.version >= "2.1.330" {
		extra["apiErrorType"] = "rate_limit_error"
		if !e.resets.IsZero() {
			info := map[string]any{"status": "rejected", "resetsAt": e.resets.Unix(), "rateLimitType": e.window, "isUsingOverage": false}
			extra["apiError"] = "usage_limit_reached"
			extra["apiErrorParams"] = map[string]any{"rate_limit_info": info}
			extra["quotaLimits"] = info
		}
	}
	return c.entry("assistant", e.at, msg, extra)
}

// resumed appends the typed continue and the error that answered it.
func (c *capTranscript) resumed(typedAt time.Time, e capErr) string {
	c.user("continue", typedAt)
	return c.fail(e)
}

// session reads the transcript back with the real watcher. Its Root is the
// harness's locked root, so the engine may act on it.
func (c *capTranscript) session() watch.Session {
	c.t.Helper()
	ss, warns, err := watch.Scan(context.Background(), watch.Config{Roots: []string{c.root}, Loc: time.UTC})
	if err != nil || len(warns) > 0 {
		c.t.Fatalf("scan: %v %v", err, warns)
	}
	for _, s := range ss {
		if s.Transcript == c.path {
			s.Root = testRoot
			return s
		}
	}
	c.t.Fatalf("scan did not report %s", c.path)
	return watch.Session{}
}
