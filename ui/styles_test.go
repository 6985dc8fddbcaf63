package ui

import (
	"testing"

	"github.com/ccwake/ccwake/resume"
)

// Every phase in resume's table has a badge style, so a new phase cannot
// render unstyled by accident.
func TestEveryPhaseHasABadgeStyle(t *testing.T) {
	s := NewStyles(false, true)
	for _, p := range resume.Phases() {
		if _, ok := s.Badge[p]; !ok {
			t.Errorf("phase %q has no badge style", p)
		}
	}
}
