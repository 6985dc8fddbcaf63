package pane

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

// These tests run real tmux servers on private sockets and the fake Claude
// Code from testdata/fakeclaude. They skip with -short.

// world is one integration setup: a server, the fake binary, a config root
// and a work directory.
type world struct {
	*tmuxServer
	bin, root, cwd string
}

func newWorld(t *testing.T) *world {
	s := newTmux(t)
	t.Parallel()
	cwd, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &world{tmuxServer: s, bin: testkit.FakeClaude(t), root: t.TempDir(), cwd: cwd}
}

func (w *world) claude(id string, o claudeOpts) paneSession {
	return w.startClaude(w.bin, w.cwd, w.root, id, o)
}

func TestTmuxLocateBySessionsFile(t *testing.T) {
	w := newWorld(t)
	other := w.claude("sess-other", claudeOpts{sessionFile: true}) // same cwd, same stall text, other session
	s := w.claude("sess-1", claudeOpts{sessionFile: true})
	ctx := context.Background()
	a := w.actor()
	got, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatalf("Locate: %v", err)
	}
	if got.Pane != "tmux:"+s.Pane || !strings.Contains(got.How, "tmux field") {
		t.Errorf("Locate = %+v, want pane %s via the tmux field", got, s.Pane)
	}
	if v := a.Check(ctx, got, s.Session); !v.OK || v.Screen != ScreenReady {
		t.Errorf("Check = %+v, want ready\n%s", v, w.Capture(s.Pane))
	}
	if got, err := a.Locate(ctx, other.Session); err != nil || got.Pane != "tmux:"+other.Pane {
		t.Errorf("Locate(other) = %+v, %v; want pane %s", got, err, other.Pane)
	}
}

func TestTmuxLocateByProcessTree(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{}) // no sessions file, like 2.0.0
	a := w.actor()
	got, err := a.Locate(context.Background(), s.Session)
	if err != nil || got.Pane != "tmux:"+s.Pane || got.How != "process tree + cwd" {
		t.Fatalf("Locate = %+v, %v; want pane %s via the process tree", got, err, s.Pane)
	}
	if v := a.Check(context.Background(), got, s.Session); !v.OK {
		t.Errorf("Check = %+v\n%s", v, w.Capture(s.Pane))
	}
	// A session in another directory is not this one.
	elsewhere := s.Session
	elsewhere.Cwd = w.root
	if _, err := a.Locate(context.Background(), elsewhere); err == nil || !strings.Contains(err.Error(), "no tmux pane") {
		t.Errorf("Locate(other cwd) err = %v", err)
	}
}

func TestTmuxTwoClaudesOneCwd(t *testing.T) {
	w := newWorld(t)
	stalled := w.claude("sess-a", claudeOpts{script: "429"})
	fine := w.claude("sess-b", claudeOpts{script: "ok,429"})
	w.WaitScreen(fine.Pane, "the reply", func(s string) bool { return strings.Contains(s, "Hello from the fake (1).") })
	a := w.actor()
	ctx := context.Background()
	got, err := a.Locate(ctx, stalled.Session)
	if err != nil || got.Pane != "tmux:"+stalled.Pane || !strings.Contains(got.How, "screen") {
		t.Fatalf("Locate = %+v, %v; want pane %s by screen", got, err, stalled.Pane)
	}
	// Now the second one stalls with the same text: the error on screen
	// cannot tell, the last prompt ("say hi" here, "go on" there) can.
	w.TypeLine(fine.Pane, "go on")
	w.WaitScreen(fine.Pane, "the second stall", func(s string) bool { return ClassifyScreen(s, throttle2x).Screen == ScreenReady })
	got, err = a.Locate(ctx, stalled.Session)
	if err != nil || got.Pane != "tmux:"+stalled.Pane || !strings.Contains(got.How, "last prompt on screen (1 of 2 panes)") {
		t.Errorf("Locate with two stalled panes = %+v, %v; want pane %s by its last prompt", got, err, stalled.Pane)
	}
}

