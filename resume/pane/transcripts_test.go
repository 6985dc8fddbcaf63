package pane

import (
	"os"
	"strings"
	"testing"
)

// userTexts lists the text of every main-thread user entry in a transcript.
func userTexts(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, `"type":"user"`) {
			continue
		}
		i := strings.Index(line, `"content":"`)
		if i < 0 {
			continue
		}
		rest := line[i+len(`"content":"`):]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			out = append(out, rest[:j])
		}
	}
	return out
}

func countText(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
