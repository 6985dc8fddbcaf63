package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Every release target of .goreleaser.yaml other than this machine's is
// vetted by `make test` (vet-cross: every package, tests included, type-checks
// there), so a darwin-only file or test that does not build fails CI, not
// the release. This replaces cross-compiling the module for three targets
// here, which proved no more than vet's type check and took minutes.
func TestReleaseTargetsVetted(t *testing.T) {
	t.Parallel()
	cfg, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	list := func(text, prefix string) []string {
		for _, l := range strings.Split(text, "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(l), prefix); ok {
				return strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '[' || r == ']' })
			}
		}
		t.Fatalf("no %q line", prefix)
		return nil
	}
	goos, goarch := list(string(cfg), "goos:"), list(string(cfg), "goarch:")
	vetted := list(string(mk), "CROSS_VET =")
	if !strings.Contains(string(mk), "$(MAKE) --no-print-directory vet-cross") {
		t.Errorf("make test does not run vet-cross")
	}
	for _, o := range goos {
		for _, a := range goarch {
			if target := o + "/" + a; target != "linux/amd64" && !slices.Contains(vetted, target) { // linux/amd64: every test builds it
				t.Errorf("release target %s is not in the Makefile's CROSS_VET %q", target, vetted)
			}
		}
	}
}

// scripts/need-tmux.sh uses a tmux it finds on any OS, and without tmux or
// apt-get says what to install and fails.
func TestNeedTmux(t *testing.T) {
	t.Parallel()
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
