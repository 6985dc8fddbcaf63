package resume

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

// procIdentity is what a Claude process says about itself: the Claude root
// it runs under and, when it keeps one there, its sessions file.
type procIdentity struct {
	root      string // its Claude root; "" when unknown
	rootKnown bool
	sameRoot  bool // rootKnown and root is the transcript's root
	// file is its sessions/<pid>.json (in its own root, or in the
	// transcript's root when its own is unknown) unless the file's
	// procStart shows it was left by an earlier process with this pid;
	// nil when there is none.
	file *SessionFile
	// exact: the file's procStart equals the process's, so it is this
	// process's own word. Only an exact file names a session; any file
	// that may be current rules other sessions out.
	exact bool
}

// identify reads pid's Claude root from its environment and its sessions
// file from that root. sessRoot is the transcript's root.
func identify(ctx context.Context, procs ProcTable, pid int, sessRoot string, start string) procIdentity {
	id := procRoot(ctx, procs, pid, sessRoot)
	dir := id.root
	if !id.rootKnown {
		dir = sessRoot
	}
	if dir == "" {
		return id
	}
	sf, err := ReadSessionFile(SessionFilePath(dir, pid))
	if err != nil || (sf.ProcStart != "" && start != "" && sf.ProcStart != start) {
		return id // none, or stale: an earlier process with this pid
	}
	id.file, id.exact = &sf, startMatches(sf.ProcStart, start)
	return id
}

// procRoot reads pid's Claude root from its environment and compares it
// with sessRoot, the transcript's root. The sessions file is left unread.
func procRoot(ctx context.Context, procs ProcTable, pid int, sessRoot string) procIdentity {
	var id procIdentity
	env, err := procs.Environ(ctx, pid)
	if err != nil {
		return id
	}
	root, ok := claudeRoot(env)
	if !ok {
		return id
	}
	if !filepath.IsAbs(root) { // relative to where Claude started; its cwd is the best guess
		if cwd, err := procs.Cwd(ctx, pid); err == nil {
			root = filepath.Join(cwd, root)
		}
	}
	id.root, id.rootKnown = filepath.Clean(root), true
	id.sameRoot = sameRoot(id.root, sessRoot)
	return id
}

// claudeRoot is the root Claude Code uses for an environment:
// $CLAUDE_CONFIG_DIR when set and non-empty, else $HOME/.claude. false when
// neither is set.
func claudeRoot(env []string) (string, bool) {
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

// sameRoot reports whether two Claude roots are one directory: the same
// inode, however reached (symlink, bind mount, trailing slash). A root that
// does not exist is nobody's root.
func sameRoot(a, b string) bool {
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

// otherSession returns the session id its sessions file names when that is
// not sessionID ("" otherwise).
func (id procIdentity) otherSession(sessionID string) string {
	if id.file == nil || id.file.SessionID == sessionID {
		return ""
	}
	return id.file.SessionID
}
