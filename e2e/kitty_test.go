package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/xtest"
)

// TestRealClientKitty is the throttle scenario with the client in a kitty
// window (kitty under its own Xvfb, remote control on a private socket)
// and ccwake --backends kitty: exactly one continue, confirmed.
func TestRealClientKitty(t *testing.T) {
	claude := needClient(t)
	if p := xtest.Installed(); p != "" {
		t.Skip(p + " not installed")
	}
	w := newBackendWorld(t, claude)
	argv, bin, dir, home, work, root, env, mock := w.argv, w.bin, w.dir, w.home, w.work, w.root, w.env, w.mock

	display := xtest.StartXvfb(t)
	to := xtest.StartKitty(t, display, filepath.Join(dir, "k.sock"), slicesClone(env), append([]string{"--directory", work}, argv...)...)
	kitty := func(args ...string) (string, error) {
		out, err := exec.Command("kitty", append([]string{"@", "--to", to}, args...)...).CombinedOutput()
		return string(out), err
	}
	capture := func() string {
		out, err := kitty("get-text", "--match", "id:1")
		if err != nil {
			return "get-text: " + err.Error() + out
		}
		return out
	}
	var watch *process
	dump := func() string {
		var b strings.Builder
		b.WriteString("--- kitty window 1\n" + trimScreen(capture()) + "\n")
		tr, err := readTranscripts(root)
		b.WriteString("--- transcript (err=" + errText(err) + ")\n" + tr.String())
		b.WriteString("--- mock\n" + mock.Summary())
		if watch != nil {
			b.WriteString("--- ccwake\n" + watch.out.String())
		}
		return b.String()
	}
	waitFor(t, 90*time.Second, "the client's empty prompt", dump, func() bool { return promptReady(capture()) })
	if _, err := kitty("send-text", "--match", "id:1", "--", prompt); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the prompt typed", dump, func() bool { return inputLine(capture()) == prompt })
	if _, err := kitty("send-text", "--match", "id:1", "--", `\r`); err != nil {
		t.Fatal(err)
	}
	var tr transcript
	waitFor(t, 60*time.Second, "the API error in the transcript", dump, func() bool {
		tr, _ = readTranscripts(root)
		return tr.firstError() >= 0
	})
	waitFor(t, 30*time.Second, "the stall to settle on screen", dump, func() bool { return settled(capture()) })
	t.Logf("screen at the stall:\n%s", trimScreen(capture()))

	watch = startProcess(t, append(baseEnv(home), "KITTY_LISTEN_ON="+to), bin, "--auto", "--claude-dir", root,
		"--backends", "kitty", "--throttle-base", "1s", "--throttle-cap", "2s", "--log-format", "json")
	waitFor(t, 90*time.Second, "ccwake's continue and the mock's reply in the transcript", dump, func() bool {
		tr, _ = readTranscripts(root)
		i := tr.firstError()
		return i >= 0 && len(tr.after(i, typedContinue(message))) > 0 && len(tr.after(i, mockAnswer)) > 0
	})
	waitFor(t, 30*time.Second, "ccwake to log confirmed", dump, func() bool {
		_, ok := findLog(logLines(watch.out.String()), "confirmed")
		return ok
	})
	i := tr.firstError()
	if n := len(tr.after(i, typedContinue(message))); n != 1 {
		t.Errorf("want exactly one %q after the stall, got %d\n%s", message, n, dump())
	}
	if n := tr.errors(); n != 1 {
		t.Errorf("want 1 API error, got %d\n%s", n, dump())
	}
	if tl, ok := findLog(logLines(watch.out.String()), "typed"); !ok || tl.Pane != "kitty:1" {
		t.Errorf("typed log %+v (found %v), want pane kitty:1", tl, ok)
	} else {
		t.Logf("typed into %s: %s", tl.Pane, tl.Reason)
	}
}
