package watch

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// agentLayout is where one Claude Code era writes a subagent's transcript,
// relative to the project dir, for a parent session id.
type agentLayout struct {
	name   string
	parent string // real fixture ending in a normal main-thread reply
	capFix string // real fixture whose error line the subagent's cap is made from
	dir    func(sid string) string
	at     string    // timestamp of the subagent's cap (after the parent's last reply)
	reset  time.Time // what the cap's text or fields say
}

var agentLayouts = []agentLayout{
	{name: "2.0.x agent file in the project dir", parent: "i-v2.0.0-key-429.jsonl", capFix: "v1.0.128-oauth-5h.jsonl",
		dir: func(string) string { return "" }, at: "2026-11-22T15:55:10.000Z",
		reset: time.Date(2026, 11, 22, 17, 51, 0, 0, time.UTC)},
	{name: "2.1.x subagents dir", parent: "v2.1.330-key-ok.jsonl", capFix: "v2.1.330-oauth-5h.jsonl",
		dir: func(sid string) string { return filepath.Join(sid, "subagents") }, at: "2026-11-22T15:51:02.000Z",
		reset: time.Unix(1795369843, 0).UTC()},
	{name: "2.1.x workflow run", parent: "v2.1.330-key-ok.jsonl", capFix: "v2.1.330-oauth-5h.jsonl",
		dir: func(sid string) string { return filepath.Join(sid, "subagents", "workflows", "run-7f3a") }, at: "2026-11-22T15:51:02.000Z",
		reset: time.Unix(1795369843, 0).UTC()},
}

// sessionOf returns the session id of a fixture's entries.
func sessionOf(t *testing.T, fixture string) string {
	t.Helper()
	for _, l := range readLines(t, filepath.Join(transcripts, fixture)) {
		if e, err := classify.Parse(l.text, time.UTC); err == nil && e.SessionID != "" {
			return e.SessionID
		}
	}
	t.Fatalf("%s names no session", fixture)
	return ""
}

// asSubagent rewrites the conversation lines of a real fixture as the
// turns of a subagent of session sid, as Claude Code writes them:
// isSidechain set, the parent's session id, an agentId, fresh uuids and
// timestamps from at on. which picks the lines: "prompt", "reply", "error".
func asSubagent(t *testing.T, fixture, which, sid, uuid, at string) string {
	t.Helper()
	for _, l := range readLines(t, filepath.Join(transcripts, fixture)) {
		var m map[string]any
		if json.Unmarshal(l.text, &m) != nil {
			continue
		}
		isErr := m["isApiErrorMessage"] == true
		ok := map[string]bool{
			"prompt": m["type"] == "user",
			"reply":  m["type"] == "assistant" && !isErr,
			"error":  isErr,
		}[which]
		if !ok {
			continue
		}
		m["isSidechain"], m["sessionId"], m["uuid"], m["timestamp"], m["agentId"] = true, sid, uuid, at, "a7c1e2"
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	t.Fatalf("%s has no %s line", fixture, which)
	return ""
}

// TestSubagentCapStallsIdleSession: a usage cap in a subagent file of any
// era stalls the parent session (the main thread is idle after it) and
// never shows up as a session of its own; a typed continue in the main
// thread ends the stall.
func TestSubagentCapStallsIdleSession(t *testing.T) { eachBackend(t, testSubagentCapStallsIdleSession) }

func testSubagentCapStallsIdleSession(t *testing.T, o options) {
	for _, lay := range agentLayouts {
		t.Run(lay.name, func(t *testing.T) {
			root, proj := newRoot(t)
			sid := sessionOf(t, lay.parent)
			parent := filepath.Join(proj, sid+".jsonl")
			writeFile(t, parent, readFixture(t, lay.parent))
			r := start(t, root, o)
			if got := r.w.Sessions(); len(got) != 1 || got[0].State != Working {
				t.Fatalf("at start: %+v", got)
			}

			dir := filepath.Join(proj, lay.dir(sid))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			agent := filepath.Join(dir, "agent-a7c1e2.jsonl")
			first := strings.Replace(lay.at, ":10.000Z", ":05.000Z", 1)
			first = strings.Replace(first, ":02.000Z", ":01.000Z", 1)
			writeFile(t, agent, []byte(asSubagent(t, lay.capFix, "prompt", sid, "sa-1", first)))
			appendFile(t, agent, []byte(asSubagent(t, lay.capFix, "error", sid, "sa-2", lay.at)))

			e := r.wait(t, "parent stalled on the subagent's cap", func(e Event) bool {
				return e.Kind == SessionChanged && e.Session.Transcript == parent && e.Session.State == Stalled
			})
			s := e.Session
			if !s.Agent || s.Kind != classify.UsageLimit || s.Limit != classify.FiveHour || !s.ResetsAt.Equal(lay.reset) || s.ID != sid {
				t.Fatalf("stall %+v", s)
			}
			for _, v := range r.w.Sessions() {
				if v.Transcript == agent || strings.Contains(v.Transcript, "agent-") {
					t.Fatalf("the subagent file is listed as a session: %+v", v)
				}
			}

			// Someone typed continue in the main pane: working again.
			appendFile(t, parent, []byte(userLine("c-1", "2026-11-22T18:00:00.000Z", "continue")))
			r.wait(t, "parent working after continue", changedTo(parent, "c-1"))
			if got := r.w.Sessions(); len(got) != 1 || got[0].State != Working {
				t.Fatalf("sessions %+v", got)
			}
		})
	}
}

// TestScanSubagentCap: the cold start (ccwake status) links subagent files
// to their parent, reads a parent older than --since when one of its
// subagents holds a cap, and lists no subagent file as a session. A
// subagent whose cap a later reply in another subagent answered does not
// stall it.
func TestScanSubagentCap(t *testing.T) {
	for _, lay := range agentLayouts {
		t.Run(lay.name, func(t *testing.T) {
			root, proj := newRoot(t)
			sid := sessionOf(t, lay.parent)
			parent := filepath.Join(proj, sid+".jsonl")
			writeFile(t, parent, readFixture(t, lay.parent))
			old := time.Now().Add(-48 * time.Hour)
			if err := os.Chtimes(parent, old, old); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(proj, lay.dir(sid))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "agent-a7c1e2.jsonl"), []byte(asSubagent(t, lay.capFix, "error", sid, "sa-2", lay.at)))

			scan := func() []Session {
				t.Helper()
				got, warns, err := Scan(context.Background(), Config{Roots: []string{root}, Since: time.Hour, Loc: time.UTC})
				if err != nil || len(warns) > 0 {
					t.Fatalf("Scan: %v %v", err, warns)
				}
				return got
			}
			got := scan()
			if len(got) != 1 || got[0].Transcript != parent || got[0].State != Stalled || !got[0].Agent || !got[0].ResetsAt.Equal(lay.reset) {
				t.Fatalf("sessions %+v", got)
			}

			// Another subagent of the session later got a normal reply: the cap lifted.
			later := asSubagent(t, lay.parent, "reply", sid, "sb-1", "2026-11-22T16:30:00.000Z")
			writeFile(t, filepath.Join(dir, "agent-b9d4f0.jsonl"), []byte(later))
			if got := scan(); len(got) != 1 || got[0].State != Working {
				t.Fatalf("after a later reply: %+v", got)
			}
		})
	}
}
