// Package e2e runs ccwake against the real Claude Code client: the client
// talks to a loopback mock of the Messages API that answers 429, runs in a
// private tmux server, and ccwake --auto must bring it back by itself.
//
// It is opt-in (it needs a downloaded client and takes minutes):
//
//	CCWAKE_E2E_CLAUDE=$(scripts/fetch-claude.sh 2.1.330) go test -v -count=1 -timeout 20m ./e2e/
//
// Knobs: CCWAKE_E2E_SCENARIOS=throttle,usagecap (default; also
// usagecap-aligned: the reset on a whole minute; draft and copymode: a human
// at the prompt; reopen: the pane is killed and ccwake --reopen reopens it),
// CCWAKE_E2E_AUTH=oauth|key (default oauth: subscription wording),
// CCWAKE_E2E_RESET=60s (the mock's usage cap resets at least this far ahead),
// CCWAKE_E2E_CCWAKE=BIN (test this ccwake binary instead of building ./cmd/ccwake),
// CCWAKE_E2E_PANES=DIR (save screen captures as DIR/e2e-<version>-<scenario>-<moment>.txt).
//
// TestRealClientScreen and TestRealClientKitty run the throttle scenario in
// a GNU screen window and in a kitty window (under Xvfb) instead of tmux.
package e2e

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The throwaway credentials: the mock accepts anything, the client only
// checks their shape (an sk-ant-oat01- token makes it a subscriber).
const (
	oauthToken = "sk-ant-oat01-x"
	apiKey     = "sk-ant-x"
	prompt     = "say hi"
	message    = "continue"
	// resetMargin is ccwake's --reset-margin: how long past a usage cap's
	// reset it waits (short, so the test is quick).
	resetMargin = 5 * time.Second
)

// scenario is one way the API refuses the first turn, and optionally what
// a human does in the pane before ccwake starts.
type scenario struct {
	name   string
	script func(now time.Time, resetIn time.Duration) mockScript
	human  humanAction
}

// humanAction is what a person does at the stalled prompt.
type humanAction int

const (
	humanNone     humanAction = iota
	humanDraft                // starts typing a message and leaves it unsent
	humanCopyMode             // scrolls back in tmux copy mode, then leaves it
	humanKill                 // closes the terminal: the client's pane is killed (ccwake --reopen)
)

// draftText is the unsent message of humanDraft.
const draftText = "fix the te"

func throttleOnce(time.Time, time.Duration) mockScript {
	return mockScript{fail: failThrottle, failFirst: 1}
}

// usageCapAt returns a script whose five-hour cap resets at the given
// second of the first minute at least resetIn ahead, so what the client
// shows is the same on every run.
func usageCapAt(second time.Duration) func(time.Time, time.Duration) mockScript {
	return func(now time.Time, resetIn time.Duration) mockScript {
		at := now.Add(resetIn).Truncate(time.Minute).Add(second)
		if at.Before(now.Add(resetIn)) {
			at = at.Add(time.Minute)
		}
		return mockScript{fail: failUsageCap, resetAt: at, claim: "five_hour"}
	}
}

var scenarios = []scenario{
	{name: "throttle", script: throttleOnce},
	// Opt-in safety checks on the real client: a human's draft must never be
	// typed into; a pane in copy mode must wait until the human leaves it.
	{name: "draft", script: throttleOnce, human: humanDraft},
	{name: "copymode", script: throttleOnce, human: humanCopyMode},
	// Opt-in: the client's pane is killed at the stall; ccwake --reopen
	// starts `claude --resume <id>` in a new window and resumes it.
	{name: "reopen", script: throttleOnce, human: humanKill},
	// The reset lands at second 30 of a minute: clients before 2.1.330 show
	// it rounded down ("resets 7:25pm" for 19:25:30), 30 s early.
	{name: "usagecap", script: usageCapAt(30 * time.Second)},
	// Opt-in: the reset on a whole minute, so the shown time is exact.
	{name: "usagecap-aligned", script: usageCapAt(0)},
}

