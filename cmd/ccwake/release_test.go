package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Every release target of .goreleaser.yaml compiles: a darwin-only file
// that does not build would otherwise surface only at release time.
func TestCrossCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the whole module four times: skipped with -short")
	}
	cfg, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), "goos: [linux, darwin]") || !strings.Contains(string(cfg), "goarch: [amd64, arm64]") {
		t.Fatalf(".goreleaser.yaml no longer builds linux and darwin × amd64 and arm64: update this test")
	}
	for _, target := range []string{"darwin/amd64", "darwin/arm64", "linux/arm64"} { // linux/amd64: every other test builds it
		t.Run(target, func(t *testing.T) {
			goos, goarch, _ := strings.Cut(target, "/")
			cmd := exec.Command(goCmd(), "build", "./...")
			cmd.Dir = filepath.Join("..", "..")
			cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("GOOS=%s GOARCH=%s go build ./...: %v\n%s", goos, goarch, err, out)
			}
		})
	}
}

// scripts/need-tmux.sh uses a tmux it finds on any OS, and without tmux or
// apt-get says what to install and fails.
func TestNeedTmux(t *testing.T) {
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "need-tmux.sh"))
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	for _, tool := range []string{"bash", "cat", "id"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s not found", tool)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	run := func(env ...string) (string, error) {
		cmd := exec.Command(filepath.Join(bin, "bash"), script)
		cmd.Env = append([]string{"PATH=" + bin}, env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run()
	if err == nil || !strings.Contains(out, "brew install tmux") || !strings.Contains(out, "go test -short ./...") {
		t.Errorf("no tmux, no apt-get: err %v, output %q; want a failure saying what to install", err, out)
	}
	if out, err := run("CCWAKE_NO_TMUX=1"); err != nil || !strings.Contains(out, "will skip") {
		t.Errorf("CCWAKE_NO_TMUX=1: err %v, output %q", err, out)
	}
	// A tmux on $PATH (here a stand-in) is enough: no apt-get is run.
	if err := os.WriteFile(filepath.Join(bin, "tmux"), []byte("#!"+filepath.Join(bin, "bash")+"\necho tmux 9.9\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := run(); err != nil || out != "" {
		t.Errorf("with tmux on $PATH: err %v, output %q; want silence", err, out)
	}
}
