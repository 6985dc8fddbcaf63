package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/mux/screen"
)

// TestRealClientScreen is the throttle scenario with the client in a GNU
// screen window (a private SCREENDIR) and ccwake --backends screen. At the
// stall a human types the words of the client's hint ("Resend your message
// to try again"): ccwake finds the window and refuses the draft. The human
// erases them; the client's own hint is back (same text, no styles in a
// hardcopy, the cursor on its first cell): ccwake types exactly one
// continue and confirms it.
func TestRealClientScreen(t *testing.T) {
	claude := needClient(t)
	if _, err := exec.LookPath("screen"); err != nil {
		t.Skip("GNU screen not installed")
	}
	w := newBackendWorld(t, claude)
	argv, bin, dir, home, work, root, env, mock := w.argv, w.bin, w.dir, w.home, w.work, w.root, w.env, w.mock
	sdir := filepath.Join(dir, "S")
	if err := os.Mkdir(sdir, 0o700); err != nil {
		t.Fatal(err)
	}

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
	backend := screen.New(mux.ExecRunner{Timeout: 5 * time.Second}, nil, sdir)
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

	// 2.1.330 draws a dim hint in the empty prompt after the error. screen's
	// hardcopy has no styles; the client leaves the cursor on the hint's
	// first cell, a human's typing leaves it after the text.
	cursor := func() (int, int) {
		col, row, err := backend.Cursor(context.Background(), sess+"/0")
		if err != nil {
			t.Logf("cursor: %v", err)
			return -1, -1
		}
		return col, row
	}
	const hint = "Resend your message to try again"
	if got := inputLine(capture()); got != hint {
		t.Fatalf("input line at the stall %q, want the client's hint %q\n%s", got, hint, dump())
	}
	col, row := cursor()
	t.Logf("the hint, cursor at column %d row %d (0-based)", col, row)
	saveScreen(t, "stall", capture(), col, row)

	// A human types the hint's very words: a draft, which ccwake must leave.
	if _, err := scr("-S", sess, "-p", "0", "-X", "stuff", hint); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the typed words, cursor after them", dump, func() bool {
		c, _ := cursor()
		return c == col+len(hint) && inputLine(capture()) == hint
	})
	saveScreen(t, "typed-hint", capture(), col+len(hint), row)

	watch = startProcess(t, append(baseEnv(home), "SCREENDIR="+sdir), bin, "--auto", "--claude-dir", root,
		"--backends", "screen", "--throttle-base", "1s", "--throttle-cap", "2s", "--log-format", "json")
	started := time.Now()
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
	waitFor(t, 60*time.Second, "ccwake to find the window and refuse the typed words (user typing)", dump, func() bool { return refusals() >= 1 })
	tr, _ = readTranscripts(root)
	if n := len(tr.after(tr.firstError(), typedContinue(message))); n != 0 {
		t.Fatalf("%d %q typed over a human's draft\n%s", n, message, dump())
	}
	if got := inputLine(capture()); got != hint {
		t.Fatalf("input line %q: the human's draft was touched\n%s", got, dump())
	}

	// The human erases the words: the client's hint is back, and ccwake types
	// once on its next re-check.
	if _, err := scr("-S", sess, "-p", "0", "-X", "stuff", strings.Repeat("\x7f", len(hint))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the hint back, cursor on its first cell", dump, func() bool {
		c, r := cursor()
		return c == col && r == row && inputLine(capture()) == hint
	})
	erased := time.Now()
	waitFor(t, 60*time.Second, "ccwake's continue and the mock's reply in the transcript", dump, func() bool {
		tr, _ = readTranscripts(root)
		i := tr.firstError()
		return len(tr.after(i, typedContinue(message))) > 0 && len(tr.after(i, mockAnswer)) > 0
	})
	waitFor(t, 30*time.Second, "ccwake to log confirmed", dump, func() bool {
		_, ok := findLog(logLines(watch.out.String()), "confirmed")
		return ok
	})
	tr, _ = readTranscripts(root)
	i := tr.firstError()
	if n := len(tr.after(i, typedContinue(message))); n != 1 {
		t.Errorf("%d %q after the stall, want exactly one\n%s", n, message, dump())
	}
	if n := tr.errors(); n != 1 {
		t.Errorf("%d API errors in the transcript, want 1\n%s", n, dump())
	}
	for _, e := range tr.after(i, func(e convEntry) bool { return e.Type == "user" }) {
		if strings.Contains(e.Text, hint) {
			t.Errorf("the hint's words were submitted: %q\n%s", e.Text, dump())
		}
	}
	logs := logLines(watch.out.String())
	tl, _ := findLog(logs, "typed")
	cl, _ := findLog(logs, "confirmed")
	if tl.Pane != want {
		t.Errorf("typed into %q, want %q", tl.Pane, want)
	}
	saveScreen(t, "end", capture(), -1, -1)
	t.Logf("refused the typed words %d times; typed %s after ccwake's start, %s after the words were erased; confirmed at %s",
		refusals(), tl.Time.Sub(started).Round(time.Millisecond), tl.Time.Sub(erased).Round(time.Millisecond), cl.Time.Format("15:04:05.000"))
}

// saveScreen writes a recovered hardcopy (and the cursor, when known) to
// $CCWAKE_E2E_PANES/e2e-screen-2.1.330-<moment>.txt.
func saveScreen(t *testing.T, moment, text string, col, row int) {
	dir := os.Getenv("CCWAKE_E2E_PANES")
	if dir == "" {
		return
	}
	name := filepath.Join(dir, "e2e-screen-"+moment+".txt")
	if col >= 0 {
		text = "# cursor " + strconv.Itoa(col) + "," + strconv.Itoa(row) + " (0-based column,row of the lines below)\n" + text
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Logf("save screen: %v", err)
	}
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
