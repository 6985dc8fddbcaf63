package pane

import (
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
)

// userTexts lists the text of every main-thread user entry in a transcript
// (testkit's reader: one copy for every package's tests).
func userTexts(_ *testing.T, path string) []string { return testkit.UserTexts(path) }

func countText(list []string, s string) int { return testkit.Count(list, s) }
