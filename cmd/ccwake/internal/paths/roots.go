// Package paths says where ccwake's files are: the Claude roots it
// watches, the state directory of earlier versions, the per-root record of
// what was typed, and ~ in a setting.
package paths

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DefaultRoots is the root used without --claude-dir: $CLAUDE_CONFIG_DIR,
// else ~/.claude; why says which.
func DefaultRoots(getenv func(string) string) (roots []string, why string) {
	if d := getenv("CLAUDE_CONFIG_DIR"); d != "" {
		return []string{ExpandHome(d, getenv)}, "$CLAUDE_CONFIG_DIR"
	}
	if home := getenv("HOME"); home != "" {
		return []string{filepath.Join(home, ".claude")}, "~/.claude"
	}
	return nil, "no $CLAUDE_CONFIG_DIR, no $HOME"
}

// Roots returns the Claude config roots to watch: the --claude-dir
// values, else $CLAUDE_CONFIG_DIR, else ~/.claude. Each must be a readable
// Claude root, a directory holding projects/: watching the wrong directory
// would print "no stalled sessions" forever, which is worse than an error.
func Roots(flagged []string, getenv func(string) string) ([]string, error) {
	roots := flagged
	if len(roots) == 0 {
		roots, _ = DefaultRoots(getenv)
		if len(roots) == 0 {
			return nil, errors.New("no --claude-dir, no $CLAUDE_CONFIG_DIR and no $HOME: cannot find a Claude root")
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range roots {
		abs, err := filepath.Abs(ExpandHome(r, getenv))
		if err != nil {
			return nil, fmt.Errorf("claude root %s: %w", r, err)
		}
		if err := checkRoot(abs); err != nil {
			return nil, err
		}
		if !seen[abs] {
			seen[abs] = true
			out = append(out, abs)
		}
	}
	return out, nil
}

// checkRoot says what is wrong with a Claude root, and what to pass instead
// when the directory is recognisably a part of one.
func checkRoot(root string) error {
	fi, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("claude root %s: no such directory (set --claude-dir or $CLAUDE_CONFIG_DIR to the directory that holds projects/)", root)
	case err != nil:
		return fmt.Errorf("claude root %s: %w", root, err)
	case !fi.IsDir():
		return fmt.Errorf("claude root %s: not a directory", root)
	}
	projects := filepath.Join(root, "projects")
	pfi, err := os.Stat(projects)
	switch {
	case err == nil && pfi.IsDir():
		if err := canList(projects); err != nil {
			return fmt.Errorf("claude root %s: cannot read projects/: %w", root, unwrapPath(err))
		}
		return nil
	case err == nil:
		return fmt.Errorf("claude root %s: projects is not a directory", root)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("claude root %s: cannot read it: %w", root, unwrapPath(err))
	}
	// No projects/: say what this directory looks like instead.
	ents, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("claude root %s: cannot read it: %w", root, unwrapPath(err))
	}
	if filepath.Base(root) == "projects" {
		return fmt.Errorf("claude root %s is the projects directory itself: use --claude-dir %s", root, filepath.Dir(root))
	}
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".jsonl") {
			return fmt.Errorf("claude root %s holds transcripts: it is one project's directory; use --claude-dir %s",
				root, filepath.Dir(filepath.Dir(root)))
		}
	}
	return fmt.Errorf("claude root %s has no projects/ directory: not a Claude Code config dir, or Claude Code never ran with it "+
		"(point --claude-dir at the directory that holds projects/, usually ~/.claude)", root)
}

// canList reports whether dir can be listed by reading one entry: a root
// may hold thousands of projects, and the watcher lists them all anyway.
func canList(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.ReadDir(1); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// unwrapPath drops the *PathError's op and path, already in the message.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
