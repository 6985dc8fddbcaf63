package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ccwake/ccwake/resume/statefile"
)

// Issue 16 items 1 and 2 with real restarts of `ccwake --auto` typing into
// the fake Claude in a private tmux server: whatever happens to the record
// between two runs (a spoiled copy, both copies truncated or empty) and
// whatever the next run's $HOME, $XDG_STATE_HOME and --state-dir, one error
// gets one continue.
//
// The fake records the prompts it receives in a decoy transcript outside the
// root and answers every one with another 429 on screen, while the root's
// transcript (its first prompt and error, copied) stays stalled on the same
// error: the continue is "lost", as when Enter met a dialog, so the stall is
// shown again with an empty input line and only the record stands between
// a restart and a second continue.
func TestRecordSurvivesFaultsAcrossRealRestarts(t *testing.T) {
	t.Parallel()
	spoil := func(t *testing.T, content string, paths ...string) {
		for _, p := range paths {
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	bak := func(rec string) string { return rec + statefile.BackupSuffix }
	for i, tc := range []struct {
		name  string
		fault func(t *testing.T, rec string)
		said  string // what the restarted run logs for the stall
	}{
		{"another environment", func(*testing.T, string) {}, "msg=restored"},
		{"garbage in the file", func(t *testing.T, rec string) { spoil(t, "\x00garbage{", rec) }, "msg=restored"},
		{"file truncated, backup gone", func(t *testing.T, rec string) {
			b, _ := os.ReadFile(rec)
			spoil(t, string(b[:len(b)/2]), rec)
			_ = os.Remove(bak(rec))
		}, "msg=state_lost"},
		{"both truncated", func(t *testing.T, rec string) {
			b, _ := os.ReadFile(rec)
			spoil(t, string(b[:len(b)/2]), rec, bak(rec))
		}, "msg=state_lost"},
		{"both empty", func(t *testing.T, rec string) { spoil(t, "", rec, bak(rec)) }, "msg=state_lost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Each case has its own world, so its own root and record: a
			// loss left by another case would (rightly) leave this case's
			// stall to a human.
			e := newDashEnv(t, 120, 40)
			rec := e.record()
			envAt := func(name string) []string {
				home := filepath.Join(e.base, "env-"+name)
				if err := os.MkdirAll(home, 0o700); err != nil {
					t.Fatal(err)
				}
				return withEnv(e.env, []string{"HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"},
					"HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
			}
			cwd := filepath.Join(e.home, "src", fmt.Sprintf("rec%d", i))
			if err := os.MkdirAll(cwd, 0o755); err != nil {
				t.Fatal(err)
			}
			id := newID()
			decoy := filepath.Join(e.base, "decoy", id+".jsonl")
			if err := os.MkdirAll(filepath.Dir(decoy), 0o755); err != nil {
				t.Fatal(err)
			}
			slug := strings.NewReplacer("/", "-", ".", "-").Replace(cwd)
			transcript := filepath.Join(e.root, "projects", slug, id+".jsonl")
			pane := e.window(cwd, e.claude, "-transcript", decoy, "-session-id", id, "-script", "429,429,429,429",
				"-first", "say hi", "-sessions-dir", filepath.Join(e.root, "sessions"), "-tmux-field", "auto")
			s := fakeClaude{ID: id, Cwd: cwd, Transcript: decoy, Pane: pane}
			dump := e.dump([]string{pane}, s)
			e.waitScreen(pane, "the fake to stall", func(text string) bool {
				return strings.Contains(text, "Server is temporarily limiting requests") && strings.Contains(text, "❯\u00a0")
			}, dump)
			b, err := os.ReadFile(decoy)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(transcript), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(transcript, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continues := func() int { return count(userEntries(decoy), "continue") }

			first := e.startHeadless(fmt.Sprintf("rec%d-a", i), e.root, envAt(fmt.Sprintf("%d-a", i)))
			t.Cleanup(func() { _ = first.cmd.Process.Signal(syscall.SIGTERM); _ = first.cmd.Wait() }) // by PID, when this case fails
			logs := func() string { return dump() + "--- first run\n" + first.logText() }
			waitCond(t, "the first run's continue", func() bool { return continues() == 1 }, logs)
			waitCond(t, "the first run to give up confirming", func() bool {
				return strings.Contains(first.logText(), "msg=unconfirmed") && strings.Contains(first.logText(), id)
			}, logs)
			stop(t, first)

			tc.fault(t, rec)

			second := e.startHeadless(fmt.Sprintf("rec%d-b", i), e.root, envAt(fmt.Sprintf("%d-b", i)))
			t.Cleanup(func() { _ = second.cmd.Process.Signal(syscall.SIGTERM); _ = second.cmd.Wait() })
			logs = func() string { return dump() + "--- second run\n" + second.logText() }
			waitCond(t, "the restarted run to decide about the stall", func() bool {
				text := second.logText()
				return continues() > 1 || (strings.Contains(text, tc.said) && strings.Contains(text, id))
			}, logs)
			if n := continues(); n != 1 {
				t.Fatalf("%d continues for one error after the restart\n%s", n, logs())
			}
			if tc.said == "msg=state_lost" && !strings.Contains(second.logText(), "lost") {
				t.Fatalf("no warning that the record was lost\n%s", logs())
			}
			stop(t, second)

			// A third run in yet another environment: still one.
			third := e.startHeadless(fmt.Sprintf("rec%d-c", i), e.root, envAt(fmt.Sprintf("%d-c", i)))
			t.Cleanup(func() { _ = third.cmd.Process.Signal(syscall.SIGTERM); _ = third.cmd.Wait() })
			logs = func() string { return dump() + "--- third run\n" + third.logText() }
			waitCond(t, "the third run to decide about the stall", func() bool {
				text := third.logText()
				return continues() > 1 || (strings.Contains(text, tc.said) && strings.Contains(text, id))
			}, logs)
			if n := continues(); n != 1 {
				t.Fatalf("%d continues for one error after the third run\n%s", n, logs())
			}
			stop(t, third)
		})
	}
}

// stop ends a headless run by its PID and waits for it.
func stop(t *testing.T, h headless) {
	t.Helper()
	_ = h.cmd.Process.Signal(syscall.SIGTERM)
	if err := h.cmd.Wait(); err != nil {
		t.Fatalf("%s: %v\n%s", h.name, err, h.logText())
	}
}

// A stall reopened once is not reopened again by restarts in other
// environments (the issue saw three restarts reopen one stall three
// times). The claude ccwake starts exits at once, so the stall stays and
// only the record says it was reopened for.
func TestReopenOnceAcrossEnvironments(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, 120, 40)
	e.record() // removed on cleanup
	noclaude := filepath.Join(e.base, "bin", "noclaude")
	if err := os.WriteFile(noclaude, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := e.startClaude(filepath.Join(e.home, "src", "reopen-env"), "429,ok", "say hi")
	dump := e.dump([]string{s.Pane}, s)
	e.waitScreen(s.Pane, "the fake Claude to stall on a throttle", func(text string) bool {
		return strings.Contains(text, "Server is temporarily limiting requests") && strings.Contains(text, "❯\u00a0")
	}, dump)
	pid := e.panePID(s.Pane)
	e.must("kill-pane", "-t", s.Pane)
	waitCond(t, "the killed fake to exit", func() bool { return exited(pid) }, dump)

	for i, name := range []string{"a", "b", "c"} {
		home := filepath.Join(e.base, "renv-"+name)
		env := withEnv(e.env, []string{"HOME", "XDG_STATE_HOME"}, "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "state"))
		h := e.startHeadless("reopen-"+name, e.root, env, "--reopen", "--claude-bin", noclaude)
		t.Cleanup(func() { _ = h.cmd.Process.Signal(syscall.SIGTERM); _ = h.cmd.Wait() })
		logs := func() string { return dump() + "--- run " + name + "\n" + h.logText() }
		// Run a reopens; a later run either reopens again (the defect) or
		// blocks on "no pane for this session", which it does only after
		// deciding not to reopen (resume.Engine.checked).
		waitCond(t, "run "+name+" to decide about reopening", func() bool {
			text := h.logText()
			return strings.Contains(text, "msg=reopened") || (i > 0 && strings.Contains(text, "no pane for this session") && strings.Contains(text, s.ID))
		}, logs)
		want := 0
		if i == 0 {
			want = 1
		}
		if n := strings.Count(h.logText(), "msg=reopened"); n != want {
			t.Fatalf("run %s reopened %d times, want %d (run a once, later runs never)\n%s", name, n, want, logs())
		}
		stop(t, h)
	}
}
