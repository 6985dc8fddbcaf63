package procs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// ErrEnvUnknown means the OS does not tell a process's environment (a
// zombie's on Linux; Linux and macOS tell their own processes'), so its
// Claude root is unknown. An unknown root is never evidence of the
// transcript's root: such a process can be a session's pane only through
// its sessions file or its screen (see Locate).
var ErrEnvUnknown = errors.New("process environment unknown")

// Identity is what a Claude process says about itself: the Claude root
// it runs under and, when it keeps one there, its sessions file.
type Identity struct {
	Root      string // its Claude root; "" when unknown
	RootKnown bool
	SameRoot  bool // rootKnown and root is the transcript's root
	// file is its sessions/<pid>.json (in its own root, or in the
	// transcript's root when its own is unknown) unless the file's
	// procStart shows it was left by an earlier process with this pid;
	// nil when there is none.
	File *SessionFile
	// exact: the file's procStart equals the process's, so it is this
	// process's own word. Only an exact file names a session; any file
	// that may be current rules other sessions out.
	Exact bool
}

// Identify reads pid's Claude root from its environment and its sessions
// file from that root. sessRoot is the transcript's root.
func Identify(ctx context.Context, procs Table, pid int, sessRoot string, start string) Identity {
	id := RootOf(ctx, procs, pid, sessRoot)
	dir := id.Root
	if !id.RootKnown {
		dir = sessRoot
	}
	if dir == "" {
		return id
	}
	sf, err := ReadSessionFile(SessionFilePath(dir, pid))
	if err != nil || (sf.ProcStart != "" && start != "" && sf.ProcStart != start) {
		return id // none, or stale: an earlier process with this pid
	}
	id.File, id.Exact = &sf, StartMatches(sf.ProcStart, start)
	return id
}

// RootOf reads pid's Claude root from its environment and compares it
// with sessRoot, the transcript's root. The sessions file is left unread.
func RootOf(ctx context.Context, procs Table, pid int, sessRoot string) Identity {
	var id Identity
	env, err := procs.Environ(ctx, pid)
	if err != nil {
		return id
	}
	root, ok := ClaudeRoot(env)
	if !ok {
		return id
	}
	if !filepath.IsAbs(root) { // relative to where Claude started; its cwd is the best guess
		if cwd, err := procs.Cwd(ctx, pid); err == nil {
			root = filepath.Join(cwd, root)
		}
	}
	id.Root, id.RootKnown = filepath.Clean(root), true
	id.SameRoot = SameRoot(id.Root, sessRoot)
	return id
}

// ClaudeRoot is the root Claude Code uses for an environment:
// $CLAUDE_CONFIG_DIR when set and non-empty, else $HOME/.claude. false when
// neither is set.
func ClaudeRoot(env []string) (string, bool) {
	var home, dir string
	var hasDir bool
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "CLAUDE_CONFIG_DIR":
			dir, hasDir = v, true
		case "HOME":
			home = v
		}
	}
	switch {
	case hasDir && dir != "":
		return dir, true
	case home != "":
		return filepath.Join(home, ".claude"), true
	}
	return "", false
}

// SameRoot reports whether two Claude roots are one directory: the same
// inode, however reached (symlink, bind mount, trailing slash). A root that
// does not exist is nobody's root.
func SameRoot(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// OtherSession returns the session id its sessions file names when that is
// not sessionID ("" otherwise).
func (id Identity) OtherSession(sessionID string) string {
	if id.File == nil || id.File.SessionID == sessionID {
		return ""
	}
	return id.File.SessionID
}
