package mux

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
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

// ErrCwdGone means the session's working directory no longer exists (or
// is no directory): it was moved or deleted, and reopening it elsewhere
// would resume the session in the wrong project.
var ErrCwdGone = errors.New("the session's cwd no longer exists")

// CheckCwd says whether dir can be a reopened session's working directory:
// nil when it is a directory, ErrCwdGone (wrapped with what was found) when
// it is gone or no directory, another error when it cannot be told.
func CheckCwd(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w: %s was moved or deleted", ErrCwdGone, dir)
	case err != nil:
		return fmt.Errorf("the session's cwd %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("%w: %s is no directory now", ErrCwdGone, dir)
	}
	return nil
}
