package classify

import (
	"regexp"
	"strings"
)

// maxToolText bounds how much of a tool_result is decoded to look for an
// agent's API error: the report leads the result, and results reach
// megabytes.
const maxToolText = 1024

// agentErrRE is the shape of a tool_result reporting that an agent (a Task
// subagent or a background agent) died on an API error: "Agent terminated
// early due to an API error: You've hit your session limit · resets 3:20am
// (Europe/Brussels)". It must lead the result, so tool output that merely
// quotes the phrase (a grep of a log) does not count.
var agentErrRE = regexp.MustCompile(`(?is)^\W{0,8}(?:error:\s*)?(?:sub-?)?agent\b[^\n]{0,100}?\b(?:due to|because of|after|with) an api error\b:?\s*(\S.*)$`)

// agentErrorText returns the API error text of the first tool_result
// block in a user entry's content that reports an agent dying on one, or "".
func agentErrorText(content string) string {
	var out string
	eachElement(content, func(block string) bool {
		if member(block, "type") != `"tool_result"` {
			return true
		}
		text := toolResultText(member(block, "content"))
		if m := agentErrRE.FindStringSubmatch(text); m != nil {
			out = strings.TrimSpace(m[1])
			return false
		}
		return true
	})
	return out
}

// toolResultText decodes the start of a tool_result's content: a string,
// or the text of its first text block.
func toolResultText(raw string) string {
	return stringPrefix(firstText(raw), maxToolText)
}
