package resume

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/mux/tmux"
	"github.com/ccwake/ccwake/resume/procs"
)

// Reopening refuses what it cannot reopen as it was, and says it needs a
// human: a session whose cwd was deleted after its terminal went (tmux
// would start `claude --resume` in its server's directory, the wrong
// project), and a session whose id is shaped like an option (`-p`,
// `--settings=<file>`, from a transcript's sessionId or its file name).
// Nothing is spawned, nothing is typed, the stall is not counted as
// reopened. Real tmux on a private socket, the fake Claude, the real
// watcher and the real spawner.
func TestIntegrationReopenRefusesWhatCannotBeReopened(t *testing.T) {
	for _, tc := range []struct {
		name    string
		id      string // "" for a fresh uuid
		rmCwd   bool
		because string // in the reason
	}{
		{name: "cwd deleted", rmCwd: true, because: "was moved or deleted"},
		{name: "id -p", id: "-p", because: "not of the shape Claude Code writes"},
		{name: "id --settings option", id: "--settings=evil.json", because: "not of the shape Claude Code writes"},
		{name: "id upper-case uuid", id: "5E551017-0000-4000-8000-0000000000AB", because: "not of the shape Claude Code writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newItEnv(t)
			id := tc.id
			if id == "" {
				id = newUUID()
			}
			s := env.startAs(id, env.root, filepath.Join(t.TempDir(), "proj"), "429,ok", "say hi")
			dump := env.dump([]fakeSession{s})
			waitUntil(t, itTimeout, "the stall in the transcript", func() bool {
				b, _ := os.ReadFile(s.Transcript)
				return strings.Contains(string(b), `"apiErrorStatus":429`)
			}, dump)
			// A bystander keeps the server up: Locate finds no pane, not no server.
			if out, err := env.tmux.Run("new-window", "-d", "-t", "cc", "sleep", "600"); err != nil {
				t.Fatalf("tmux new-window: %v: %s", err, out)
			}
			if out, err := env.tmux.Run("kill-pane", "-t", s.Pane); err != nil {
				t.Fatalf("kill-pane: %v: %s", err, out)
			}
			holders := procs.HolderFinder{Procs: procs.NewHost(nil)}
			waitUntil(t, itTimeout, "the killed Claude to be gone", func() bool {
				hs, err := holders.Holders(t.Context(), s.session(env.root))
				return err == nil && len(hs) == 0
			}, dump)
			if tc.rmCwd {
				if err := os.RemoveAll(s.Cwd); err != nil {
					t.Fatal(err)
				}
			}
			state := filepath.Join(t.TempDir(), "state.json")
			ie := env.newEngine(RealClock{}, func(c *Config) {
				c.StateFile = state
				c.Reopen = ReopenConfig{Auto: true, ClaudeBin: env.bin, Home: os.Getenv("HOME"),
					Spawner: tmux.Spawner{Tmux: tmux.New(mux.ExecRunner{}, env.sock)}, Holders: holders}
				c.ReopenWait = 300 * time.Millisecond
			})
			ie.run()
			dump = env.dump([]fakeSession{s}, ie)
			waitUntil(t, itTimeout, "ccwake to say the session needs a human", func() bool {
				st, ok := ie.status(s.ID)
				return ok && st.Phase == Blocked && hasAction(st.History, "needs_human") &&
					strings.Contains(st.Reason, tc.because) && strings.Contains(st.Reason, "it needs you")
			}, dump)
			// Looked at again (the backoff is 200 ms to 1 s here): still refused.
			waitUntil(t, itTimeout, "a second look", func() bool { return ie.actor.n("locate") >= 2 }, dump)
			st, _ := ie.status(s.ID)
			if n := countWhat(st.History, "reopened"); n != 0 || st.Phase != Blocked {
				t.Fatalf("%d reopened actions, phase %s: %v\n%s", n, st.Phase, whats(st.History), dump())
			}
			if st.Reopen != "" && !tc.rmCwd {
				t.Errorf("status offers reopen command %q for id %q", st.Reopen, s.ID)
			}
			out, _ := env.tmux.Run("list-panes", "-a", "-F", "#{pane_id} #{pane_current_command} #{pane_start_command}")
			if strings.Contains(out, "claude") || strings.Contains(out, "--resume") {
				t.Fatalf("a window was started:\n%s\n%s", out, dump())
			}
			if n := countText(userTexts(t, s.Transcript), "continue"); n != 0 {
				t.Fatalf("%d continue entries, want none", n)
			}
			if b, err := os.ReadFile(state); err == nil && strings.Contains(string(b), `"reopened"`) {
				t.Fatalf("the state file records a reopen:\n%s", b) // a restart would take it as reopened
			}
		})
	}
}
