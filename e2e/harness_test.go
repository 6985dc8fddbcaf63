package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
)

// waitFor is testkit.WaitFor: it polls cond until it holds; only at the
// test binary's deadline (never after a fixed time: timeout is the time the
// step usually takes, no limit) it fails the test with what and the
// diagnostics dump (screen, transcript, logs), before go test's -timeout
// panics, so t.Cleanup still ends the tmux server and the client.
func waitFor(t *testing.T, _ time.Duration, what string, dump func() string, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, what, cond, dump)
}

// tmuxServer is testkit's private tmux server on its own socket (never the
// user's); pane is the pane capture and paneInfo read.
type tmuxServer struct {
	*testkit.Tmux
	pane string // "" is session cc's current one
}

// target is the pane capture and paneInfo read.
func (s *tmuxServer) target() string {
	if s.pane != "" {
		return s.pane
	}
	return "cc"
}

// tmux runs one tmux command against the private server; the error says
// which command and what tmux said.
func (s *tmuxServer) tmux(args ...string) (string, error) {
	out, err := s.Run(args...)
	if err != nil {
		return out, fmt.Errorf("tmux %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(out))
	}
	return out, nil
}

// startTmux starts a server whose only session runs argv in dir. The server
// (and so the pane) gets exactly env, so nothing of the developer's own
// Claude setup (CLAUDE_CONFIG_DIR, ANTHROPIC_*, TMUX) leaks in. Panes stay
// after their process exits so a crash can still be read. Cleanup ends the
// server by its socket (by its pid if the socket is gone) and waits for the
// client to exit, so t.TempDir's removal does not race its last writes.
func startTmux(t *testing.T, dir string, env, argv []string) *tmuxServer {
	t.Helper()
	return &tmuxServer{Tmux: testkit.NewTmux(t, testkit.TmuxOpts{Width: 160, Height: 50, Env: env, First: argv, Dir: dir,
		RemainOnExit: true})}
}

// panePID is the pid of the pane's process (the client: tmux execs argv
// directly), 0 if unknown.
func (s *tmuxServer) panePID() int { return s.PanePID("cc") }

func (s *tmuxServer) capture() string {
	out, err := s.tmux("capture-pane", "-p", "-t", s.target())
	if err != nil {
		return "capture failed: " + err.Error()
	}
	return out
}

// paneInfo returns "#{pane_current_command} #{pane_dead}" for the dump.
func (s *tmuxServer) paneInfo() string {
	out, err := s.tmux("display-message", "-p", "-t", s.target(), "cmd=#{pane_current_command} pid=#{pane_pid} dead=#{pane_dead} in_mode=#{pane_in_mode}")
	if err != nil {
		return err.Error()
	}
	return strings.TrimSpace(out)
}

// typeLine types text like a person: the text, then, once it shows in the
// input line, Enter as a separate key press (text and Enter in one call
// reach 2.0.x as a paste and Enter becomes a newline).
func (s *tmuxServer) typeLine(t *testing.T, text string, dump func() string) {
	t.Helper()
	if _, err := s.tmux("send-keys", "-t", "cc", "-l", "--", text); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "typed text in the input line", dump, func() bool {
		return inputLine(s.capture()) == text
	})
	if _, err := s.tmux("send-keys", "-t", "cc", "Enter"); err != nil {
		t.Fatal(err)
	}
}

// inputLine returns the text after the prompt marker in the lowest input
// box (a prompt line directly under a rule), or "" when there is none.
func inputLine(screen string) string {
	lines := strings.Split(screen, "\n")
	for i := len(lines) - 1; i > 0; i-- {
		if !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "──────────") {
			continue
		}
		for _, p := range []string{"❯", ">"} {
			if rest, ok := strings.CutPrefix(lines[i], p); ok {
				return strings.TrimSpace(strings.ReplaceAll(rest, "\u00a0", " "))
			}
		}
	}
	return ""
}

// promptReady: the client drew its input box and the empty-prompt footer.
func promptReady(screen string) bool {
	hasBox := false
	lines := strings.Split(screen, "\n")
	for i := 1; i < len(lines); i++ {
		if strings.HasPrefix(strings.TrimSpace(lines[i-1]), "──────────") &&
			(strings.HasPrefix(lines[i], "❯") || strings.HasPrefix(lines[i], ">")) {
			hasBox = true
		}
	}
	return hasBox && (strings.Contains(screen, "? for shortcuts") || strings.Contains(screen, "shift+tab to cycle"))
}

// process is a started child with its combined output in a file.
type process struct {
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
	err  error
}

// lockedBuffer is an io.Writer safe to read while the child writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startProcess starts argv and stops it (SIGINT, then SIGKILL, to its
// process group by id) at cleanup.
func startProcess(t *testing.T, env []string, argv ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(argv[0], argv[1:]...), out: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	// Its own process group, so stop reaches whatever it started too; and a
	// bounded wait for the output pipe a leftover grandchild may hold.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p.cmd.WaitDelay = 2 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", argv[0], err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop() })
	return p
}

func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGINT)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// logLine is one line of ccwake --log-format json.
type logLine struct {
	Time    time.Time `json:"time"`
	Level   string    `json:"level"`
	Msg     string    `json:"msg"`
	Reason  string    `json:"reason"`
	Session string    `json:"session"`
	Pane    string    `json:"pane"`
	Kind    string    `json:"kind"`
}

// logLines parses ccwake's JSON log; other lines (panics, usage) are kept
// as Msg with Level "raw" so they show in failures.
func logLines(out string) []logLine {
	var lines []logLine
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		var ll logLine
		if json.Unmarshal([]byte(l), &ll) != nil {
			ll = logLine{Level: "raw", Msg: l}
		}
		lines = append(lines, ll)
	}
	return lines
}

func findLog(lines []logLine, msg string) (logLine, bool) {
	for _, l := range lines {
		if l.Msg == msg {
			return l, true
		}
	}
	return logLine{}, false
}

// buildCcwake compiles ./cmd/ccwake from this module into dir.
func buildCcwake(t *testing.T, dir string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(gomod)) == "" {
		t.Fatalf("find module root: %v", err)
	}
	bin := filepath.Join(dir, "ccwake")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/ccwake")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/ccwake: %v\n%s", err, out)
	}
	return bin
}

// baseEnv is the environment every child gets: enough to run, nothing of
// the developer's Claude Code or tmux setup.
func baseEnv(home string) []string {
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "TZ=UTC", "TERM=xterm-256color"}
	if tmp := os.Getenv("TMPDIR"); tmp != "" {
		env = append(env, "TMPDIR="+tmp)
	}
	return env
}

// writeClaudeJSON writes <home>/.claude.json so the client starts straight
// at the prompt: onboarding done, the work dir trusted, the test API key
// approved (2.0.0 otherwise asks "Detected a custom API key … use it?").
func writeClaudeJSON(t *testing.T, home, workdir, apiKey string) {
	t.Helper()
	approved := []string{}
	if apiKey != "" {
		approved = append(approved, apiKey[max(0, len(apiKey)-20):])
	}
	cfg := map[string]any{
		"hasCompletedOnboarding": true,
		"theme":                  "dark",
		"numStartups":            1,
		"customApiKeyResponses":  map[string]any{"approved": approved, "rejected": []string{}},
		"projects": map[string]any{workdir: map[string]any{
			"hasTrustDialogAccepted":        true,
			"hasCompletedProjectOnboarding": true,
			"allowedTools":                  []string{},
		}},
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".claude.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}
