package procs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestProcTree(t *testing.T) {
	tree := NewTree([]Proc{
		{PID: 1, PPID: 0}, {PID: 10, PPID: 1}, {PID: 11, PPID: 10}, {PID: 12, PPID: 11},
		{PID: 13, PPID: 10}, {PID: 20, PPID: 1}, {PID: 30, PPID: 30}, // self-parented: no loop
	})
	if got := tree.Descendants(10); !slices.Equal(got, []int{10, 11, 13, 12}) {
		t.Errorf("descendants(10) = %v, want breadth first [10 11 13 12]", got)
	}
	if got := tree.Descendants(99); got != nil {
		t.Errorf("descendants(missing) = %v", got)
	}
	for _, tt := range []struct {
		root, pid int
		want      bool
	}{{10, 12, true}, {10, 10, true}, {10, 20, false}, {12, 10, false}, {30, 12, false}, {10, 30, false}, {10, 99, false}} {
		if got := tree.Contains(tt.root, tt.pid); got != tt.want {
			t.Errorf("contains(%d, %d) = %v", tt.root, tt.pid, got)
		}
	}
}

func TestClaudeNames(t *testing.T) {
	for _, tt := range []struct {
		name string
		want bool
	}{{"claude", true}, {"node", true}, {"2.1.34", true}, {"bash", false}, {"vi", false}, {"claude-x", false}, {"2.1", false}} {
		if got := IsClaudeName(tt.name); got != tt.want {
			t.Errorf("IsClaudeName(%q) = %v", tt.name, got)
		}
	}
	for _, tt := range []struct {
		argv []string
		want bool
	}{
		{[]string{"node", "/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js"}, true},
		{[]string{"node", "--no-warnings", "/home/u/.npm/lib/node_modules/@anthropic-ai/claude-code/cli.js", "--resume"}, true},
		{[]string{"node", "/srv/app/cli.js"}, false},
		{[]string{"node", "server.js", "@anthropic-ai/claude-code"}, false},
		{nil, false},
	} {
		if got := isClaudeCLI(tt.argv); got != tt.want {
			t.Errorf("isClaudeCLI(%q) = %v", tt.argv, got)
		}
	}
}

func TestSameDir(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	link := filepath.Join(dir, "link")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		proc, session string
		want          bool
	}{
		{real, real, true}, {real, real + "/", true}, {real, link, true}, {real + " (deleted)", real, true},
		{real, dir, false}, {"", real, false}, {real, "", false}, {link, real, false},
	} {
		if got := SameDir(tt.proc, tt.session); got != tt.want {
			t.Errorf("SameDir(%q, %q) = %v", tt.proc, tt.session, got)
		}
	}
}

func TestStartMatches(t *testing.T) {
	for _, tt := range []struct {
		file, proc string
		want       bool
	}{{"5", "5", true}, {"5", "6", false}, {"", "5", false}, {"5", "", true}, {"", "", true}} {
		if got := StartMatches(tt.file, tt.proc); got != tt.want {
			t.Errorf("StartMatches(%q, %q) = %v", tt.file, tt.proc, got)
		}
	}
}
