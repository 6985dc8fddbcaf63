package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The bash completion, sourced into a real bash, completes commands, flags
// (also after flags placed before a subcommand) and flag values.
func TestCompletionBash(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	e := newCLIEnv(t)
	script := filepath.Join(e.dir, "ccwake.bash")
	r := e.run(nil, "completion", "bash")
	if r.code != 0 || os.WriteFile(script, []byte(r.stdout), 0o600) != nil {
		t.Fatalf("completion bash: exit %d %s", r.code, r.stderr)
	}
	tests := []struct {
		line    string // the words typed; the last one is completed
		want    []string
		notWant []string
	}{
		{"ccwake st", []string{"status"}, nil},
		{"ccwake ", []string{"status", "doctor", "completion", "man", "version", "--auto", "--claude-dir"}, nil},
		{"ccwake --t", []string{"--throttle-base", "--throttle-cap", "--tmux-socket"}, []string{"--json"}},
		{"ccwake status --", []string{"--json", "--all", "--since"}, []string{"--auto", "--dry-run"}},
		{"ccwake --since 3d status --a", []string{"--all"}, []string{"--auto"}},
		{"ccwake --log-format ", []string{"text", "json"}, []string{"--auto"}},
		{"ccwake completion ", []string{"bash", "zsh", "fish"}, nil},
		{"ccwake doctor --log-f", []string{"--log-file", "--log-format"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			words := strings.Fields(tt.line)
			if strings.HasSuffix(tt.line, " ") {
				words = append(words, "")
			}
			quoted := make([]string, len(words))
			for i, w := range words {
				quoted[i] = "'" + w + "'"
			}
			prog := "source " + script + "; COMP_WORDS=(" + strings.Join(quoted, " ") + "); COMP_CWORD=" +
				strconv.Itoa(len(words)-1) + `; _ccwake; printf '%s\n' "${COMPREPLY[@]}"`
			out, err := exec.Command("bash", "--norc", "--noprofile", "-c", prog).CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			got := strings.Fields(string(out))
			for _, w := range tt.want {
				if !contains(got, w) {
					t.Errorf("%q completes to %v, want %q among them", tt.line, got, w)
				}
			}
			for _, w := range tt.notWant {
				if contains(got, w) {
					t.Errorf("%q completes to %v, must not offer %q", tt.line, got, w)
				}
			}
		})
	}
}

// The zsh and fish scripts parse, and fish's completes a status flag.
func TestCompletionZshFish(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	for _, sh := range []string{"zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			if _, err := exec.LookPath(sh); err != nil {
				t.Skipf("%s is not installed: its script is not checked", sh)
			}
			r := e.run(nil, "completion", sh)
			script := filepath.Join(e.dir, "ccwake."+sh)
			if r.code != 0 || os.WriteFile(script, []byte(r.stdout), 0o600) != nil {
				t.Fatalf("completion %s: exit %d %s", sh, r.code, r.stderr)
			}
			if out, err := exec.Command(sh, "-n", script).CombinedOutput(); err != nil {
				t.Fatalf("%s -n: %v\n%s", sh, err, out)
			}
			if sh != "fish" {
				return
			}
			out, err := exec.Command("fish", "--no-config", "-c", "source "+script+"; complete -C 'ccwake status --j'").CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "--json\t") {
				t.Errorf("fish completes `ccwake status --j` to %q (%v), want --json", out, err)
			}
		})
	}
}

// `ccwake man` is a man page groff renders without a warning, with every
// command and flag in it.
func TestManPage(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	r := e.run(nil, "man")
	if r.code != 0 || !strings.HasPrefix(r.stdout, ".TH CCWAKE 1") {
		t.Fatalf("ccwake man: exit %d, %.200q", r.code, r.stdout)
	}
	for _, cmd := range commands() {
		_, f := flagsOf(cmd)
		for _, sec := range f.sections {
			for _, n := range sec.names {
				if !strings.Contains(r.stdout, `\-\-`+strings.ReplaceAll(n, "-", `\-`)) {
					t.Errorf("man page lacks --%s", n)
				}
			}
		}
		if cmd.name != "" && !strings.Contains(r.stdout, ".B "+cmd.name+"\n") {
			t.Errorf("man page lacks the command %s", cmd.name)
		}
	}
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed: the page is not rendered")
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww")
	cmd.Stdin = strings.NewReader(r.stdout)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("groff: %v\n%s", err, stderr.String())
	}
	text := regexp.MustCompile(".\b").ReplaceAllString(string(out), "") // grotty's overstrike bold
	if !strings.Contains(text, "OPTIONS") || !strings.Contains(text, "EXIT STATUS") {
		t.Errorf("rendered page lacks its sections:\n%s", out)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
