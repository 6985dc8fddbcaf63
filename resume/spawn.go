package resume

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"github.com/ccwake/ccwake/watch"
)

// SpawnSpec is a program to start in a new terminal window.
type SpawnSpec struct {
	Cwd  string   // its working directory
	Env  []string // "KEY=value" added to the window's environment
	Argv []string // the program and its arguments (no shell)
}

// Spawner starts a program in a new terminal window and returns the pane it
// runs in. It is the only thing reopening needs from a terminal backend.
type Spawner interface {
	Spawn(ctx context.Context, spec SpawnSpec) (pane string, err error)
}

// HolderFinder lists the live Claude Code processes that may hold a session,
// in any terminal or none. A session is reopened only when this returns no
// process and no error.
type HolderFinder interface {
	Holders(ctx context.Context, s watch.Session) ([]Holder, error)
}

// Holder is one live Claude Code process that may hold a session.
type Holder struct {
	PID int
	Why string // "its sessions file names this session", "in the session's cwd under its root", …
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
	Spawner Spawner
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
func ReopenSpec(s watch.Session, claudeBin, home string) (SpawnSpec, error) {
	if !ValidSessionID(s.ID) {
		return SpawnSpec{}, errBadSessionID(s.ID)
	}
	if s.Cwd == "" {
		return SpawnSpec{}, errors.New("the session's cwd is unknown")
	}
	spec := SpawnSpec{Cwd: s.Cwd, Argv: []string{claudeBin, "--resume=" + s.ID}}
	if s.Root != "" && (home == "" || !sameRoot(s.Root, filepath.Join(home, ".claude"))) {
		spec.Env = []string{"CLAUDE_CONFIG_DIR=" + s.Root}
	}
	return spec, nil
}

// String shows the spec as a shell line, for the dashboard and status.
func (s SpawnSpec) String() string {
	var b strings.Builder
	b.WriteString("cd " + shellWord(s.Cwd) + " && ")
	for _, kv := range s.Env {
		k, v, _ := strings.Cut(kv, "=")
		b.WriteString(k + "=" + shellWord(v) + " ")
	}
	for i, a := range s.Argv {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(shellWord(a))
	}
	return b.String()
}

// shellWord quotes a word for a POSIX shell when it needs it.
func shellWord(w string) string {
	if w != "" && strings.IndexFunc(w, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
	}) < 0 {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}
