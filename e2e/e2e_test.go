// Package e2e runs ccwake against the real Claude Code client: the client
// talks to a loopback mock of the Messages API that answers 429, runs in a
// private tmux server, and ccwake --auto must bring it back by itself.
//
// It is opt-in (it needs a downloaded client and takes minutes):
//
//	CCWAKE_E2E_CLAUDE=$(scripts/fetch-claude.sh 2.1.330) go test -v -count=1 -timeout 20m ./e2e/
//
// Knobs: CCWAKE_E2E_SCENARIOS=throttle,usagecap (default; usagecap-aligned
// puts the reset on a whole minute),
// CCWAKE_E2E_AUTH=oauth|key (default oauth: subscription wording),
// CCWAKE_E2E_RESET=75s (how far ahead the mock's usage cap resets),
// CCWAKE_E2E_CCWAKE=BIN (test this ccwake binary instead of building ./cmd/ccwake),
// CCWAKE_E2E_PANES=DIR (save screen captures as DIR/e2e-<version>-<scenario>-<moment>.txt).
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

// scenario is one way the API refuses the first turn.
type scenario struct {
	name   string
	script func(now time.Time, resetIn time.Duration) mockScript
}

var scenarios = []scenario{
	{"throttle", func(time.Time, time.Duration) mockScript {
		return mockScript{fail: failThrottle, failFirst: 1}
	}},
	// The reset lands mid-minute: clients before 2.1.330 show it rounded
	// down to the minute ("resets 7:25pm" for 19:25:42).
	{"usagecap", func(now time.Time, resetIn time.Duration) mockScript {
		return mockScript{fail: failUsageCap, resetAt: now.Add(resetIn), claim: "five_hour"}
	}},
	// Opt-in: the reset on a whole minute, so the shown time is exact.
	{"usagecap-aligned", func(now time.Time, resetIn time.Duration) mockScript {
		at := now.Add(resetIn)
		if t := at.Truncate(time.Minute); !t.Equal(at) {
			at = t.Add(time.Minute)
		}
		return mockScript{fail: failUsageCap, resetAt: at, claim: "five_hour"}
	}},
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
	resetIn, err := time.ParseDuration(envOr("CCWAKE_E2E_RESET", "75s"))
	if err != nil {
		t.Fatalf("CCWAKE_E2E_RESET: %v", err)
	}
	want := strings.Split(envOr("CCWAKE_E2E_SCENARIOS", "throttle,usagecap"), ",")
	bin := os.Getenv("CCWAKE_E2E_CCWAKE")
	if bin == "" {
		bin = buildCcwake(t, t.TempDir())
	}
	t.Logf("client %s (%s), auth %s", version, strings.Join(argv, " "), auth)
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
		t.Fatalf("CCWAKE_E2E_SCENARIOS=%v names no scenario (have throttle, usagecap, usagecap-aligned)", want)
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

	r.tmux = startTmux(t, filepath.Join(dir, "sock"), work, env, r.claude)
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

	started := time.Now()
	r.watch = startProcess(t, baseEnv(home), r.ccwake, "--auto",
		"--claude-dir", r.root, "--tmux-socket", r.tmux.sock,
		"--throttle-base", "1s", "--throttle-cap", "2s",
		"--rate-limit-base", "1s", "--rate-limit-cap", "2s",
		"--reset-margin", resetMargin.String(), "--log-format", "json")

	if clientWaits(screen) {
		r.expectClientResumes(started)
	} else {
		r.expectCcwakeResumes(started)
	}
}

