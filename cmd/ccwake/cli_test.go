package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
)

// cliEnv runs the real ccwake binary in an isolated environment: its own
// $HOME, $XDG_CONFIG_HOME and $XDG_RUNTIME_DIR, no CCWAKE_* or TMUX from the
// machine, and a tmux socket where no server runs.
type cliEnv struct {
	t      *testing.T
	bin    string
	dir    string
	home   string
	config string // $XDG_CONFIG_HOME
	sock   string
	env    []string
}

func newCLIEnv(t *testing.T, buildFlags ...string) *cliEnv {
	t.Helper()
	dir := t.TempDir()
	e := &cliEnv{t: t, dir: dir, home: filepath.Join(dir, "home"), config: filepath.Join(dir, "config"),
		sock: filepath.Join(dir, "no-server"), bin: sharedBinary(t, buildFlags...)}
	run := filepath.Join(dir, "run")
	for _, d := range []string{e.home, e.config, run} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "CCWAKE_") || strings.HasPrefix(k, "XDG_") {
			continue
		}
		switch k {
		case "HOME", "TMUX", "TMUX_PANE", "CLAUDE_CONFIG_DIR", "TZ":
			continue
		}
		e.env = append(e.env, kv)
	}
	e.env = append(e.env, "HOME="+e.home, "XDG_CONFIG_HOME="+e.config, "XDG_RUNTIME_DIR="+run, "TZ=UTC")
	return e
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
}

func (e *cliEnv) run(env []string, args ...string) result {
	e.t.Helper()
	cmd := exec.Command(e.bin, args...)
	cmd.Env = append(append([]string{}, e.env...), env...)
	cmd.Dir = e.dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		e.t.Fatalf("ccwake %q: %v", args, err)
	}
	return r
}

