package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// capLines is a 2.1.330 transcript stalled on a five-hour usage cap: the
// prompt, then the synthetic error with the structured quota fields.
func capLines(id string, errAt, reset time.Time) string {
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	info := fmt.Sprintf(`{"status":"rejected","resetsAt":%d,"rateLimitType":"five_hour","isUsingOverage":false}`, reset.Unix())
	text := "You've hit your 5-hour limit · resets " + reset.UTC().Format("3:04pm") + " (UTC)"
	user := fmt.Sprintf(`{"parentUuid":null,"isSidechain":false,"type":"user","uuid":"%s-u","timestamp":%q,"cwd":"/work/%s","sessionId":%q,"version":"2.1.330","message":{"role":"user","content":"say hi"},"promptSource":"typed"}`,
		id, ts(errAt.Add(-2*time.Second)), id, id)
	fail := fmt.Sprintf(`{"parentUuid":"%s-u","isSidechain":false,"type":"assistant","uuid":"%s-e","timestamp":%q,"cwd":"/work/%s","sessionId":%q,"version":"2.1.330","message":{"id":"x","model":"<synthetic>","role":"assistant","type":"message","stop_reason":"stop_sequence","content":[{"type":"text","text":%q}]},"apiError":"usage_limit_reached","apiErrorParams":{"rate_limit_info":%s},"quotaLimits":%s,"error":"rate_limit","isApiErrorMessage":true,"apiErrorStatus":429,"apiErrorType":"rate_limit_error"}`,
		id, id, ts(errAt), id, id, text, info, info)
	return user + "\n" + fail + "\n"
}

// Issue 8 item 9: `status --json` gives each session behind one cap its own
// resume_at, --stagger apart, oldest stall first; --stagger 0 gives them one.
func TestStatusStaggersSessionsOnOneCap(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	reset := now.Add(time.Hour).Truncate(time.Second)
	root := t.TempDir()
	ages := map[string]time.Duration{"old": 20 * time.Minute, "mid": 10 * time.Minute, "young": 5 * time.Minute}
	for id, age := range ages {
		dir := filepath.Join(root, "projects", "-work-"+id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, id+".jsonl"), []byte(capLines(id, now.Add(-age), reset)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		stagger string
		offset  map[string]time.Duration
	}{
		{"10s", map[string]time.Duration{"old": 0, "mid": 10 * time.Second, "young": 20 * time.Second}},
		{"0", map[string]time.Duration{"old": 0, "mid": 0, "young": 0}},
	} {
		t.Run("stagger "+tc.stagger, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := []string{"--claude-dir", root, "--json", "--stagger", tc.stagger, "--tmux-socket", filepath.Join(t.TempDir(), "none")}
			if err := runStatus(context.Background(), args, &out, &errOut); err != nil {
				t.Fatalf("status: %v (%s)", err, errOut.String())
			}
			var doc struct {
				Sessions []struct {
					ID       string `json:"session_id"`
					ResumeAt string `json:"resume_at"`
				} `json:"sessions"`
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Sessions) != 3 {
				t.Fatalf("%v\n%s", err, out.String())
			}
			for _, s := range doc.Sessions {
				got, err := time.Parse(time.RFC3339, s.ResumeAt)
				if want := reset.Add(time.Minute + tc.offset[s.ID]); err != nil || !got.Equal(want) {
					t.Errorf("%s: resume_at %q, want %v", s.ID, s.ResumeAt, want.Format(time.RFC3339))
				}
			}
		})
	}
}

// Issue 8 item 7: `status --json` shows when an undated cap is probed next
// (15 min after its error), not a rate-limit backoff's seconds.
func TestStatusShowsNextProbeOfUndatedCap(t *testing.T) {
	t.Parallel()
	errAt := time.Now().UTC().Add(-5 * time.Minute).Truncate(time.Millisecond)
	ts := func(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z") }
	lines := fmt.Sprintf(`{"parentUuid":null,"isSidechain":false,"type":"user","uuid":"u1","timestamp":%q,"cwd":"/work/p","sessionId":"p1","version":"2.1.145","message":{"role":"user","content":"say hi"}}
{"parentUuid":"u1","isSidechain":false,"type":"assistant","uuid":"e1","timestamp":%q,"cwd":"/work/p","sessionId":"p1","version":"2.1.145","message":{"id":"x","model":"<synthetic>","role":"assistant","type":"message","content":[{"type":"text","text":"You've hit your session limit"}]},"error":"rate_limit","isApiErrorMessage":true,"apiErrorStatus":429}
`, ts(errAt.Add(-2*time.Second)), ts(errAt))
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "-work-p")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p1.jsonl"), []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	args := []string{"--claude-dir", root, "--json", "--tmux-socket", filepath.Join(t.TempDir(), "none")}
	if err := runStatus(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("status: %v (%s)", err, errOut.String())
	}
	var doc struct {
		Sessions []struct {
			Kind     string  `json:"kind"`
			ResetsAt *string `json:"resets_at"`
			ResumeAt string  `json:"resume_at"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Sessions) != 1 {
		t.Fatalf("%v\n%s", err, out.String())
	}
	s := doc.Sessions[0]
	got, err := time.Parse(time.RFC3339, s.ResumeAt)
	if s.Kind != "usage_limit" || s.ResetsAt != nil || err != nil || !got.Equal(errAt.Add(15*time.Minute)) {
		t.Fatalf("kind %s resets_at %v resume_at %s, want usage_limit, null, %v", s.Kind, s.ResetsAt, s.ResumeAt, errAt.Add(15*time.Minute))
	}
}
