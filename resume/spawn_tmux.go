package resume

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// TmuxSpawner starts programs in new tmux windows: in the server's current
// session when a server runs, else in a new detached session (which starts
// the server).
type TmuxSpawner struct {
	Tmux *Tmux
	// Session is the name of a session made when no server runs.
	Session string
}

var _ Spawner = TmuxSpawner{}

// spawnArgs is the tmux command for spec: new-window, or new-session -d.
// -d keeps the user's view where it is; -P -F prints the new pane's id.
func spawnArgs(spec SpawnSpec, newSession bool, session string) []string {
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
func (t TmuxSpawner) Spawn(ctx context.Context, spec SpawnSpec) (string, error) {
	if len(spec.Argv) == 0 || spec.Cwd == "" {
		return "", errors.New("spawn: no program or no cwd")
	}
	if err := checkCwd(spec.Cwd); err != nil { // tmux would start it in its own directory instead
		return "", fmt.Errorf("spawn %s: %w", spec.Argv[0], err)
	}
	out, err := t.Tmux.call(ctx, spawnArgs(spec, false, "")...)
	if errors.Is(err, ErrNoServer) {
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
