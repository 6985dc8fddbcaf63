package paths

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// StateDir returns where ccwake keeps what must survive a restart:
// --state-dir, else $XDG_STATE_HOME/ccwake (when absolute, as the XDG spec
// asks), else $HOME/.local/state/ccwake. It is never inside a Claude root:
// ccwake never writes there.
func StateDir(flagged string, roots []string, getenv func(string) string) (string, error) {
	dir := flagged
	switch {
	case dir != "":
	case filepath.IsAbs(getenv("XDG_STATE_HOME")):
		dir = filepath.Join(getenv("XDG_STATE_HOME"), "ccwake")
	case getenv("HOME") != "":
		dir = filepath.Join(getenv("HOME"), ".local", "state", "ccwake")
	default:
		return "", errors.New("no --state-dir, no $XDG_STATE_HOME and no $HOME: cannot place the state file")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("state dir %s: %w", dir, err)
	}
	if r, ok := InsideRoot(abs, roots); ok {
		return "", fmt.Errorf("state dir %s is inside the Claude root %s: ccwake never writes there (set --state-dir)", abs, r)
	}
	return abs, nil
}

// InsideRoot reports the root that the absolute path abs is or lies in,
// through symlinks on either side.
func InsideRoot(abs string, roots []string) (string, bool) {
	for _, r := range roots {
		for _, root := range []string{filepath.Clean(r), realPath(r)} {
			for _, d := range []string{abs, realPath(abs)} {
				if d == root || strings.HasPrefix(d, root+string(filepath.Separator)) {
					return r, true
				}
			}
		}
	}
	return "", false
}

// realPath resolves the symlinks of p's longest existing prefix.
func realPath(p string) string {
	p = filepath.Clean(p)
	var rest []string
	for {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(append([]string{real}, rest...)...)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(append([]string{p}, rest...)...)
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
}
