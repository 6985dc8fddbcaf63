package procs

import (
	"os"
	"path/filepath"
	"testing"
)

func TestClaudeRoot(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  []string
		want string
		ok   bool
	}{
		{"config dir wins", []string{"HOME=/h", "CLAUDE_CONFIG_DIR=/r2"}, "/r2", true},
		{"home", []string{"PATH=/bin", "HOME=/h"}, "/h/.claude", true},
		{"empty config dir means unset", []string{"CLAUDE_CONFIG_DIR=", "HOME=/h"}, "/h/.claude", true},
		{"value with =", []string{"CLAUDE_CONFIG_DIR=/a=b"}, "/a=b", true},
		{"neither", []string{"PATH=/bin"}, "", false},
		{"nothing", nil, "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ClaudeRoot(tt.env)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ClaudeRoot(%q) = %q, %v; want %q, %v", tt.env, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSameRoot(t *testing.T) {
	dir := t.TempDir()
	r1, r2 := filepath.Join(dir, "r1"), filepath.Join(dir, "r2")
	for _, d := range []string{r1, r2} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(r1, link); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{r1, r1, true},
		{r1 + "/", r1, true},
		{link, r1, true},
		{r1, r2, false},
		{filepath.Join(dir, "missing"), r1, false},
		{"", r1, false},
	} {
		if got := SameRoot(tt.a, tt.b); got != tt.want {
			t.Errorf("SameRoot(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