func TestTmuxNeverLocatesShellOrEditor(t *testing.T) {
	w := newWorld(t)
	w.ShellPane(w.cwd)
	catPane := w.ShellPane(w.cwd)
	w.TypeLine(catPane, "cat")
	waitFor(t, "cat in the foreground", func() bool {
		p, err := w.actor().Tmux().PaneInfo(context.Background(), catPane)
		return err == nil && p.Command == "cat"
	}, func() string { return w.Capture(catPane) })
	if vi, err := exec.LookPath("vi"); err == nil {
		viPane := w.ShellPane(w.cwd)
		w.TypeLine(viPane, vi+" notes.txt")
		w.WaitScreen(viPane, "vi", func(s string) bool { return strings.Contains(s, "~") })
	}
	s := watchSession("sess-1", w.cwd, w.root)
	_, err := w.actor().Locate(context.Background(), s)
	if err == nil || !strings.Contains(err.Error(), "no tmux pane") {
		t.Errorf("Locate = %v; want no pane", err)
	}
}

func TestTmuxGuardsRefuse(t *testing.T) {
	t.Parallel() // its own server, socket and root
	tests := []struct {
		name   string
		opts   claudeOpts
		act    func(w *world, s paneSession)
		screen Screen // expected Verdict.Screen ("" = refused before the screen)
		reason string
	}{
		{"copy mode", claudeOpts{}, func(w *world, s paneSession) {
			w.Must("copy-mode", "-t", s.Pane)
		}, "", "is in copy mode"},
		{"human draft", claudeOpts{}, func(w *world, s paneSession) {
			w.Must("send-keys", "-t", s.Pane, "-l", "--", "fix the tests")
			w.WaitScreen(s.Pane, "the draft", func(t string) bool { return strings.Contains(t, "❯\u00a0fix the tests") })
		}, ScreenDraft, `user typing: "fix the te…"`},
		{"dialog", claudeOpts{extra: []string{"-dialog"}}, nil, ScreenDialog, "dialog"},
		{"busy", claudeOpts{extra: []string{"-busy"}}, nil, ScreenBusy, "busy"},
		{"vim normal", claudeOpts{extra: []string{"-vim-normal"}}, nil, ScreenVimNormal, "NORMAL"},
		{"suspended with Ctrl-Z", claudeOpts{}, func(w *world, s paneSession) {
			w.Must("send-keys", "-t", s.Pane, "C-z")
			w.WaitScreen(s.Pane, "the job to stop", func(t string) bool { return strings.Contains(t, "Stopped") })
		}, "", "bash in the foreground"},
		{"resumed already", claudeOpts{}, func(w *world, s paneSession) {
			w.TypeLine(s.Pane, "continue")
			w.WaitScreen(s.Pane, "the reply", func(t string) bool { return strings.Contains(t, "Hello from the fake") })
		}, ScreenNoStall, "not the last message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			s := w.claude("sess-1", tt.opts)
			a := w.actor()
			ctx := context.Background()
			tgt, err := a.Locate(ctx, s.Session)
			if err != nil {
				t.Fatalf("Locate: %v", err)
			}
			if tt.act != nil {
				tt.act(w, s)
			}
			before := transcriptLines(t, s.Transcript)
			v := a.Check(ctx, tgt, s.Session)
			if v.OK || v.Screen != tt.screen || !strings.Contains(v.Reason, tt.reason) {
				t.Errorf("Check = %+v; want refused, screen %q, reason containing %q\n%s", v, tt.screen, tt.reason, w.Capture(s.Pane))
			}
			if tt.screen == "" { // pane guards refuse: Type must not type either
				if err := a.Type(ctx, tgt, "continue"); err == nil || !strings.Contains(err.Error(), "nothing typed") {
					t.Errorf("Type = %v; want refused", err)
				}
			}
			if after := transcriptLines(t, s.Transcript); len(after) != len(before) {
				t.Errorf("transcript grew from %d to %d lines: something was submitted", len(before), len(after))
			}
			if tt.name == "human draft" && !strings.Contains(w.Capture(s.Pane), "❯\u00a0fix the tests") {
				t.Errorf("the draft was touched:\n%s", w.Capture(s.Pane))
			}
		})
	}
}

