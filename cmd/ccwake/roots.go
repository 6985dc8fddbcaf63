package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// resolveRoots returns the Claude config roots to watch: the --claude-dir
// values, else $CLAUDE_CONFIG_DIR, else ~/.claude. Each must exist: a missing
// root is almost always a typo, and watching nothing silently helps no one.
func resolveRoots(flagged []string, getenv func(string) string) ([]string, error) {
	roots := flagged
	if len(roots) == 0 {
		if d := getenv("CLAUDE_CONFIG_DIR"); d != "" {
			roots = []string{d}
		} else {
			home := getenv("HOME")
			if home == "" {
				return nil, errors.New("no --claude-dir, no $CLAUDE_CONFIG_DIR and no $HOME: cannot find a Claude root")
			}
			roots = []string{filepath.Join(home, ".claude")}
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, fmt.Errorf("claude root %s: %w", r, err)
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("claude root %s: %w (set --claude-dir or $CLAUDE_CONFIG_DIR)", abs, err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("claude root %s: not a directory", abs)
		}
		if !seen[abs] {
			seen[abs] = true
			out = append(out, abs)
		}
	}
	return out, nil
}
