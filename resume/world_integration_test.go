package resume

import (
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
)

// ccwakeIn runs one ccwake engine — the real watcher on the world's Claude
// root, the real pane.Actor on its tmux server, short backoffs — until the
// test ends.
func ccwakeIn(t *testing.T, w *testkit.World) *itEngine {
	t.Helper()
	env := &itEnv{t: t, root: w.Root, tmux: w.Tmux, sock: w.Tmux.Sock, bin: w.Bin}
	ie := env.newEngine(RealClock{}, nil)
	ie.run()
	return ie
}

// A Claude in a tmux pane stalls twice, on two kinds of error; ccwake types
// one continue for each stall and no more, as the transcript shows.
func TestWorldEachStallContinuedOnce(t *testing.T) {
	t.Parallel()
	w := testkit.NewWorld(t)
	c := w.Claude(testkit.ClaudeOpts{})
	ie := ccwakeIn(t, w)

	c.Stall("429")
	c.ExpectTyped(1)
	testkit.WaitFor(t, "the first stall resumed", ie.phaseIs(c.ID, Resumed), c.Dump)

	c.Stall("529")
	c.ExpectTyped(2)
	testkit.WaitFor(t, "the engine idle", ie.idle, c.Dump)
	if n := c.Typed(); n != 2 {
		t.Fatalf("%d continues typed for 2 stalls\n%s", n, c.Dump())
	}
}
