package resume

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// emptyTranscripts creates n empty transcripts in dir.
func emptyTranscripts(t *testing.T, dir string, n int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%08d-0000-4000-8000-000000000000.jsonl", i)))
		if err != nil {
			t.Fatal(err)
		}
		_ = f.Close()
	}
}

// 10,000 empty transcripts in one project, there at start or arriving
// while ccwake runs, must not delay a stall in another project: the engine's
// work per event does not grow with the number of sessions. The bound is
// generous (the fixed engine needs well under a second here; the quadratic
// one needed minutes).
func TestIntegrationManyEmptyTranscripts(t *testing.T) {
	t.Parallel() // its own server, socket and root
	if testing.Short() {
		t.Skip("10,000 real files: skipped with -short")
	}
	const n = 10000
	for _, atStart := range []bool{false, true} {
		name := "created while running"
		if atStart {
			name = "present at start"
		}
		t.Run(name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "claude")
			big := filepath.Join(root, "projects", "-work-big")
			if err := os.MkdirAll(big, 0o755); err != nil {
				t.Fatal(err)
			}
			if atStart {
				emptyTranscripts(t, big, n)
			}
			cfg := DefaultConfig()
			cfg.Auto, cfg.Seed = true, 1
			cfg.Roots, cfg.LockedRoots = []string{root}, []string{root}
			e := New(cfg, newFakeActor(), RealClock{}, nil)
			runWatched(t, e, root)
			if !atStart {
				emptyTranscripts(t, big, n)
			}
			id := placeTranscript(t, root, "v2.1.145-key-429.jsonl", "/work/other", time.Now())
			start := time.Now()
			dump := func() string {
				snap := e.Snapshot()
				var b strings.Builder
				fmt.Fprintf(&b, "%d transcripts in the snapshot, taken %s\n", snap.Transcripts, snap.Taken.Format(time.TimeOnly))
				for _, st := range snap.Sessions {
					if st.Session.ID == id {
						fmt.Fprintf(&b, "the stall: %s %s %v\n", st.Session.State, st.Phase, whats(st.History))
					}
				}
				return b.String()
			}
			waitUntil(t, 20*time.Second, "the stall in the other project scheduled", func() bool {
				for _, st := range e.Snapshot().Sessions {
					if st.Session.ID == id {
						return hasAction(st.History, "scheduled")
					}
				}
				return false
			}, dump)
			t.Logf("stall scheduled %v after it was written", time.Since(start).Round(time.Millisecond))
			waitUntil(t, 60*time.Second, "every transcript followed", func() bool {
				return e.Snapshot().Transcripts >= n+1
			}, dump)
		})
	}
}