// writeConfig writes $XDG_CONFIG_HOME/ccwake/config.toml.
func (e *cliEnv) writeConfig(body string) string {
	e.t.Helper()
	p := filepath.Join(e.config, "ccwake", "config.toml")
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// Usage mistakes and bad values: exit 2, one line saying what is wrong and
// one saying where the help is, nothing on stdout; help goes to stdout.
func TestCLIUsage(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.145-key-429.jsonl")
	tests := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stdout []string // each must appear in stdout
		stderr string   // the first stderr line must contain it
		help   string   // the second stderr line ("" for none)
	}{
		{name: "help", args: []string{"--help"}, stdout: []string{"Usage:", "Watching:", "--claude-dir DIR", "Resuming:", "--throttle-cap DURATION", "Output:", "--log-format FORMAT", "Settings:", "Environment:", "CCWAKE_<FLAG>", "Examples:"}},
		{name: "-h", args: []string{"-h"}, stdout: []string{"Watching:"}},
		{name: "status help", args: []string{"status", "--help"}, stdout: []string{"ccwake status", "--json", "--all"}},
		{name: "help command", args: []string{"help", "doctor"}, stdout: []string{"ccwake doctor"}},
		{name: "unknown flag", args: []string{"--bogus"}, code: 2, stderr: "ccwake: unknown flag --bogus", help: "see 'ccwake --help'"},
		{name: "unknown status flag", args: []string{"status", "--bogus"}, code: 2, stderr: "unknown flag --bogus", help: "see 'ccwake status --help'"},
		{name: "unknown command", args: []string{"stauts"}, code: 2, stderr: `unknown command "stauts": did you mean status?`, help: "see 'ccwake --help'"},
		// Issue 18 item 12: the nearest command or flag is suggested; a
		// flag is named as it was typed; no wild guess for nonsense.
		{name: "unknown command, prefix", args: []string{"doc"}, code: 2, stderr: `unknown command "doc": did you mean doctor?`, help: "see"},
		{name: "unknown command, no guess", args: []string{"xyzzy"}, code: 2, stderr: `unknown command "xyzzy" (commands: status,`, help: "see"},
		{name: "help of an unknown command", args: []string{"help", "stats"}, code: 2, stderr: `unknown command "stats": did you mean status?`, help: "see"},
		{name: "-v as typed", args: []string{"-v"}, code: 2, stderr: "ccwake: unknown flag -v: did you mean --version?", help: "see 'ccwake --help'"},
		{name: "misspelt flag", args: []string{"status", "--jsno"}, code: 2, stderr: "unknown flag --jsno: did you mean --json?", help: "see 'ccwake status --help'"},
		{name: "misspelt flag with a value", args: []string{"--sinse=3d"}, code: 2, stderr: "unknown flag --sinse: did you mean --since?", help: "see"},
		{name: "single-dash flag elsewhere", args: []string{"-json"}, code: 2, stderr: "-json belongs to `ccwake status`, not `ccwake`", help: "see"},
		{name: "all without print-config", args: []string{"--all"}, code: 2, stderr: "--all goes with --print-config", help: "see"},
		{name: "log format", args: []string{"--log-format", "xml"}, code: 2, stderr: `--log-format: "xml": want text or json`, help: "see"},
		{name: "negative duration", args: []string{"--since", "-3s"}, code: 2, stderr: "--since: must not be negative", help: "see"},
		{name: "negative reset margin", args: []string{"status", "--reset-margin=-1m"}, code: 2, stderr: "--reset-margin: must not be negative", help: "see"},
		{name: "not a duration", args: []string{"--throttle-base", "fast"}, code: 2, stderr: "want a number with a unit", help: "see"},
		{name: "zero cap", args: []string{"--throttle-cap", "0s"}, code: 2, stderr: "--throttle-cap: must be more than 0s", help: "see"},
		{name: "zero base", args: []string{"status", "--server-error-base", "0"}, code: 2, stderr: "--server-error-base: must be more than 0s", help: "see"},
		{name: "base above cap", args: []string{"--rate-limit-base", "10m", "--rate-limit-cap", "5m"}, code: 2, stderr: "--rate-limit-base: 10m is more than --rate-limit-cap 5m", help: "see"},
		{name: "zero attempts", args: []string{"--max-attempts", "0"}, code: 2, stderr: "--max-attempts: 0: must be at least 1", help: "see"},
		{name: "empty message", args: []string{"--message", ""}, code: 2, stderr: "--message: must not be empty", help: "see"},
		{name: "blank message", args: []string{"--message", "   "}, code: 2, stderr: "--message: must not be empty", help: "see"},
		{name: "two-line message", args: []string{"--message", "go\non"}, code: 2, stderr: "--message: must be one line", help: "see"},
		{name: "status flag on main", args: []string{"--json"}, code: 2, stderr: "--json belongs to `ccwake status`, not `ccwake`", help: "see 'ccwake --help'"},
		{name: "main flag on status", args: []string{"--auto", "status"}, code: 2, stderr: "--auto belongs to `ccwake`, not `ccwake status`", help: "see 'ccwake status --help'"},
		{name: "bad env", env: []string{"CCWAKE_SINCE=-1d"}, args: []string{"status"}, code: 2, stderr: `$CCWAKE_SINCE="-1d": must not be negative`, help: "see"},
		{name: "bad env bool", env: []string{"CCWAKE_ALL=maybe"}, args: []string{"status"}, code: 2, stderr: `$CCWAKE_ALL="maybe"`, help: "see"},
		{name: "completion needs a shell", args: []string{"completion"}, code: 2, stderr: "missing SHELL", help: "see 'ccwake completion --help'"},
		{name: "completion shell", args: []string{"completion", "tcsh"}, code: 2, stderr: `unknown shell "tcsh"`, help: "see"},
		// Days, and flags before the subcommand.
		{name: "since 3d", args: []string{"status", "--since", "3d", "--claude-dir", root, "--tmux-socket", e.sock, "--json"}, code: status.ExitStalled, stdout: []string{`"sessions"`}},
		{name: "flags before status", args: []string{"--since", "3d", "--claude-dir", root, "--tmux-socket", e.sock, "status", "--json"}, code: status.ExitStalled, stdout: []string{`"state": "stalled"`}},
		{name: "version flag", args: []string{"--version"}, stdout: []string{"ccwake "}},
		{name: "version command", args: []string{"version"}, stdout: []string{"ccwake "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.run(tt.env, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			if contains(tt.args, "--help") || contains(tt.args, "-h") {
				for _, l := range strings.Split(r.stdout, "\n") {
					if len([]rune(l)) > 80 {
						t.Errorf("help line wider than 80 columns: %q", l)
					}
				}
			}
			if tt.code == 0 || tt.code == status.ExitStalled { // 3: stalled sessions, not a mistake
				if r.stderr != "" {
					t.Errorf("stderr: %s", r.stderr)
				}
				return
			}
			if r.stdout != "" {
				t.Errorf("a mistake printed on stdout:\n%s", r.stdout)
			}
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			if len(lines) != 2 || !strings.Contains(lines[0], tt.stderr) || !strings.HasPrefix(lines[1], tt.help) {
				t.Errorf("stderr = %q, want one line with %q, then %q", r.stderr, tt.stderr, tt.help)
			}
		})
	}
}

// A wrong or unreadable root is an error with a non-zero exit in every
// mode, never an empty "no stalled sessions".
func TestCLIWrongRoots(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.145-key-429.jsonl")
	bare := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"projects dir", []string{"status", "--claude-dir", filepath.Join(root, "projects")}, "is the projects directory itself: use --claude-dir " + root},
		{"project dir", []string{"status", "--claude-dir", filepath.Join(root, "projects", "-home-dev-work")}, "one project's directory; use --claude-dir " + root},
		{"no projects", []string{"status", "--claude-dir", bare}, "has no projects/ directory"},
		{"missing", []string{"status", "--claude-dir", filepath.Join(bare, "nope")}, "no such directory"},
		{"auto", []string{"--auto", "--claude-dir", bare, "--tmux-socket", e.sock}, "has no projects/ directory"},
		{"env", []string{"status", "--json"}, "has no projects/ directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var env []string
			if tt.name == "env" {
				env = []string{"CLAUDE_CONFIG_DIR=" + bare}
			}
			r := e.run(env, tt.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stdout, "no stalled") {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and %q", r.code, r.stdout, r.stderr, tt.want)
			}
		})
	}
}

// An unreadable projects/ is an error too. Root reads everything, so the
// binary runs as nobody; skipped when the test cannot switch user.
func TestCLIUnreadableRoot(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to run ccwake as another user (a non-root owner could still read its own dir)")
	}
	base, err := os.MkdirTemp("", "ccwperm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := sharedBinary(t)
	root := filepath.Join(base, "claude")
	if err := os.MkdirAll(filepath.Join(root, "projects"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "projects"), 0o700); err != nil { // root's, not nobody's
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "status", "--claude-dir", root)
	cmd.Env = []string{"HOME=" + base, "PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = nobody()
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "cannot read projects/: permission denied") {
		t.Fatalf("err %v, output %q; want exit 1 and permission denied", err, out)
	}
}

// nobody makes a child run as the unprivileged user nobody (65534).
func nobody() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
}
