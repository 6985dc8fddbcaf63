package resume

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/mux/tmux"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

// A session stalls, its pane is killed (the terminal closed), and ccwake
// --reopen starts `claude --resume <id>` in a new tmux window, finds the
// new process by its sessions file, runs every guard and types exactly one
// continue, confirmed from the transcript: the same file, or a new one the
// resumed client writes (fork). Real tmux on a private socket, the real
// watcher, the fake Claude.
func TestIntegrationReopenAfterPaneKilled(t *testing.T) {
	for _, tc := range []struct {
		name       string
		fork       bool // the resumed client writes a new file
		keepServer bool // another window keeps the tmux server up
	}{
		{name: "same file and no tmux server left"},
		{name: "new file and the server still up", fork: true, keepServer: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newItEnv(t)
			s := env.start(filepath.Join(t.TempDir(), "proj"), "429,ok", "say hi")
			dump := env.dump([]fakeSession{s})
			waitUntil(t, itTimeout, "the stall in the transcript", func() bool {
				b, _ := os.ReadFile(s.Transcript)
				return strings.Contains(string(b), `"apiErrorStatus":429`)
			}, dump)
			if tc.keepServer {
				if out, err := env.tmux.Run("new-window", "-d", "-t", "cc", "sleep", "600"); err != nil {
					t.Fatalf("tmux new-window: %v: %s", err, out)
				}
				if tc.fork {
					if out, err := env.tmux.Run("set-environment", "-g", "FAKECLAUDE_RESUME_FORK", "1"); err != nil {
						t.Fatalf("tmux set-environment: %v: %s", err, out)
					}
				}
			}
			// The terminal goes: the pane is killed and the fake with it.
			if out, err := env.tmux.Run("kill-pane", "-t", s.Pane); err != nil {
				t.Fatalf("kill-pane: %v: %s", err, out)
			}
			holders := procs.HolderFinder{Procs: procs.NewHost(nil)}
			sess := s.session(env.root)
			waitUntil(t, itTimeout, "the killed Claude to be gone", func() bool {
				hs, err := holders.Holders(context.Background(), sess)
				return err == nil && len(hs) == 0
			}, dump)

			ie := env.newEngine(RealClock{}, func(c *Config) {
				c.Reopen = ReopenConfig{Auto: true, ClaudeBin: env.bin, Home: os.Getenv("HOME"),
					Spawner: tmux.Spawner{Tmux: tmux.New(mux.ExecRunner{}, env.sock), Session: "reopened"}, Holders: holders}
				c.ReopenWait = 300 * time.Millisecond
			})
			ie.run()
			dump = env.dump([]fakeSession{s}, ie)
			var cont fakeSession // where the resumed client writes
			waitUntil(t, itTimeout, "a continue in a transcript", func() bool {
				cont = env.continued(s)
				return countText(userTexts(t, cont.Transcript), "continue") > 0
			}, dump)
			if tc.fork == (cont.Transcript == s.Transcript) {
				t.Fatalf("resumed client writes %s, fork %v", cont.Transcript, tc.fork)
			}
			waitUntil(t, itTimeout, "the continuation resumed", ie.phaseIs(cont.ID, Resumed), dump)
			waitUntil(t, itTimeout, "nothing left to do", ie.idle, dump)
			total := countText(userTexts(t, s.Transcript), "continue")
			if cont.Transcript != s.Transcript {
				total += countText(userTexts(t, cont.Transcript), "continue")
			}
			if total != 1 {
				t.Fatalf("%d continue entries, want exactly 1\n%s", total, dump())
			}
			st, _ := ie.status(s.ID)
			if n := countWhat(st.History, "reopened"); n != 1 {
				t.Fatalf("%d reopened actions, want 1: %v\n%s", n, whats(st.History), dump())
			}
			out, _ := env.tmux.Run("list-panes", "-a", "-F", "#{pane_id} #{pane_current_command}")
			if n := strings.Count(out, " claude"); n != 1 {
				t.Fatalf("%d panes run claude, want the one reopened:\n%s", n, out)
			}
		})
	}
}

// session is the watcher's view of s (for the holders look).
func (s fakeSession) session(root string) watch.Session {
	return watch.Session{ID: s.ID, Cwd: s.Cwd, Root: root, Transcript: s.Transcript}
}

// continued returns where the session goes on: a new file of the project
// that starts with copies of s's entries, else s itself.
func (env *itEnv) continued(s fakeSession) fakeSession {
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Transcript), "*.jsonl"))
	for _, f := range files {
		if f == s.Transcript {
			continue
		}
		id := strings.TrimSuffix(filepath.Base(f), ".jsonl")
		return fakeSession{ID: id, Cwd: s.Cwd, Transcript: f}
	}
	return s
}

func countWhat(as []Action, what string) int {
	n := 0
	for _, a := range as {
		if a.What == what {
			n++
		}
	}
	return n
}

// A session whose Claude still runs outside tmux (a plain terminal, an
// editor) has no pane, but a live process holds it: never reopened.
func TestIntegrationReopenNeverWhileAProcessHoldsIt(t *testing.T) {
	env := newItEnv(t)
	cwd := filepath.Join(t.TempDir(), "proj")
	if err := os.MkdirAll(cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	id := newUUID()
	proj := filepath.Join(env.root, "projects", "p")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	transcript := filepath.Join(proj, id+".jsonl")
	// The fake outside any tmux pane, its input a pipe held open.
	cmd := exec.Command(env.bin, "-transcript", transcript, "-session-id", id, "-cwd", cwd,
		"-script", "429,ok", "-first", "say hi", "-sessions-dir", filepath.Join(env.root, "sessions"))
	cmd.Env = append(os.Environ(), "CLAUDE_CONFIG_DIR="+env.root)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	spawner := &countSpawner{}
	ie := env.newEngine(RealClock{}, func(c *Config) {
		c.Reopen = ReopenConfig{Auto: true, ClaudeBin: env.bin, Spawner: spawner, Holders: procs.HolderFinder{Procs: procs.NewHost(nil)}}
	})
	// A tmux server with a bystander, so Locate finds no pane rather than no server.
	if out, err := env.tmux.Run("new-session", "-d", "-s", "cc", "sleep", "600"); err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	ie.run()
	s := fakeSession{ID: id, Cwd: cwd, Transcript: transcript}
	dump := env.dump(nil, ie)
	waitUntil(t, itTimeout, "ccwake to refuse to reopen", func() bool {
		st, ok := ie.status(id)
		return ok && strings.Contains(st.Reason, "not reopening") && strings.Contains(st.Reason, fmt.Sprintf("pid %d", cmd.Process.Pid))
	}, dump)
	if n := spawner.n.Load(); n != 0 {
		t.Fatalf("%d spawns while pid %d holds the session\n%s", n, cmd.Process.Pid, dump())
	}
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 0 {
		t.Fatalf("%d continue entries, want none", n)
	}
}

// countSpawner counts spawns and starts nothing.
type countSpawner struct{ n atomic.Int32 }

func (c *countSpawner) Spawn(context.Context, mux.SpawnSpec) (string, error) {
	c.n.Add(1)
	return "", errors.New("countSpawner starts nothing")
}
