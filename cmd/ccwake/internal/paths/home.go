package paths

import (
	"path/filepath"
	"strings"
)

// ExpandHome turns a leading ~/ into $HOME/: the shell does it for flags,
// nobody does it for the config file or the environment.
func ExpandHome(p string, getenv func(string) string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}
