package resume

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// Every session id Claude Code wrote in the recorded transcripts has the
// shape ValidSessionID accepts; option-shaped and other ids do not.
func TestValidSessionID(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "transcripts", "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded transcripts: %v", err)
	}
	re := regexp.MustCompile(`"sessionId":"([^"]*)"`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			seen++
			if !ValidSessionID(m[1]) {
				t.Errorf("%s: Claude Code's id %q refused", filepath.Base(f), m[1])
			}
		}
	}
	if seen == 0 {
		t.Fatal("no sessionId in the recorded transcripts")
	}
	for _, id := range []string{
		"", "-p", "--settings=/tmp/x.json", "--dangerously-skip-permissions", "abc",
		"5E551017-0000-4000-8000-000000000001",  // upper case: not what Claude Code writes
		"5e551017-0000-4000-8000-00000000000",   // short
		"5e551017-0000-4000-8000-0000000000011", // long
		"5e551017_0000-4000-8000-000000000001",
		"5e551017-0000-4000-8000-00000000000g",
		"5e551017-0000-4000-8000-000000000001\n",
		" 5e551017-0000-4000-8000-00000000001",
		"-5e55101-0000-4000-8000-000000000001",
		"../../../../etc/passwd-000000000001",
	} {
		if ValidSessionID(id) {
			t.Errorf("ValidSessionID(%q) = true", id)
		}
	}
}

// A session whose id is not of Claude Code's shape is never spawned, by
// --reopen or by the key; it needs a human, and the reason says why.
func TestReopenRefusesBadIDs(t *testing.T) {
	for _, id := range []string{"-p", "--settings=x.json", "not-a-uuid"} {
		for _, auto := range []bool{true, false} {
			h, r := reopenHarness(t, auto, nil)
			h.send(rstall(t, id, "e1", classify.Throttle, 1, t0))
			h.e.Reopen(id)
			h.advance(30 * time.Minute)
			if n := len(r.spawned()); n != 0 {
				t.Fatalf("id %q auto %v: %d spawns: %+v", id, auto, n, r.spawned())
			}
			st := h.status(id)
			if st.Reopen != "" {
				t.Errorf("id %q: status offers %q", id, st.Reopen)
			}
			what := "reopen_refused" // the key: refused at once
			if auto {
				what = "needs_human"
				if st.Phase != Blocked || !strings.Contains(st.Reason, "not of the shape Claude Code writes") {
					t.Errorf("id %q: %s %q, want blocked: not of the shape", id, st.Phase, st.Reason)
				}
			}
			if !hasAction(st.History, what) {
				t.Errorf("id %q auto %v: no %s action: %v", id, auto, what, whats(st.History))
			}
			h.wantCalls("type", 0)
		}
	}
}

// A session whose cwd is gone is not reopened, not counted as reopened
// (nothing in the state file), and needs a human; once the directory is
// back, the next look reopens it.
func TestReopenRefusesAGoneCwd(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	h, r := reopenHarness(t, true, func(c *Config) { c.StateFile = state })
	s := rstall(t, sid1, "e1", classify.Throttle, 1, t0)
	if err := os.Remove(s.Cwd); err != nil {
		t.Fatal(err)
	}
	h.send(s)
	h.advance(2 * time.Minute)
	if n := len(r.spawned()); n != 0 {
		t.Fatalf("%d spawns into a cwd that is gone", n)
	}
	st := h.status(sid1)
	if st.Phase != Blocked || !strings.Contains(st.Reason, s.Cwd+" was moved or deleted") || !strings.Contains(st.Reason, "it needs you") {
		t.Fatalf("%s %q, want blocked: cwd moved or deleted, needs you", st.Phase, st.Reason)
	}
	if n := countWhat(st.History, "needs_human"); n != 1 {
		t.Fatalf("%d needs_human actions, want 1 however often it looked: %v", n, whats(st.History))
	}
	if b, err := os.ReadFile(state); err == nil && strings.Contains(string(b), `"reopened"`) {
		t.Fatalf("the state file records a reopen:\n%s", b)
	}
	if err := os.Mkdir(s.Cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	h.advance(5 * time.Minute)
	if n := len(r.spawned()); n != 1 {
		t.Fatalf("%d spawns once the cwd is back, want 1", n)
	}
	h.wantCalls("type %new1 continue", 1)
}
