// Package backends names the terminal backends ccwake can type into and
// resolves --backends to those installed.
package backends

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Known are the terminal backends ccwake can type into, in the
// order they are searched.
var Known = []string{"tmux", "screen", "kitty"}

// Names resolves --backends: a comma-separated list of known
// backends, or "" for every one whose program is on $PATH. An error says
// what is wrong or that none is installed.
func Names(flag string, lookPath func(string) (string, error)) ([]string, error) {
	if strings.TrimSpace(flag) == "" {
		var found []string
		for _, b := range Known {
			if _, err := lookPath(b); err == nil {
				found = append(found, b)
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("no terminal backend found in $PATH (%s)", strings.Join(Known, ", "))
		}
		return found, nil
	}
	var names []string
	for _, n := range strings.Split(flag, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
			continue
		case !slices.Contains(Known, n):
			return nil, fmt.Errorf("--backends: unknown backend %q (known: %s)", n, strings.Join(Known, ", "))
		case slices.Contains(names, n):
			continue
		}
		if _, err := lookPath(n); err != nil {
			return nil, fmt.Errorf("--backends: %s not found in $PATH", n)
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("--backends %q names no backend", flag)
	}
	return names, nil
}

// NeedTmux says whether tmux must be on $PATH, and is not: only where it is
// used, as a backend (named, found, or the fallback when none is) or by
// --reopen, which starts sessions in new tmux windows. `--backends screen`
// or `kitty` alone runs without it.
func NeedTmux(reopen bool, backends []string, lookPath func(string) (string, error)) error {
	if !reopen && !slices.Contains(backends, "tmux") {
		return nil
	}
	if _, err := lookPath("tmux"); err == nil {
		return nil
	}
	if reopen {
		return errors.New("--reopen starts sessions in new tmux windows, but tmux is not in $PATH (install tmux, or drop --reopen)")
	}
	return errors.New("tmux not found in $PATH: ccwake resumes sessions by typing into tmux panes (install tmux, pass --backends screen or kitty, or use `ccwake status`)")
}
