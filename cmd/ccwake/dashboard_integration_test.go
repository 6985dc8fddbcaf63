package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// countdownRe is the RESUME cell of a session waiting less than an hour:
// "in 12s", "in 4m05s", "in 58m" (group 1 is the minutes, "" under one).
var countdownRe = regexp.MustCompile(`\bin (?:(\d+)m(?:\d\ds)?|\d+s)\b`)

// TestDashboardRetryResumesThrottledSession runs the real ccwake binary's
// dashboard in one tmux pane beside the fake Claude stalled on a server
// throttle in another, presses r, and checks the pane got `continue`: in the
// transcript, on the fake's screen, and in the dashboard's event log. The
// throttle backoff is 10 minutes, so only the key can resume within the
// test. Then q must end ccwake with status 0.
func TestDashboardRetryResumesThrottledSession(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 40)
	s := e.startClaude(filepath.Join(e.home, "src", "myproj"), "429,ok", "say hi")
	dump := e.dump([]string{s.Pane}, s)
	e.waitScreen(s.Pane, "the fake Claude to stall on a throttle", func(text string) bool {
		return strings.Contains(text, "Server is temporarily limiting requests") && strings.Contains(text, "❯\u00a0")
	}, dump)

	cw := e.startCCWake("--throttle-base", "10m", "--throttle-cap", "10m", "--seed", "7")
	dash := cw.Pane
	dump = e.dump([]string{dash, s.Pane}, s)

	screen := e.waitScreen(dash, "the stalled session with kind throttle and a countdown", func(text string) bool {
		row := rowOf(text, s.ID)
		return strings.Contains(row, "WAITING") && strings.Contains(row, "throttle") && countdownRe.MatchString(row)
	}, dump)
	row := rowOf(screen, s.ID)
	if !strings.Contains(row, "src/myproj") {
		t.Fatalf("row %q: want project src/myproj\n%s", row, dump())
	}
	if m := countdownRe.FindStringSubmatch(row); m[1] == "" {
		t.Fatalf("countdown %s in row %q: the seed must give a wait of minutes, or auto-resume races the key\n%s", m[0], row, dump())
	}
	if !strings.Contains(screen, "watching ~/.claude") {
		t.Errorf("header does not say which root it watches:\n%s", screen)
	}
	if got := userEntries(s.Transcript); count(got, "continue") != 0 {
		t.Fatalf("typed before r was pressed: user entries %q\n%s", got, dump())
	}

	e.must("send-keys", "-t", dash, "r")

	waitCond(t, "one main-thread user entry \"continue\" in the transcript", func() bool {
		return count(userEntries(s.Transcript), "continue") == 1
	}, dump)
	e.waitScreen(s.Pane, "the fake's reply to continue", func(text string) bool {
		return strings.Contains(text, "❯ continue") && strings.Contains(text, "Hello from the fake (1).")
	}, dump)
	screen = e.waitScreen(dash, "typed and confirmed in the event log, the row RESUMED", func(text string) bool {
		return len(logLines(text, s.ID, "typed")) == 1 && len(logLines(text, s.ID, "confirmed")) == 1 &&
			strings.Contains(rowOf(text, s.ID), "RESUMED")
	}, dump)
	if row := rowOf(screen, s.ID); !strings.Contains(row, " tmux:"+s.Pane+" ") {
		t.Errorf("resumed row %q does not show pane %s", row, s.Pane)
	}
	if typed := logLines(screen, s.ID, "typed")[0]; !strings.Contains(typed, "continue") || !strings.Contains(typed, "[tmux:"+s.Pane+"]") {
		t.Errorf("typed line %q: want the message and pane [%s]\n%s", typed, s.Pane, dump())
	}
	t.Logf("dashboard after r:\n%s", screen)
	if len(logLines(screen, s.ID, "retry")) != 1 {
		t.Errorf("the event log does not show the retry the key asked for:\n%s", screen)
	}
	if got := userEntries(s.Transcript); len(got) != 2 || got[0] != "say hi" || got[1] != "continue" {
		t.Fatalf("user entries %q, want [say hi continue]\n%s", got, dump())
	}

	e.quit(cw, dump)
}

