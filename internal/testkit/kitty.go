package testkit

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/internal/xtest"
)

// Kitty is a real kitty under its own Xvfb, with remote control on a
// private socket; both are killed by pid on cleanup.
type Kitty struct {
	t testing.TB
	// To is the remote-control address, "unix:<tmp>/k.sock".
	To string
}

// NewKitty starts Xvfb and kitty (its first window a plain bash); it skips
// in -short mode and when either is not installed.
func NewKitty(t testing.TB) *Kitty {
	t.Helper()
	SkipShort(t, "real kitty and Xvfb")
	if p := xtest.Installed(); p != "" {
		t.Skip(p + " not installed (apt-get install kitty xvfb)")
	}
	display := xtest.StartXvfb(t)
	sock := filepath.Join(t.TempDir(), "k.sock")
	return &Kitty{t: t, To: xtest.StartKitty(t, display, sock, nil, "bash", "--norc", "--noprofile")}
}

// Out runs one `kitty @` command on this kitty.
func (k *Kitty) Out(args ...string) (string, error) {
	out, err := exec.Command("kitty", append([]string{"@", "--to", k.To}, args...)...).CombinedOutput()
	return string(out), err
}

// Must is Out that fails the test on error.
func (k *Kitty) Must(args ...string) string {
	k.t.Helper()
	out, err := k.Out(args...)
	if err != nil {
		k.t.Fatalf("kitty @ %q: %v\n%s", args, err, out)
	}
	return out
}

// Capture is the text of a window (kitty:<id>).
func (k *Kitty) Capture(pane string) string {
	out, err := k.Out("get-text", "--match", "id:"+strings.TrimPrefix(pane, "kitty:"))
	if err != nil {
		return "get-text: " + err.Error() + out
	}
	return out
}

// WaitScreen polls the window until cond holds.
func (k *Kitty) WaitScreen(pane, what string, cond func(string) bool) {
	k.t.Helper()
	WaitFor(k.t, what, func() bool { return cond(k.Capture(pane)) }, func() string { return k.Capture(pane) })
}

// StartClaude opens a kitty tab whose bash runs the fake bin in o.Cwd and
// waits for its input box. The Claude's Pane is the qualified id
// kitty:<window>.
func (k *Kitty) StartClaude(bin string, o ClaudeOpts) Claude {
	k.t.Helper()
	o.ChdirFlag = true
	if o.Width == 0 {
		o.Width = 90
	}
	o = o.withDefaults(k.t)
	win := strings.TrimSpace(k.Must("launch", "--type=tab", "--cwd", o.Cwd, "bash", "--norc", "--noprofile", "-c",
		ShellQuote(o.argv(bin))+"; exec bash --norc --noprofile"))
	pane := "kitty:" + win
	k.WaitScreen(pane, "the fake's input box", func(text string) bool {
		return strings.Contains(text, "(fake)") && strings.Contains(text, "❯\u00a0")
	})
	return o.claude(pane)
}
