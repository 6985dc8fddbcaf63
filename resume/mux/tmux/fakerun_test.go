package tmux

import (
	"testing"

	"github.com/ccwake/ccwake/internal/fakerun"
)

func newFakeRunner(t testing.TB) *fakerun.Runner { return fakerun.New(t) }