func TestRealClient(t *testing.T) {
	claude := os.Getenv("CCWAKE_E2E_CLAUDE")
	if claude == "" {
		t.Skip("set CCWAKE_E2E_CLAUDE to a Claude Code client (scripts/fetch-claude.sh VERSION prints one)")
	}
	if testing.Short() {
		t.Skip("end-to-end test takes minutes")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required (scripts/need-tmux.sh installs it)")
	}
	argv := claudeArgv(claude)
	version := claudeVersion(t, argv, baseEnv(t.TempDir()))
	auth := envOr("CCWAKE_E2E_AUTH", "oauth")
	if auth != "oauth" && auth != "key" {
		t.Fatalf("CCWAKE_E2E_AUTH=%q: want oauth or key", auth)
	}
	resetIn, err := time.ParseDuration(envOr("CCWAKE_E2E_RESET", "60s"))
	if err != nil {
		t.Fatalf("CCWAKE_E2E_RESET: %v", err)
	}
	want := strings.Split(envOr("CCWAKE_E2E_SCENARIOS", "throttle,usagecap"), ",")
	bin := os.Getenv("CCWAKE_E2E_CCWAKE")
	if bin == "" {
		bin = buildCcwake(t, t.TempDir())
	}
	t.Logf("client %s (%s), auth %s", version, strings.Join(argv, " "), auth)
	if contains(want, "reopen") && len(argv) > 1 {
		t.Fatalf("scenario reopen needs a native client (--claude-bin runs one program), not %s", strings.Join(argv, " "))
	}
	ran := 0
	for _, sc := range scenarios {
		if !contains(want, sc.name) {
			continue
		}
		ran++
		t.Run(sc.name, func(t *testing.T) {
			r := &run{t: t, claude: argv, version: version, auth: auth, ccwake: bin, sc: sc, resetIn: resetIn}
			r.do()
		})
	}
	if ran == 0 {
		t.Fatalf("CCWAKE_E2E_SCENARIOS=%v names no scenario (have throttle, usagecap, usagecap-aligned, draft, copymode)", want)
	}
}

// run is one scenario against one client.
type run struct {
	t       *testing.T
	claude  []string
	version string
	auth    string
	ccwake  string
	sc      scenario
	resetIn time.Duration

	root   string // the client's config root (<home>/.claude)
	mock   *mockAPI
	tmux   *tmuxServer
	watch  *process // ccwake
	script mockScript
}

func (r *run) do() {
	t := r.t
	dir := t.TempDir()
	home, work := filepath.Join(dir, "home"), filepath.Join(dir, "work")
	for _, d := range []string{home, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r.root = filepath.Join(home, ".claude")

	r.script = r.sc.script(time.Now(), r.resetIn)
	mock, err := startMockAPI(r.script, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mock.close)
	r.mock = mock

	env := append(baseEnv(home),
		"ANTHROPIC_BASE_URL="+mock.URL,
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"DISABLE_AUTOUPDATER=1",
		"CLAUDE_CODE_MAX_RETRIES=0",
	)
	key := ""
	if r.auth == "key" {
		key = apiKey
		env = append(env, "ANTHROPIC_API_KEY="+apiKey)
	} else {
		env = append(env, "CLAUDE_CODE_OAUTH_TOKEN="+oauthToken)
	}
	writeClaudeJSON(t, home, work, key)

	r.tmux = startTmux(t, work, env, r.claude)
	t.Cleanup(func() { r.savePane("end") }) // runs before the server is killed, pass or fail

	waitFor(t, 60*time.Second, "the client's empty prompt", r.dump, func() bool { return promptReady(r.tmux.capture()) })
	r.savePane("start")
	r.tmux.typeLine(t, prompt, r.dump)

	var tr transcript
	waitFor(t, 60*time.Second, "the API error in the transcript", r.dump, func() bool {
		tr, _ = readTranscripts(r.root)
		return tr.firstError() >= 0
	})
	stall := tr[tr.firstError()]
	t.Logf("stall at %s: %q", stall.Time.Format(time.TimeOnly), stall.Text)
	waitFor(t, 30*time.Second, "the stall to settle on screen", r.dump, func() bool { return settled(r.tmux.capture()) })
	screen := r.tmux.capture()
	r.savePane("stall")
	t.Logf("screen at the stall:\n%s", trimScreen(screen))

	switch r.sc.human {
	case humanDraft:
		if _, err := r.tmux.tmux("send-keys", "-t", "cc", "-l", "--", draftText); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "the draft in the input line", r.dump, func() bool { return inputLine(r.tmux.capture()) == draftText })
	case humanCopyMode:
		if _, err := r.tmux.tmux("copy-mode", "-t", "cc"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "copy mode", r.dump, func() bool { return r.paneFlag("pane_in_mode") })
	case humanKill:
		r.killClient()
	}

	started := time.Now()
	args := []string{"--auto",
		"--claude-dir", r.root, "--tmux-socket", r.tmux.Sock,
		"--throttle-base", "1s", "--throttle-cap", "2s",
		"--rate-limit-base", "1s", "--rate-limit-cap", "2s",
		"--reset-margin", resetMargin.String(), "--log-format", "json"}
	if r.sc.human == humanKill {
		args = append(args, "--reopen", "--claude-bin", r.claude[0])
	}
	r.watch = startProcess(t, baseEnv(home), append([]string{r.ccwake}, args...)...)

	if r.sc.human == humanKill {
		r.expectReopened(started)
		return
	}
	if r.sc.human != humanNone {
		r.expectRefusal()
		if r.sc.human == humanDraft {
			return // the draft stays; nothing more may happen
		}
		if _, err := r.tmux.tmux("send-keys", "-t", "cc", "-X", "cancel"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "copy mode to end", r.dump, func() bool { return !r.paneFlag("pane_in_mode") })
	}
	if clientWaits(screen) {
		r.expectClientResumes(started)
	} else {
		r.expectCcwakeResumes(started)
	}
}

