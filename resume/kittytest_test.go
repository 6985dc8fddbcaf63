package resume

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/internal/xtest"
	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
)

// kittyServer is a real kitty under its own Xvfb, with remote control on a
// private socket; both are killed by pid on cleanup.
type kittyServer struct {
	t  *testing.T
	to string // "unix:<tmp>/k.sock"
}

func newKitty(t *testing.T) *kittyServer {
	t.Helper()
	if testing.Short() {
		t.Skip("real kitty and Xvfb: skipped with -short")
	}
	if p := xtest.Installed(); p != "" {
		t.Skip(p + " not installed (apt-get install kitty xvfb)")
	}
	display := xtest.StartXvfb(t)
	sock := filepath.Join(t.TempDir(), "k.sock")
	k := &kittyServer{t: t, to: xtest.StartKitty(t, display, sock, nil, "bash", "--norc", "--noprofile")}
	return k
}

func (k *kittyServer) out(args ...string) (string, error) {
	out, err := exec.Command("kitty", append([]string{"@", "--to", k.to}, args...)...).CombinedOutput()
	return string(out), err
}

func (k *kittyServer) must(args ...string) string {
	k.t.Helper()
	out, err := k.out(args...)
	if err != nil {
		k.t.Fatalf("kitty @ %q: %v\n%s", args, err, out)
	}
	return out
}

func (k *kittyServer) actor() *pane.Actor {
	return pane.New(pane.Config{Backends: []string{"kitty"}, KittyListenOn: k.to})
}

func (k *kittyServer) capture(pane string) string {
	out, err := k.out("get-text", "--match", "id:"+strings.TrimPrefix(pane, "kitty:"))
	if err != nil {
		return "get-text: " + err.Error() + out
	}
	return out
}

func (k *kittyServer) waitScreen(pane, what string, cond func(string) bool) {
	k.t.Helper()
	waitFor(k.t, what, func() bool { return cond(k.capture(pane)) }, func() string { return k.capture(pane) })
}

// startClaude opens a kitty window whose bash runs the fake Claude in cwd
// (writing its sessions file) and waits for its input box. mux.Pane is the
// qualified id.
func (k *kittyServer) startClaude(bin, cwd, root, id, script string) paneSession {
	k.t.Helper()
	transcript := filepath.Join(root, "projects", "p", id+".jsonl")
	for _, d := range []string{filepath.Dir(transcript), filepath.Join(root, "sessions"), cwd} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			k.t.Fatal(err)
		}
	}
	args := []string{"env", "CLAUDE_CONFIG_DIR=" + root, bin, "-transcript", transcript, "-session-id", id,
		"-cwd", cwd, "-script", script, "-first", "say hi", "-width", "90", "-sessions-dir", filepath.Join(root, "sessions")}
	win := strings.TrimSpace(k.must("launch", "--type=tab", "--cwd", cwd, "bash", "--norc", "--noprofile", "-c",
		shellQuote(args)+"; exec bash --norc --noprofile"))
	pane := "kitty:" + win
	k.waitScreen(pane, "the fake's input box", func(text string) bool {
		return strings.Contains(text, "(fake)") && strings.Contains(text, "❯\u00a0")
	})
	return paneSession{Pane: pane, Session: watch.Session{ID: id, Cwd: cwd, Root: root, Transcript: transcript,
		State: watch.Stalled, Message: throttle2x}}
}