func TestTmuxUsageDialogEscape(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{script: "5h", extra: []string{"-usage-dialog"}})
	s.Message = lastText(t, s.Transcript)
	a := w.actor()
	ctx := context.Background()
	tgt, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Check(ctx, tgt, s.Session); v.OK || v.Screen != ScreenUsageDialog {
		t.Fatalf("Check = %+v; want usage_dialog\n%s", v, w.Capture(s.Pane))
	}
	if err := a.Escape(ctx, tgt); err != nil {
		t.Fatal(err)
	}
	w.WaitScreen(s.Pane, "the dialog to close", func(t string) bool { return !strings.Contains(t, "What do you want to do?") })
	if v := a.Check(ctx, tgt, s.Session); !v.OK {
		t.Errorf("after Escape: Check = %+v; want ready\n%s", v, w.Capture(s.Pane))
	}
}

func TestTmuxAutoWait(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{script: "5h", extra: []string{"-auto-wait"}})
	s.Message = lastText(t, s.Transcript)
	a := w.actor()
	tgt, err := a.Locate(context.Background(), s.Session)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Check(context.Background(), tgt, s.Session); v.OK || v.Screen != ScreenAutoWait {
		t.Errorf("Check = %+v; want auto_wait\n%s", v, w.Capture(s.Pane))
	}
}

func TestTmuxPaneKilled(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{sessionFile: true})
	a := w.actor()
	ctx := context.Background()
	tgt, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatal(err)
	}
	w.Must("kill-pane", "-t", s.Pane)
	if v := a.Check(ctx, tgt, s.Session); v.OK || !strings.Contains(v.Reason, "is gone") {
		t.Errorf("Check = %+v; want pane gone", v)
	}
	if err := a.Type(ctx, tgt, "continue"); err == nil {
		t.Error("Type into a killed pane: want an error")
	}
	waitFor(t, "the fake to exit", func() bool {
		_, err := procs.NewHost(nil).Get(ctx, tgt.PID)
		return err != nil
	}, func() string { return "fake claude still running" })
	if _, err := a.Locate(ctx, s.Session); err == nil || !strings.Contains(err.Error(), "no tmux pane") {
		t.Errorf("Locate after kill = %v", err)
	}
	if _, err := a.InputHolds(ctx, tgt, "continue"); !errors.Is(err, mux.ErrNoPane) {
		t.Errorf("InputHolds after kill = %v; want mux.ErrNoPane", err)
	}
}

func TestTmuxServerKilledAndRestarted(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{})
	a := w.actor()
	ctx := context.Background()
	tgt, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatal(err)
	}
	w.Must("kill-server")
	if _, err := a.Locate(ctx, s.Session); !errors.Is(err, mux.ErrNoServer) {
		t.Errorf("Locate without server = %v; want mux.ErrNoServer", err)
	}
	if v := a.Check(ctx, tgt, s.Session); v.OK || !strings.Contains(v.Reason, "not running") {
		t.Errorf("Check without server = %+v", v)
	}
	if err := a.Type(ctx, tgt, "continue"); !errors.Is(err, mux.ErrNoServer) {
		t.Errorf("Type without server = %v; want mux.ErrNoServer", err)
	}
	w.Start()
	s2 := w.claude("sess-1", claudeOpts{})
	got, err := a.Locate(ctx, s2.Session)
	if err != nil || got.Pane != "tmux:"+s2.Pane {
		t.Errorf("Locate after restart = %+v, %v; want pane %s", got, err, s2.Pane)
	}
}

