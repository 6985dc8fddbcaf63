package resume

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Two transcript files that carry one session id (`claude --resume` may
// write a second file with the same id) are two stalls, not one: the engine
// keys its tracks by file. Before, the two files' views overwrote each
// other in one track, so the stalled file could read as working (and a
// working one as stalled), whichever event came last. A command naming the
// session id reaches every file of that session.
func TestTracksKeyedByTranscriptFile(t *testing.T) {
	w := newStateWorld(t)
	stalled := w.stalledTranscript("a.jsonl", "sess-t", "err-1")
	now := time.Now()
	working := filepath.Join(w.proj, "b.jsonl")
	reply := fmt.Sprintf(`{"parentUuid":"u-b","isSidechain":false,"type":"assistant","message":{"model":"claude-sonnet-5-5","role":"assistant","content":[{"type":"text","text":"Hi."}]},"uuid":"r-b","timestamp":%q,"cwd":"/home/dev/work","sessionId":"sess-t","version":"2.1.330"}`+"\n",
		now.UTC().Format(time.RFC3339Nano))
	mustDo(t, os.WriteFile(working, []byte(tUserLine("sess-t", "u-b", now.Add(-time.Second), "go on")+reply), 0o644))

	se := w.start("sess-t", func(c *Config) { c.Auto = false }) // watch only: nothing is typed
	byFile := func() map[string]Status {
		m := map[string]Status{}
		for _, st := range se.e.Snapshot().Sessions {
			m[st.Session.Transcript] = st
		}
		return m
	}
	waitUntil(t, 10*time.Second, "both files tracked, the stalled one stalled", func() bool {
		snap := se.e.Snapshot()
		st, ok := byFile()[stalled]
		return snap.Transcripts == 2 && ok && st.Session.State == "stalled" && st.Session.LastUUID == "err-1"
	}, se.dump("sess-t"))

	se.e.Pause("sess-t", true)
	waitUntil(t, 10*time.Second, "the pause by session id reaching the stalled file", func() bool {
		st, ok := byFile()[stalled]
		return ok && st.Phase == Paused
	}, se.dump("sess-t"))
	if n := se.actor.count("type"); n != 0 {
		t.Fatalf("typed %d times with auto-resume off", n)
	}
}
