package e2e

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/mux/screen"
)

// TestRealClientScreen is the throttle scenario with the client in a GNU
// screen window (a private SCREENDIR) and ccwake --backends screen: the
// window is found, and the client's dim hint, which hardcopy cannot tell
// from a draft, keeps ccwake from typing.
func TestRealClientScreen(t *testing.T) {
	claude := os.Getenv("CCWAKE_E2E_CLAUDE")
	if claude == "" {
		t.Skip("set CCWAKE_E2E_CLAUDE to a Claude Code client (scripts/fetch-claude.sh VERSION prints one)")
	}
	if testing.Short() {
		t.Skip("end-to-end test takes minutes")
	}
	if _, err := exec.LookPath("screen"); err != nil {
		t.Skip("GNU screen not installed")
	}
	argv := claudeArgv(claude)
	bin := os.Getenv("CCWAKE_E2E_CCWAKE")
	if bin == "" {
		bin = buildCcwake(t, t.TempDir())
	}
	dir := t.TempDir()
	home, work, sdir := filepath.Join(dir, "home"), filepath.Join(dir, "work"), filepath.Join(dir, "S")
	for _, d := range []string{home, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(sdir, 0o700); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(home, ".claude")
	mock, err := startMockAPI(throttleOnce(time.Now(), 0), time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mock.close)
	env := append(baseEnv(home), "ANTHROPIC_BASE_URL="+mock.URL, "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"DISABLE_AUTOUPDATER=1", "CLAUDE_CODE_MAX_RETRIES=0", "CLAUDE_CODE_OAUTH_TOKEN="+oauthToken)
	writeClaudeJSON(t, home, work, "")

	scr := func(args ...string) (string, error) {
		cmd := exec.Command("screen", args...)
		cmd.Env = append(slicesClone(env), "SCREENDIR="+sdir, "LANG=C.UTF-8")
		cmd.Dir = work
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	line := "cd " + strconv.Quote(work) + " && exec " + strings.Join(quoteAll(argv), " ")
	if out, err := scr("-c", "/dev/null", "-U", "-dmS", "cc", "bash", "--norc", "--noprofile", "-c", line); err != nil {
		t.Fatalf("screen: %v\n%s", err, out)
	}
	var sess string
	t.Cleanup(func() {
		if pid, _, ok := strings.Cut(sess, "."); ok {
			if n, err := strconv.Atoi(pid); err == nil {
				if p, err := os.FindProcess(n); err == nil {
					_ = p.Kill()
				}
			}
		}
	})
	waitFor(t, 20*time.Second, "the screen session", func() string { out, _ := scr("-ls"); return out }, func() bool {
		out, _ := scr("-ls")
		if ss := screen.ParseList(out); len(ss) == 1 {
			sess = ss[0]
		}
		return sess != ""
	})
	backend := screen.New(resume.ExecRunner{Timeout: 5 * time.Second}, nil, sdir)
	capture := func() string {
		text, err := backend.Capture(context.Background(), sess+"/0")
		if err != nil {
			return "hardcopy: " + err.Error()
		}
		return text
	}
	var watch *process
	dump := func() string {
		var b strings.Builder
		b.WriteString("--- screen (hardcopy, recovered)\n" + trimScreen(capture()) + "\n")
		tr, err := readTranscripts(root)
		b.WriteString("--- transcript (err=" + errText(err) + ")\n" + tr.String())
		b.WriteString("--- mock\n" + mock.Summary())
		if watch != nil {
			b.WriteString("--- ccwake\n" + watch.out.String())
		}
		return b.String()
	}
	waitFor(t, 60*time.Second, "the client's empty prompt", dump, func() bool { return promptReady(capture()) })
	if _, err := scr("-S", sess, "-p", "0", "-X", "stuff", prompt); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the prompt typed", dump, func() bool { return inputLine(capture()) == prompt })
	if _, err := scr("-S", sess, "-p", "0", "-X", "stuff", "\r"); err != nil {
		t.Fatal(err)
	}
	var tr transcript
	waitFor(t, 60*time.Second, "the API error in the transcript", dump, func() bool {
		tr, _ = readTranscripts(root)
		return tr.firstError() >= 0
	})
	waitFor(t, 30*time.Second, "the stall to settle on screen", dump, func() bool { return settled(capture()) })
	t.Logf("screen at the stall (hardcopy, recovered):\n%s", trimScreen(capture()))

	watch = startProcess(t, append(baseEnv(home), "SCREENDIR="+sdir), bin, "--auto", "--claude-dir", root,
		"--backends", "screen", "--throttle-base", "1s", "--throttle-cap", "2s", "--log-format", "json")
	// 2.1.330 draws a dim hint in the empty prompt after an error ("Resend
	// your message to try again"). screen's hardcopy has no styles, so it
	// reads like a human's draft: ccwake locates the window and waits, on
	// every re-check, and types nothing. (With the fake Claude, which draws
	// no hint, resume/screenactor_integration_test.go types once.)
	want := "screen:" + sess + "/0"
	refusals := func() int {
		n := 0
		for _, l := range logLines(watch.out.String()) {
			if l.Msg == "skipped" && l.Pane == want && strings.Contains(l.Reason, "user typing") {
				n++
			}
		}
		return n
	}
	waitFor(t, 60*time.Second, "ccwake to find the window and refuse (user typing)", dump, func() bool { return refusals() >= 1 })
	// Watch past two draft re-checks (every 5 s): still nothing typed.
	end := time.Now().Add(12 * time.Second)
	for time.Now().Before(end) {
		tr, _ = readTranscripts(root)
		if len(tr.after(tr.firstError(), typedContinue(message))) > 0 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	tr, _ = readTranscripts(root)
	i := tr.firstError()
	if n := len(tr.after(i, typedContinue(message))); n != 0 {
		t.Errorf("%d %q after the stall, want none: the hint must never be typed over\n%s", n, message, dump())
	}
	if _, ok := findLog(logLines(watch.out.String()), "typed"); ok {
		t.Errorf("ccwake logged typed\n%s", dump())
	}
	if got := inputLine(capture()); got != "Resend your message to try again" {
		t.Errorf("input line %q: the prompt was touched\n%s", got, dump())
	}
	t.Logf("located %s and refused %d times: the hint reads as a draft without styles", want, refusals())
}

func quoteAll(argv []string) []string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return q
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

func errText(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}
