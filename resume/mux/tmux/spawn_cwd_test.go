package tmux

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/resume/mux"
)

// The spawner itself refuses a cwd that is gone: tmux would start the
// program in its server's directory instead.
func TestTmuxSpawnerRefusesAGoneCwd(t *testing.T) {
	run := &countRunner{}
	sp := Spawner{Tmux: New(run, "/nonexistent/sock")}
	_, err := sp.Spawn(t.Context(), mux.SpawnSpec{Cwd: filepath.Join(t.TempDir(), "gone"), Argv: []string{"/bin/true"}})
	if err == nil || !strings.Contains(err.Error(), "moved or deleted") {
		t.Fatalf("Spawn into a gone cwd: %v", err)
	}
	if run.n != 0 {
		t.Fatalf("tmux ran %d times", run.n)
	}
}

// countRunner counts the commands it is asked to run and runs none.
type countRunner struct{ n int }

func (c *countRunner) Run(context.Context, ...string) ([]byte, error) {
	c.n++
	return nil, errors.New("countRunner runs nothing")
}
