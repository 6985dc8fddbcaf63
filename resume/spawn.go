package resume

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

// HolderFinder lists the live Claude Code processes that may hold a session,
// in any terminal or none. A session is reopened only when this returns no
// process and no error.
type HolderFinder interface {
	Holders(ctx context.Context, s watch.Session) ([]procs.Holder, error)
}

// ReopenConfig is the opt-in reopening of sessions whose process is gone.
type ReopenConfig struct {
	// Auto reopens every stalled session with no live process (--reopen).
	// Off, a session is reopened only when the user asks (Engine.Reopen).
	Auto bool
	// ClaudeBin is the absolute path of the claude to run (--claude-bin).
	ClaudeBin string
	// Home is the user's home: a session under Home/.claude runs with the
	// environment as it is, any other root with CLAUDE_CONFIG_DIR=<root>.
	Home string
	// Spawner starts the window; Holders tells whether a process still
	// holds the session. Reopening is off unless both are set.
	Spawner mux.Spawner
	Holders HolderFinder
}

// enabled reports whether reopening can happen at all.
func (c ReopenConfig) enabled() bool {
	return c.Spawner != nil && c.Holders != nil && c.ClaudeBin != ""
}

// ReopenSpec is what reopening s runs: `claude --resume=<id>` in the
// session's cwd, with its Claude root. The id goes in the option's own
// word, so that no program reads it as another option; an id not of the
// shape Claude Code writes (ValidSessionID) is refused.
func ReopenSpec(s watch.Session, claudeBin, home string) (mux.SpawnSpec, error) {
	if !ValidSessionID(s.ID) {
		return mux.SpawnSpec{}, errBadSessionID(s.ID)
	}
	if s.Cwd == "" {
		return mux.SpawnSpec{}, errors.New("the session's cwd is unknown")
	}
	spec := mux.SpawnSpec{Cwd: s.Cwd, Argv: []string{claudeBin, "--resume=" + s.ID}}
	if s.Root != "" && (home == "" || !procs.SameRoot(s.Root, filepath.Join(home, ".claude"))) {
		spec.Env = []string{"CLAUDE_CONFIG_DIR=" + s.Root}
	}
	return spec, nil
}
