package paths

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveStateDir(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "home", ".claude")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "link-to-claude")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name    string
		flag    string
		env     func(string) string
		want    string
		wantErr string
	}{
		{name: "flag wins", flag: "/var/x", env: env("XDG_STATE_HOME", "/xdg", "HOME", "/h"), want: "/var/x"},
		{name: "XDG_STATE_HOME", env: env("XDG_STATE_HOME", "/xdg", "HOME", "/h"), want: "/xdg/ccwake"},
		{name: "relative XDG_STATE_HOME ignored", env: env("XDG_STATE_HOME", "rel", "HOME", "/h"), want: "/h/.local/state/ccwake"},
		{name: "HOME", env: env("HOME", "/h"), want: "/h/.local/state/ccwake"},
		{name: "nothing", env: env(), wantErr: "cannot place the state file"},
		{name: "inside the root", flag: filepath.Join(root, "ccwake"), env: env(), wantErr: "inside the Claude root"},
		{name: "the root itself", flag: root, env: env(), wantErr: "inside the Claude root"},
		{name: "inside the root through a symlink", flag: filepath.Join(link, "state"), env: env(), wantErr: "inside the Claude root"},
		{name: "XDG inside the root", env: env("XDG_STATE_HOME", root), wantErr: "inside the Claude root"},
		{name: "a sibling with the root's name as prefix", flag: root + "-state", env: env(), want: root + "-state"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := StateDir(tc.flag, []string{root}, tc.env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %q, err %v; want error %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
