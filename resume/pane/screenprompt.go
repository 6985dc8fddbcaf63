package pane

import (
	"strings"
	"unicode"
)

// lastPromptOnScreen returns the text of the newest user prompt shown above
// the input box ("❯ fix the tests" and its indented continuation lines,
// marker removed, whitespace-normalised); "" when none is on screen.
func lastPromptOnScreen(text string) string {
	lines := splitScreen(text)
	top, _, ok := findInputBox(lines)
	if !ok {
		return ""
	}
	lines = lines[:top]
	for i := len(lines) - 1; i >= 0; i-- {
		if !isPromptLine(lines[i]) {
			continue
		}
		block := []string{lines[i]}
		for _, l := range lines[i+1:] {
			t := strings.TrimLeftFunc(l, unicode.IsSpace)
			if t == "" || t == l || strings.HasPrefix(t, replyDot) || strings.HasPrefix(t, replyHook) ||
				strings.HasPrefix(t, doneStar) {
				break
			}
			block = append(block, t)
		}
		return inputText(block)
	}
	return ""
}
