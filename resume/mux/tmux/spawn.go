package tmux

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ccwake/ccwake/resume/mux"
)

// Spawner starts programs in new tmux windows: in the server's current
// session when a server runs, else in a new detached session (which starts
// the server).
type Spawner struct {
	Tmux *Tmux
	// Session is the name of a session made when no server runs.
	Session string
}

var _ mux.Spawner = Spawner{}

// spawnArgs is the tmux command for spec: new-window, or new-session -d.
// -d keeps the user's view where it is; -P -F prints the new pane's id.
func spawnArgs(spec mux.SpawnSpec, newSession bool, session string) []string {
	args := []string{"new-window", "-d"}
	if newSession {
		args = []string{"new-session", "-d", "-s", session}
	}
	args = append(args, "-P", "-F", "#{pane_id}", "-c", spec.Cwd)
	for _, kv := range spec.Env {
		args = append(args, "-e", kv)
	}
	return append(append(args, "--"), spec.Argv...)
}

// Spawn starts spec and returns its pane id.
func (t Spawner) Spawn(ctx context.Context, spec mux.SpawnSpec) (string, error) {
	if len(spec.Argv) == 0 || spec.Cwd == "" {
		return "", errors.New("spawn: no program or no cwd")
	}
	if err := mux.CheckCwd(spec.Cwd); err != nil { // tmux would start it in its own directory instead
		return "", fmt.Errorf("spawn %s: %w", spec.Argv[0], err)
	}
	out, err := t.Tmux.call(ctx, spawnArgs(spec, false, "")...)
	if errors.Is(err, mux.ErrNoServer) {
		name := t.Session
		if name == "" {
			name = "ccwake"
		}
		out, err = t.Tmux.call(ctx, spawnArgs(spec, true, name)...)
	}
	if err != nil {
		return "", fmt.Errorf("spawn %s in tmux (%s): %w", spec.Argv[0], t.Tmux.where(), err)
	}
	pane := strings.TrimSpace(string(out))
	if !strings.HasPrefix(pane, "%") {
		return "", fmt.Errorf("spawn in tmux (%s): unexpected answer %q", t.Tmux.where(), pane)
	}
	return pane, nil
}
