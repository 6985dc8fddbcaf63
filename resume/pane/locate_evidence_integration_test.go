package pane

import (
	"context"
	"strings"
	"testing"
)

// The stalled session's own Claude is gone; another Claude in the same cwd
// shows the same throttle. Its pane is never this session's. Real tmux and
// real fake-Claude processes with differing environments.

// quit ends the fake in pane with Ctrl-D and waits for its shell.
func (w *world) quit(s paneSession) {
	w.t.Helper()
	w.Must("send-keys", "-t", s.Pane, "C-d")
	waitFor(w.t, "the fake to quit", func() bool {
		p, err := w.actor().Tmux().PaneInfo(context.Background(), s.Pane)
		return err == nil && p.Command == "bash"
	}, func() string { return w.Capture(s.Pane) })
}

// stalled waits until pane shows the fake's throttle as its last message.
func (w *world) stalled(s paneSession) {
	w.t.Helper()
	w.WaitScreen(s.Pane, "the stall", func(t string) bool { return ClassifyScreen(t, throttle2x).StallShown })
}

func TestTmuxLocateNeverAnotherRootsPane(t *testing.T) {
	t.Parallel() // its own server, socket and root
	for _, tt := range []struct {
		name        string
		sessionFile bool // B is 2.1.330 style with sessions/<pid>.json in its own root
		viaHome     bool // B's root comes from HOME, not CLAUDE_CONFIG_DIR
	}{
		{"pre-2.1.145, CLAUDE_CONFIG_DIR", false, false},
		{"2.1.330 sessions file in its root", true, false},
		{"root from HOME", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			a := w.claude("sess-a", claudeOpts{script: "429", sessionFile: tt.sessionFile})
			w.stalled(a)
			w.quit(a)
			home := t.TempDir()
			r2 := home + "/.claude"
			o := claudeOpts{script: "429", sessionFile: tt.sessionFile}
			if tt.viaHome {
				o.env = []string{"CLAUDE_CONFIG_DIR=", "HOME=" + home}
			}
			b := w.startClaude(w.bin, w.cwd, r2, "sess-b", o)
			w.stalled(b)
			got, err := w.actor().Locate(context.Background(), a.Session)
			if err == nil {
				t.Fatalf("Locate(A) = %+v: picked the pane of a session of another root\n%s", got, w.Capture(b.Pane))
			}
			if !strings.Contains(err.Error(), "runs under Claude root "+r2) {
				t.Errorf("Locate(A) err = %v; want it to name B's root", err)
			}
			// B itself is found through its own root.
			if got, err := w.actor().Locate(context.Background(), b.Session); err != nil || got.Pane != "tmux:"+b.Pane {
				t.Errorf("Locate(B) = %+v, %v; want pane %s", got, err, b.Pane)
			}
		})
	}
}

func TestTmuxLocateQuitSessionNotItsNeighbour(t *testing.T) {
	t.Parallel() // its own server, socket and root
	for _, tt := range []struct {
		name           string
		firstA, firstB string
	}{
		{"same prompt", "say hi", "say hi"},
		{"different prompts", "fix the parser", "say hi"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			a := w.claude("sess-a", claudeOpts{script: "429", first: tt.firstA})
			w.stalled(a)
			w.quit(a)
			b := w.claude("sess-b", claudeOpts{script: "429", first: tt.firstB})
			w.stalled(b)
			got, err := w.actor().Locate(context.Background(), a.Session)
			if err == nil {
				t.Fatalf("Locate(A) = %+v: picked B's pane %s\n%s", got, b.Pane, w.Capture(b.Pane))
			}
			if !strings.Contains(err.Error(), "other stalled session(s)") {
				t.Errorf("Locate(A) err = %v; want the reason", err)
			}
		})
	}
}

// Both alive and stalled in one cwd and root, neither names its session:
// only the last prompt on screen tells them apart, and equal prompts do not.
func TestTmuxLocateByOwnLastPrompt(t *testing.T) {
	t.Parallel() // its own server, socket and root
	for _, tt := range []struct {
		name           string
		firstA, firstB string
		wantErr        string
	}{
		{"different prompts", "fix the parser", "say hi", ""},
		{"same prompt", "say hi", "say hi", "session sess-b has too"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			a := w.claude("sess-a", claudeOpts{script: "429", first: tt.firstA})
			b := w.claude("sess-b", claudeOpts{script: "429", first: tt.firstB})
			w.stalled(a)
			w.stalled(b)
			got, err := w.actor().Locate(context.Background(), a.Session)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Locate(A) = %+v, %v; want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Pane != "tmux:"+a.Pane || !strings.Contains(got.How, "last prompt on screen") {
				t.Errorf("Locate(A) = %+v, %v; want pane %s by its last prompt", got, err, a.Pane)
			}
		})
	}
}