// TestDashboardCapture shows the real dashboard at 120x35 on a realistic
// mix: fake Claude panes stalled on a throttle, a 5-hour cap and a 529 (auto-
// resumed), one whose 529 stall is behind a permission dialog, and copies of
// recorded fixture transcripts with no pane (a weekly Opus cap, a 500, an
// account rate limit) moved to fresh times in their own projects. It checks
// every session got its row and kind, then, when CCWAKE_DASHBOARD_CAPTURE
// names a file, writes the screen there (capture-pane -p, no colours):
//
//	CCWAKE_DASHBOARD_CAPTURE=$PWD/docs/dashboard.txt go test -run TestDashboardCapture ./cmd/ccwake/
func TestDashboardCapture(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 35)
	throttled := e.startClaude(filepath.Join(e.home, "src", "ccwake"), "429,ok", "fix the flaky tailer test")
	capped := e.startClaude(filepath.Join(e.home, "src", "billing-service"), "5h,ok", "add invoice export")
	overloaded := e.startClaude(filepath.Join(e.home, "work", "data-pipeline"), "529,ok", "backfill october")
	dialog := e.startClaude(filepath.Join(e.home, "src", "frontend"), "529,ok", "refactor the router", "-dialog")
	fakes := []fakeClaude{throttled, capped, overloaded, dialog}
	recorded := map[string]string{ // fixture → cwd it is moved to
		"v2.1.145-oauth-7d-opus.jsonl": filepath.Join(e.home, "src", "api-gateway"),
		"v2.1.330-key-500.jsonl":       filepath.Join(e.home, "ml", "trainer"),
		"v2.1.330-key-429.jsonl":       filepath.Join(e.home, "dev", "scratch"),
	}
	var ids []string
	for name, cwd := range recorded {
		ids = append(ids, copyFixture(t, e.root, name, cwd, time.Now().Add(-40*time.Second)))
	}
	panes := []string{}
	for _, s := range fakes {
		panes = append(panes, s.Pane)
	}
	dump := e.dump(panes, fakes...)
	for _, s := range fakes {
		waitCond(t, "every fake Claude to stall", func() bool { return len(userEntries(s.Transcript)) == 1 && fileHas(s.Transcript, "isApiErrorMessage") }, dump)
	}

	cw := e.startCCWake("--throttle-base", "10m", "--throttle-cap", "10m", "--rate-limit-base", "30m", "--rate-limit-cap", "30m",
		"--overloaded-base", "1s", "--overloaded-cap", "1s", "--seed", "7")
	dash := cw.Pane
	dump = e.dump(append([]string{dash}, panes...), fakes...)
	want := map[string]string{ // session → what its row must say
		throttled.ID:  "throttle",
		capped.ID:     "usage 5h",
		overloaded.ID: "RESUMED",
		dialog.ID:     "BLOCKED",
		ids[0]:        "", ids[1]: "", ids[2]: "",
	}
	screen := e.waitScreen(dash, "every session's row, the fakes' panes located, the 529 resumed, the dialog one blocked", func(text string) bool {
		for id, what := range want {
			if row := rowOf(text, id); row == "" || !strings.Contains(row, what) {
				return false
			}
		}
		for _, s := range fakes { // located: the row shows the pane
			if !strings.Contains(rowOf(text, s.ID), " tmux:"+s.Pane+" ") {
				return false
			}
		}
		return len(logLines(text, overloaded.ID, "confirmed")) == 1 && len(logLines(text, dialog.ID, "skipped")) >= 1
	}, dump)
	for name, cwd := range recorded {
		proj := filepath.Base(filepath.Dir(cwd)) + "/" + filepath.Base(cwd)
		if !strings.Contains(screen, proj) {
			t.Errorf("no row for %s (project %s)\n%s", name, proj, screen)
		}
	}
	for _, kind := range []string{"usage opus", "server err", "rate limit"} {
		if !strings.Contains(screen, " "+kind) {
			t.Errorf("no row of kind %q\n%s", kind, screen)
		}
	}
	if got := userEntries(dialog.Transcript); count(got, "continue") != 0 {
		t.Errorf("typed into a pane with a dialog open: %q\n%s", got, dump())
	}
	t.Logf("dashboard:\n%s", screen)
	if out := os.Getenv("CCWAKE_DASHBOARD_CAPTURE"); out != "" {
		if err := os.WriteFile(out, []byte(screen), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e.quit(cw, dump)
}

// tsRe finds an entry's timestamp.
var tsRe = regexp.MustCompile(`"timestamp":"([^"]+)"`)

// copyFixture copies testdata/transcripts/name into root as a transcript of
// a session in cwd whose newest entry was written at newest: every
// timestamp moves by the same amount, the recorded cwd becomes cwd. It
// returns the session id.
func copyFixture(t *testing.T, root, name, cwd string, newest time.Time) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "transcripts", name))
	if err != nil {
		t.Fatal(err)
	}
	var last time.Time
	for _, m := range tsRe.FindAllSubmatch(data, -1) {
		if ts, err := time.Parse(time.RFC3339Nano, string(m[1])); err == nil && ts.After(last) {
			last = ts
		}
	}
	if last.IsZero() {
		t.Fatalf("%s: no timestamps", name)
	}
	shift := newest.Sub(last)
	data = tsRe.ReplaceAllFunc(data, func(m []byte) []byte {
		ts, err := time.Parse(time.RFC3339Nano, string(tsRe.FindSubmatch(m)[1]))
		if err != nil {
			return m
		}
		return []byte(`"timestamp":"` + ts.Add(shift).UTC().Format("2006-01-02T15:04:05.000Z") + `"`)
	})
	data = bytes.ReplaceAll(data, []byte(`"cwd":"/home/dev/work"`), []byte(`"cwd":"`+cwd+`"`))
	m := regexp.MustCompile(`"sessionId":"([^"]+)"`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s: no sessionId", name)
	}
	id := string(m[1])
	dir := filepath.Join(root, "projects", strings.NewReplacer("/", "-", ".", "-").Replace(cwd))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, id+".jsonl"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return id
}

func fileHas(path, s string) bool {
	data, err := os.ReadFile(path)
	return err == nil && bytes.Contains(data, []byte(s))
}
