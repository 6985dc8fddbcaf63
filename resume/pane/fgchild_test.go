package pane

import (
	"context"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/resume/procs"
)

// Which processes in Claude's foreground process group stop the keys.
func TestGuardForegroundChild(t *testing.T) {
	pipes := []string{"pipe:[1]", "pipe:[2]", "pipe:[3]"}
	for _, tt := range []struct {
		name   string
		setup  func(w *actorWorld)
		reason string // "" = the pane guards pass
	}{
		{"editor on the terminal", func(w *actorWorld) {
			w.procs.Add(procs.Proc{PID: 501, PPID: 500, PGID: 500, Comm: "vim"}, "/w")
		}, "Claude (pid 500) runs vim (pid 501) in the foreground of pane tmux:%3"},
		{"grandchild on the terminal", func(w *actorWorld) {
			w.procs.Add(procs.Proc{PID: 501, PPID: 500, PGID: 500, Comm: "sh"}, "/w")
			w.procs.StdioOf[501] = pipes
			w.procs.Add(procs.Proc{PID: 502, PPID: 501, PGID: 500, Comm: "nano"}, "/w")
			w.procs.StdioOf[502] = []string{"/dev/pts/3", "pipe:[4]", "pipe:[5]"}
		}, "runs nano (pid 502)"},
		{"descriptors unreadable", func(w *actorWorld) {
			w.procs.Add(procs.Proc{PID: 501, PPID: 500, PGID: 500, Comm: "helper"}, "/w")
			w.procs.StdioOf[501] = nil
		}, "whether it reads the terminal is unknown"},
		{"MCP server or tool on pipes", func(w *actorWorld) {
			w.procs.Add(procs.Proc{PID: 501, PPID: 500, PGID: 500, Comm: "node"}, "/w")
			w.procs.StdioOf[501] = pipes
		}, ""},
		{"child in its own group (background)", func(w *actorWorld) {
			w.procs.Add(procs.Proc{PID: 501, PPID: 500, PGID: 501, Comm: "vim"}, "/w")
		}, ""},
		{"wrapper above Claude in its group", func(w *actorWorld) {
			// bash (100) → sh wrapper (450, group 450) → claude (500, group 450)
			w.procs.Add(procs.Proc{PID: 450, PPID: 100, PGID: 450, TPGID: 450, Comm: "sh"}, "/w")
			w.procs.Add(procs.Proc{PID: 500, PPID: 450, PGID: 450, TPGID: 450, Comm: "claude", Start: "77"}, "/w")
			w.procs.Add(procs.Proc{PID: 100, PPID: 1, TPGID: 450, Comm: "bash"}, "/w")
		}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newActorWorld(t)
			w.claudeIn(100, 500, "77", "/w")
			tt.setup(w)
			w.expectInfo(pane3)
			_, err := w.actor.paneGuards(context.Background(), Target{Pane: "%3", PID: 500})
			if tt.reason == "" {
				if err != nil {
					t.Errorf("paneGuards = %v; want pass", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("paneGuards = %v; want %q", err, tt.reason)
			}
		})
	}
}
