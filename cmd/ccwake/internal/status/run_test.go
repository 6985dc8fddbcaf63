package status

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Run is testable without the binary: a root with nothing stalled gives
// an empty list, the settings the caller hands in, and no exit status.
func TestRunWithoutBinary(t *testing.T) {
	root := filepath.Join(t.TempDir(), ".claude")
	if err := os.MkdirAll(filepath.Join(root, "projects"), 0o700); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	err := Run(context.Background(), Options{
		Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" },
		Now: time.Now, Loc: time.UTC, JSON: true, Roots: []string{root}, Since: time.Hour,
		Settings: func() any { return map[string]bool{"given": true} },
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, errs.String())
	}
	var got struct {
		Sessions []json.RawMessage `json:"sessions"`
		Settings map[string]bool   `json:"settings"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.Sessions == nil || len(got.Sessions) != 0 || !got.Settings["given"] {
		t.Errorf("status --json: %v\n%s", err, out.String())
	}
}