func TestTmuxTypeContinue(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{sessionFile: true})
	a := w.actor()
	ctx := context.Background()
	tgt, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Check(ctx, tgt, s.Session); !v.OK {
		t.Fatalf("Check = %+v\n%s", v, w.Capture(s.Pane))
	}
	before := len(transcriptLines(t, s.Transcript))
	if err := a.Type(ctx, tgt, "continue"); err != nil {
		t.Fatal(err)
	}
	var user map[string]any
	waitFor(t, "a user entry \"continue\" in the transcript", func() bool {
		lines := transcriptLines(t, s.Transcript)
		if len(lines) < before+2 {
			return false
		}
		user = nil
		if json.Unmarshal([]byte(lines[before]), &user) != nil {
			return false
		}
		return true
	}, func() string { return strings.Join(transcriptLines(t, s.Transcript), "\n") + "\n" + w.Capture(s.Pane) })
	msg, _ := user["message"].(map[string]any)
	if user["type"] != "user" || msg["content"] != "continue" || user["sessionId"] != "sess-1" {
		t.Errorf("first new entry = %v; want the user entry \"continue\"", user)
	}
	screen := w.WaitScreen(s.Pane, "the reply", func(t string) bool { return strings.Contains(t, "Hello from the fake (1).") })
	if !strings.Contains(screen, "❯ continue") {
		t.Errorf("screen lacks the typed prompt:\n%s", screen)
	}
	if holds, err := a.InputHolds(ctx, tgt, "continue"); err != nil || holds {
		t.Errorf("InputHolds after submit = %v, %v; want false", holds, err)
	}
	if v := a.Check(ctx, tgt, s.Session); v.OK || v.Screen != ScreenNoStall {
		t.Errorf("Check after resume = %+v; want no_stall", v)
	}
}

func TestTmuxInputHoldsAndEnter(t *testing.T) {
	w := newWorld(t)
	// Busy: Enter is ignored, so the typed text stays in the input line.
	s := w.claude("sess-1", claudeOpts{extra: []string{"-busy"}})
	a := w.actor()
	ctx := context.Background()
	tgt, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Type(ctx, tgt, "continue"); err != nil {
		t.Fatal(err)
	}
	w.WaitScreen(s.Pane, "the text in the input line", func(t string) bool { return strings.Contains(t, "❯\u00a0continue") })
	if holds, err := a.InputHolds(ctx, tgt, "continue"); err != nil || !holds {
		t.Fatalf("InputHolds = %v, %v; want true\n%s", holds, err, w.Capture(s.Pane))
	}
	if err := a.Escape(ctx, tgt); err != nil { // interrupt
		t.Fatal(err)
	}
	w.WaitScreen(s.Pane, "not busy", func(t string) bool { return !strings.Contains(t, "esc to interrupt") })
	if err := a.Enter(ctx, tgt); err != nil {
		t.Fatal(err)
	}
	w.WaitScreen(s.Pane, "the submit", func(t string) bool { return strings.Contains(t, "❯ continue") })
	waitFor(t, "the user entry", func() bool {
		return strings.Contains(strings.Join(transcriptLines(t, s.Transcript), "\n"), `"content":"continue"`)
	}, func() string { return w.Capture(s.Pane) })
}

// watchSession is a stalled session value for tests without a fake.
func watchSession(id, cwd, root string) watch.Session {
	return watch.Session{ID: id, Cwd: cwd, Root: root, State: watch.Stalled, Message: throttle2x}
}

// lastText returns the text of the transcript's last entry.
func lastText(t *testing.T, path string) string {
	t.Helper()
	lines := transcriptLines(t, path)
	if len(lines) == 0 {
		t.Fatalf("empty transcript %s", path)
	}
	var e struct {
		Message struct {
			Content []struct{ Text string } `json:"content"`
		} `json:"message"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &e); err != nil || len(e.Message.Content) == 0 {
		t.Fatalf("last entry of %s: %v", path, err)
	}
	return e.Message.Content[0].Text
}
