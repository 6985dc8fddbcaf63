package mux

import (
	"context"
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