// expectCcwakeResumes: ccwake types continue once, after the right wait, and
// the client answers.
func (r *run) expectCcwakeResumes(started time.Time) {
	t := r.t
	timeout := 90 * time.Second
	if r.script.fail == failUsageCap {
		timeout += time.Until(r.script.resetAt)
	}
	var tr transcript
	waitFor(t, timeout, "ccwake's continue and the mock's reply in the transcript", r.dump, func() bool {
		tr, _ = readTranscripts(r.root)
		if n := tr.errors(); n > 1 {
			t.Fatalf("a second API error: ccwake typed before the API would answer (the mock fails once, or until the reset at %s)\n%s",
				r.script.resetAt.Format("15:04:05"), r.dump())
		}
		i := tr.firstError()
		return i >= 0 && len(tr.after(i, typedContinue(message))) > 0 && len(tr.after(i, mockAnswer)) > 0
	})
	waitFor(t, 30*time.Second, "ccwake to log confirmed", r.dump, func() bool {
		_, ok := findLog(logLines(r.watch.out.String()), "confirmed")
		return ok
	})
	i := tr.firstError()
	typed := tr.after(i, typedContinue(message))
	reply := tr.after(i, mockAnswer)
	if len(typed) != 1 {
		t.Errorf("want exactly one %q after the stall, got %d\n%s", message, len(typed), r.dump())
	}
	if !reply[0].Time.After(typed[0].Time) {
		t.Errorf("the reply (%s) does not follow the typed continue (%s)", reply[0].Time, typed[0].Time)
	}
	if n := tr.errors(); n != 1 {
		t.Errorf("want 1 API error in the transcript (ccwake typed too early or twice?), got %d\n%s", n, r.dump())
	}
	if r.script.fail == failUsageCap && typed[0].Time.Before(r.script.resetAt) {
		t.Errorf("continue typed at %s, before the usage cap reset at %s", typed[0].Time, r.script.resetAt)
	}
	logs := logLines(r.watch.out.String())
	tl, ok := findLog(logs, "typed")
	if !ok {
		t.Errorf("ccwake did not log typed\n%s", r.dump())
	}
	cl, _ := findLog(logs, "confirmed")
	if tl.Pane != "" && tl.Pane != r.paneID() {
		t.Errorf("ccwake typed into pane %s, the client runs in %s", tl.Pane, r.paneID())
	}
	t.Logf("ccwake started %s after the stall; typed %s after start (%s), continue in transcript at %s, reply at %s, confirmed at %s",
		started.Sub(tr[i].Time).Round(time.Millisecond), tl.Time.Sub(started).Round(time.Millisecond), tl.Reason,
		typed[0].Time.Format("15:04:05.000"), reply[0].Time.Format("15:04:05.000"), cl.Time.Format("15:04:05.000"))
	if r.script.fail == failUsageCap {
		t.Logf("usage cap reset at %s; continue %s after it", r.script.resetAt.Format("15:04:05.000"),
			typed[0].Time.Sub(r.script.resetAt).Round(time.Millisecond))
	}
	r.logActions()
}

// expectClientResumes: the client (2.1.330+) said it continues by itself
// after the reset. Either it does, and ccwake leaves it alone, or ccwake
// steps in once reset + margin passed without a resume (its documented
// choice); never both, never before the reset.
func (r *run) expectClientResumes(started time.Time) {
	t := r.t
	// 2.1.330 fired 100 s after the reset in one run and not within 5 min
	// (ccwake had resumed it) in another: its own jitter.
	timeout := time.Until(r.script.resetAt) + 6*time.Minute
	var tr transcript
	waitFor(t, timeout, "the stall to end (the client's own continuation or ccwake's continue) and the mock's reply", r.dump, func() bool {
		tr, _ = readTranscripts(r.root)
		if n := tr.errors(); n > 1 {
			t.Fatalf("a second API error: something resumed before the reset at %s\n%s", r.script.resetAt.Format("15:04:05"), r.dump())
		}
		i := tr.firstError()
		return i >= 0 && len(tr.after(i, autoContinuation))+len(tr.after(i, typedContinue(message))) > 0 &&
			len(tr.after(i, mockAnswer)) > 0
	})
	i := tr.firstError()
	auto, typed := tr.after(i, autoContinuation), tr.after(i, typedContinue(message))
	if len(auto)+len(typed) != 1 {
		t.Errorf("the stall was resumed %d times (client %d, typed %d), want once\n%s", len(auto)+len(typed), len(auto), len(typed), r.dump())
	}
	_, loggedTyped := findLog(logLines(r.watch.out.String()), "typed")
	switch {
	case len(typed) > 0:
		if !loggedTyped {
			t.Errorf("a %q appeared that ccwake did not log\n%s", message, r.dump())
		}
		if earliest := r.script.resetAt.Add(resetMargin).Truncate(time.Second); typed[0].Time.Before(earliest) {
			t.Errorf("ccwake typed at %s, before reset + margin (%s) while the client was waiting by itself", typed[0].Time, earliest)
		}
		t.Logf("ccwake stepped in at %s (%s after the reset at %s) before the client's own continuation",
			typed[0].Time.Format("15:04:05.000"), typed[0].Time.Sub(r.script.resetAt).Round(time.Millisecond), r.script.resetAt.Format("15:04:05.000"))
	case len(auto) > 0:
		if loggedTyped {
			t.Errorf("ccwake logged typed although the client resumed by itself\n%s", r.dump())
		}
		t.Logf("client resumed by itself at %s (%s after the reset at %s)", auto[0].Time.Format("15:04:05.000"),
			auto[0].Time.Sub(r.script.resetAt).Round(time.Millisecond), r.script.resetAt.Format("15:04:05.000"))
	}
	r.logActions()
}

// logActions writes ccwake's log into the test output, for the report.
func (r *run) logActions() {
	for _, l := range logLines(r.watch.out.String()) {
		r.t.Logf("ccwake: %s %s %s pane=%s kind=%s: %s", l.Time.Format("15:04:05.000"), l.Level, l.Msg, l.Pane, l.Kind, l.Reason)
	}
}

func (r *run) paneID() string {
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
