package classify

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestParseAgentError: a main-thread tool_result reporting that an agent
// died on an API error carries that error, classified; tool output that
// only quotes the phrase does not.
func TestParseAgentError(t *testing.T) {
	brussels := mustLoad(t, "Europe/Brussels")
	line := func(content string) []byte {
		return fmt.Appendf(nil, `{"parentUuid":"a1","isSidechain":false,"userType":"external","cwd":"/home/dev/work","sessionId":"58eb676a-ed3f-4dac-a603-90423ac46816","version":"2.1.145","type":"user","message":{"role":"user","content":%s},"uuid":"u9","timestamp":"2026-11-22T23:40:12.120Z","toolUseResult":{"status":"error"}}`, content)
	}
	const capText = "Agent terminated early due to an API error: You've hit your session limit · resets 3:20am (Europe/Brussels)"
	cases := []struct {
		name    string
		content string
		kind    Kind
		limit   Limit
		reset   string
	}{
		{"string content", fmt.Sprintf(`[{"tool_use_id":"toolu_1","type":"tool_result","content":%q,"is_error":true}]`, capText),
			UsageLimit, FiveHour, "2026-11-23T02:20:00Z"},
		{"text blocks", fmt.Sprintf(`[{"tool_use_id":"toolu_1","type":"tool_result","content":[{"type":"text","text":%q}]}]`, capText),
			UsageLimit, FiveHour, "2026-11-23T02:20:00Z"},
		{"second block, curly apostrophe", fmt.Sprintf(`[{"type":"tool_result","tool_use_id":"t0","content":"ok"},{"type":"tool_result","tool_use_id":"t1","content":%q}]`,
			strings.ReplaceAll(capText, "'", "’")), UsageLimit, FiveHour, "2026-11-23T02:20:00Z"},
		{"subagent wording, weekly", `[{"type":"tool_result","tool_use_id":"t1","content":"Error: Subagent stopped due to an API error: You've hit your weekly limit · resets Nov 25, 10:12pm (America/New_York)"}]`,
			UsageLimit, SevenDay, "2026-11-26T03:12:00Z"},
		{"transient error of an agent", `[{"type":"tool_result","tool_use_id":"t1","content":"Agent terminated early due to an API error: API Error: 529 Overloaded."}]`,
			Overloaded, "", ""},
		{"quoted in tool output", fmt.Sprintf(`[{"type":"tool_result","tool_use_id":"t1","content":%q}]`, "log.txt:12: "+capText), "", "", ""},
		{"plain prompt", fmt.Sprintf("%q", capText), "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Parse(line(c.content), brussels)
			if err != nil {
				t.Fatal(err)
			}
			if c.kind == "" {
				if e.AgentErr != nil {
					t.Fatalf("AgentErr %+v, want none", e.AgentErr)
				}
				return
			}
			if e.AgentErr == nil {
				t.Fatal("no AgentErr")
			}
			if e.AgentErr.Kind != c.kind || e.AgentErr.Limit != c.limit {
				t.Errorf("kind %q/%q, want %q/%q", e.AgentErr.Kind, e.AgentErr.Limit, c.kind, c.limit)
			}
			if c.reset != "" {
				want, _ := time.Parse(time.RFC3339, c.reset)
				if !e.AgentErr.ResetsAt.Equal(want) {
					t.Errorf("reset %v, want %s", e.AgentErr.ResetsAt.UTC(), c.reset)
				}
			}
			if !strings.HasPrefix(e.AgentErr.Message, "You") && !strings.HasPrefix(e.AgentErr.Message, "API") {
				t.Errorf("message %q: want the error's own text", e.AgentErr.Message)
			}
		})
	}
}
