package watch

import (
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// TestTrackerAgentCap: a usage cap that a subagent or background agent hit
// stalls the session while the main thread stays idle after it, in any
// arrival order; transient subagent errors, later main-thread activity and
// later successful replies leave it working.
func TestTrackerAgentCap(t *testing.T) {
	reset := time.Date(2026, 11, 23, 2, 20, 0, 0, time.UTC)
	capped := &classify.APIError{Kind: classify.UsageLimit, Limit: classify.FiveHour, Message: "You've hit your session limit · resets 3:20am (Europe/Brussels)", ResetsAt: reset, ResetFromText: true}
	overloaded := &classify.APIError{Kind: classify.Overloaded, Message: "API Error: 529 Overloaded"}
	side := func(e classify.Entry) classify.Entry { e.Sidechain = true; return e }
	toolResult := func(uuid, ts string, err *classify.APIError) classify.Entry {
		e := entry(classify.User, uuid, ts, nil)
		e.AgentErr = err
		return e
	}
	cases := []struct {
		name     string
		entries  []classify.Entry
		stalled  bool
		stallAt  string
		lastUUID string
	}{
		{"sidechain cap after the last main entry", []classify.Entry{
			entry(classify.User, "u1", "2026-11-22T23:30:00Z", nil),
			entry(classify.Assistant, "a1", "2026-11-22T23:30:05Z", nil), // tool_use starting the agent
			side(entry(classify.User, "s1", "2026-11-22T23:30:06Z", nil)),
			side(entry(classify.Assistant, "s2", "2026-11-22T23:31:00Z", nil)),
			side(entry(classify.Assistant, "s3", "2026-11-22T23:40:00Z", capped)),
		}, true, "2026-11-22T23:40:00Z", "a1"},
		{"tool_result reporting the cap is the last main entry", []classify.Entry{
			entry(classify.User, "u1", "2026-11-22T23:30:00Z", nil),
			entry(classify.Assistant, "a1", "2026-11-22T23:30:05Z", nil),
			toolResult("u2", "2026-11-22T23:40:12Z", capped),
		}, true, "2026-11-22T23:40:12Z", "u2"},
		{"main-thread reply after the cap: not idle", []classify.Entry{
			entry(classify.Assistant, "a1", "2026-11-22T23:30:05Z", nil),
			side(entry(classify.Assistant, "s3", "2026-11-22T23:40:00Z", capped)),
			entry(classify.Assistant, "a2", "2026-11-22T23:41:00Z", nil),
		}, false, "", "a2"},
		{"user prompt after the cap: a human is active", []classify.Entry{
			toolResult("u2", "2026-11-22T23:40:12Z", capped),
			entry(classify.User, "u3", "2026-11-22T23:45:00Z", nil),
		}, false, "", "u3"},
		{"another agent's later success: the cap lifted", []classify.Entry{
			entry(classify.Assistant, "a1", "2026-11-22T23:30:05Z", nil),
			side(entry(classify.Assistant, "s3", "2026-11-22T23:40:00Z", capped)),
			side(entry(classify.Assistant, "s9", "2026-11-22T23:50:00Z", nil)),
		}, false, "", "a1"},
		{"transient subagent error: the main thread's to handle", []classify.Entry{
			entry(classify.Assistant, "a1", "2026-11-22T23:30:05Z", nil),
			side(entry(classify.Assistant, "s3", "2026-11-22T23:40:00Z", overloaded)),
			toolResult("u2", "2026-11-22T23:40:12Z", overloaded),
		}, false, "", "u2"},
		{"cap before the main thread's last reply", []classify.Entry{
			side(entry(classify.Assistant, "s3", "2026-11-22T23:40:00Z", capped)),
			entry(classify.Assistant, "a2", "2026-11-22T23:40:30Z", nil),
		}, false, "", "a2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, rev := range []bool{false, true} {
				tr := NewTracker("/r", "/r/projects/-w/abc.jsonl")
				for k := range c.entries {
					i := k
					if rev {
						i = len(c.entries) - 1 - k
					}
					tr.Add(c.entries[i])
				}
				s := tr.Session()
				if (s.State == Stalled) != c.stalled || s.Agent != c.stalled || s.LastUUID != c.lastUUID {
					t.Fatalf("reversed=%v: state %s agent %v last %q, want stalled=%v last %q", rev, s.State, s.Agent, s.LastUUID, c.stalled, c.lastUUID)
				}
				if !c.stalled {
					if s.Kind != "" || !s.ResetsAt.IsZero() {
						t.Fatalf("working view carries kind %q reset %v", s.Kind, s.ResetsAt)
					}
					continue
				}
				want, _ := time.Parse(time.RFC3339, c.stallAt)
				if s.Kind != classify.UsageLimit || s.Limit != classify.FiveHour || !s.ResetsAt.Equal(reset) || !s.ResetFromText ||
					s.Attempts != 1 || !s.StalledAt.Equal(want) || !s.ErrorAt.Equal(want) || s.Message != capped.Message {
					t.Fatalf("reversed=%v: %+v", rev, s)
				}
			}
		})
	}
}
