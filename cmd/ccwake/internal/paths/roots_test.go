package paths

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveRoots(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	b := filepath.Join(dir, "b")
	home := filepath.Join(dir, "home")
	for _, d := range []string{a, b, filepath.Join(home, ".claude")} {
		if err := os.MkdirAll(filepath.Join(d, "projects"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Directories that are part of a Claude root, or not one at all.
	project := filepath.Join(a, "projects", "-home-dev-app")
	bare := filepath.Join(dir, "bare")
	filesAsProjects := filepath.Join(dir, "weird")
	for _, d := range []string{project, bare, filesAsProjects} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(project, "x.jsonl"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filesAsProjects, "projects"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	tests := []struct {
		name    string
		flagged []string
		env     map[string]string
		want    []string
		wantErr string
	}{
		{"flags win", []string{a, b, a}, map[string]string{"CLAUDE_CONFIG_DIR": b}, []string{a, b}, ""},
		{"env", nil, map[string]string{"CLAUDE_CONFIG_DIR": b, "HOME": home}, []string{b}, ""},
		{"home", nil, map[string]string{"HOME": home}, []string{filepath.Join(home, ".claude")}, ""},
		{"missing", []string{filepath.Join(dir, "nope")}, nil, nil, "no such directory"},
		{"the projects dir", []string{filepath.Join(a, "projects")}, nil, nil, "is the projects directory itself: use --claude-dir " + a},
		{"a project dir", []string{project}, nil, nil, "one project's directory; use --claude-dir " + a},
		{"no projects/", []string{bare}, nil, nil, bare + " has no projects/ directory"},
		{"projects is a file", []string{filesAsProjects}, nil, nil, "projects is not a directory"},
		{"tilde", []string{"~/.claude"}, map[string]string{"HOME": home}, []string{filepath.Join(home, ".claude")}, ""},
		{"not a dir", []string{file}, nil, nil, "not a directory"},
		{"nothing", nil, map[string]string{}, nil, "cannot find a Claude root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Roots(tt.flagged, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("roots = %v, want %v", got, tt.want)
			}
		})
	}
}