func (r *run) paneID() string {
	if r.tmux.pane != "" {
		return r.tmux.pane
	}
	out, err := r.tmux.tmux("display-message", "-p", "-t", "cc", "#{pane_id}")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// dump is everything a failure needs: screen, pane state, transcript,
// mock requests and ccwake's log.
func (r *run) dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- screen (%s)\n%s\n", r.tmux.paneInfo(), trimScreen(r.tmux.capture()))
	tr, err := readTranscripts(r.root)
	fmt.Fprintf(&b, "--- transcript (err=%v)\n%s", err, tr)
	fmt.Fprintf(&b, "--- mock\n%s", r.mock.Summary())
	if r.watch != nil {
		fmt.Fprintf(&b, "--- ccwake (exited=%v err=%v)\n%s", r.watch.exited(), r.watch.err, r.watch.out.String())
	}
	return b.String()
}

func (r *run) savePane(moment string) {
	dir := os.Getenv("CCWAKE_E2E_PANES")
	if dir == "" {
		return
	}
	name := fmt.Sprintf("e2e-%s-%s-%s-%s.txt", r.version, r.auth, r.sc.name, moment)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(r.tmux.capture()), 0o644); err != nil {
		r.t.Logf("save pane: %v", err)
	}
}

// settled: the client is no longer busy and shows its input box or a dialog.
func settled(screen string) bool {
	if strings.Contains(strings.ToLower(screen), "esc to interrupt") {
		return false
	}
	return promptReady(screen) || strings.Contains(screen, "Enter to confirm")
}

// clientWaits: 2.1.330 waits out a usage cap itself ("Usage limit reached ·
// set to continue automatically at 7:05pm", footer "Continuing automatically
// at 7:05pm · Esc to cancel").
func clientWaits(screen string) bool {
	return strings.Contains(screen, "set to continue automatically") || strings.Contains(screen, "Continuing automatically at")
}

func trimScreen(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, strings.TrimRight(l, " "))
		}
	}
	return strings.Join(out, "\n")
}

// claudeArgv runs npm's cli.js (releases before the native builds) with node.
func claudeArgv(path string) []string {
	if strings.HasSuffix(path, ".js") {
		return []string{"node", path}
	}
	return []string{path}
}

func claudeVersion(t *testing.T, argv, env []string) string {
	t.Helper()
	cmd := exec.Command(argv[0], append(argv[1:], "--version")...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s --version: %v", strings.Join(argv, " "), err)
	}
	v, _, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	return v
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}
