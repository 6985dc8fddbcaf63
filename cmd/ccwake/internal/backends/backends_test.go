package backends

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestBackendNames(t *testing.T) {
	only := func(installed ...string) func(string) (string, error) {
		return func(name string) (string, error) {
			if slices.Contains(installed, name) {
				return "/usr/bin/" + name, nil
			}
			return "", errors.New("not found")
		}
	}
	tests := []struct {
		flag      string
		installed []string
		want      []string
		err       string
	}{
		{"", []string{"tmux", "screen"}, []string{"tmux", "screen"}, ""},
		{"", []string{"screen"}, []string{"screen"}, ""},
		{"", nil, nil, "no terminal backend found"},
		{"screen", []string{"tmux", "screen"}, []string{"screen"}, ""},
		{" screen, tmux ,screen", []string{"tmux", "screen"}, []string{"screen", "tmux"}, ""},
		{"wezterm", []string{"tmux"}, nil, `unknown backend "wezterm"`},
		{"kitty", []string{"kitty"}, []string{"kitty"}, ""},
		{"screen", []string{"tmux"}, nil, "screen not found in $PATH"},
		{",", []string{"tmux"}, nil, "names no backend"},
	}
	for _, tt := range tests {
		got, err := Names(tt.flag, only(tt.installed...))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Names(%q) = %q, %v; want error %q", tt.flag, got, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Names(%q) = %q, %v; want %q", tt.flag, got, err, tt.want)
		}
	}
}
