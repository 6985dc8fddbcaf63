package pane

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

const testSock = "/tmp/ccwake-test/s"

// screen21 draws a 2.1.x screen whose last message is last and whose input
// line holds draft.
func screen21(last, draft string) string {
	rule := strings.Repeat("─", 80)
	return " ▐▛███▜▌   Claude Code v2.1.330\n\n❯ say hi\n\n" + last + "\n\n" + rule + "\n❯\u00a0" + draft + "\n" + rule + "\n  ? for shortcuts\n\n\n"
}

// actorWorld is one unit-test setup: a fake tmux, a fake process table and
// a config root.
type actorWorld struct {
	t      *testing.T
	run    *fakeRunner
	procs  *fakeProcs
	root   string
	slept  []time.Duration
	actor  *Actor
	sess   watch.Session
	tmuxFn func(args ...string) []string
}

func newActorWorld(t *testing.T) *actorWorld {
	w := &actorWorld{t: t, run: newFakeRunner(t), procs: newFakeProcs(), root: t.TempDir()}
	w.actor = New(Config{
		Socket: testSock, Runner: w.run, Procs: w.procs,
		Sleep: func(_ context.Context, d time.Duration) error { w.slept = append(w.slept, d); return nil },
	})
	w.procs.DefaultEnv = []string{"HOME=/home/u", "CLAUDE_CONFIG_DIR=" + w.root}
	w.sess = watch.Session{ID: "sess-1", Cwd: "/w", Root: w.root, State: watch.Stalled, Message: throttle2x,
		Transcript: filepath.Join(w.root, "projects", "-w", "sess-1.jsonl")}
	w.tmuxFn = func(args ...string) []string { return tmuxArgv(testSock, args...) }
	return w
}

func (w *actorWorld) sessionFile(pid int, body string) {
	w.t.Helper()
	dir := filepath.Join(w.root, "sessions")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(procs.SessionFilePath(w.root, pid), []byte(body), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

func (w *actorWorld) expectList(panes ...mux.Pane) {
	var out string
	for _, p := range panes {
		out += paneLine(p)
	}
	w.run.Expect(out, nil, w.tmuxFn(listPanesArgs()...)...)
}

func (w *actorWorld) expectInfo(p mux.Pane) {
	w.run.Expect(paneLine(p), nil, w.tmuxFn(paneInfoArgs(p.ID)...)...)
}

func (w *actorWorld) expectCapture(pane, text string) {
	w.run.Expect(text, nil, w.tmuxFn(captureArgs(pane)...)...)
}

// claudeIn puts "bash (panePID) → claude (pid)" in the table, Claude in
// the foreground of the pane's terminal.
func (w *actorWorld) claudeIn(panePID, pid int, start, cwd string) {
	w.procs.Add(procs.Proc{PID: panePID, PPID: 1, TPGID: pid, Comm: "bash"}, cwd)
	w.procs.Add(procs.Proc{PID: pid, PPID: panePID, TPGID: pid, Comm: "claude", Start: start}, cwd)
}

var pane3 = mux.Pane{ID: "%3", PID: 100, Command: "claude", TTY: "/dev/pts/3", Session: "cc", Window: "@0"}
var pane4 = mux.Pane{ID: "%4", PID: 200, Command: "claude", TTY: "/dev/pts/4", Session: "cc", Window: "@0"}

func TestLocateSessionFileTmuxField(t *testing.T) {
	w := newActorWorld(t)
	w.claudeIn(100, 500, "77", "/w")
	w.sessionFile(500, `{"pid":500,"sessionId":"sess-1","cwd":"/w","procStart":"77","tmux":"cc:@0.%3"}`)
	w.expectList(pane4, pane3)
	got, err := w.actor.Locate(context.Background(), w.sess)
	want := Target{Pane: "tmux:%3", PID: 500, How: "sessions/500.json tmux field"}
	if err != nil || got != want {
		t.Errorf("Locate = %+v, %v; want %+v", got, err, want)
	}
}

func TestLocateSessionFileWithoutTmuxField(t *testing.T) {
	w := newActorWorld(t)
	w.claudeIn(100, 500, "77", "/elsewhere") // cwd does not matter on the exact path
	w.sessionFile(500, `{"pid":500,"sessionId":"sess-1","procStart":"77"}`)
	w.expectList(pane3)
	got, err := w.actor.Locate(context.Background(), w.sess)
	if err != nil || got.Pane != "tmux:%3" || got.How != "sessions/500.json + process tree" {
		t.Errorf("Locate = %+v, %v", got, err)
	}
}

func TestLocateSessionRunsOutsideOurServer(t *testing.T) {
	w := newActorWorld(t)
	w.claudeIn(100, 500, "77", "/w")
	w.procs.Add(procs.Proc{PID: 900, PPID: 1, Comm: "claude", Start: "88"}, "/w") // in another terminal
	w.sessionFile(900, `{"pid":900,"sessionId":"sess-1","procStart":"88"}`)
	w.expectList(pane3)
	_, err := w.actor.Locate(context.Background(), w.sess)
	if err == nil || !strings.Contains(err.Error(), "pid 900, which is in no tmux pane") {
		t.Errorf("Locate err = %v", err)
	}
}

func TestLocateProcessTree(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(w *actorWorld)
		want    Target
		wantErr string
	}{
		{"no sessions file (2.0.0)", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.expectList(pane3)
		}, Target{Pane: "tmux:%3", PID: 500, How: "process tree + cwd"}, ""},
		{"stale sessions file: pid reused", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.sessionFile(500, `{"pid":500,"sessionId":"other","procStart":"12"}`)
			w.expectList(pane3)
		}, Target{Pane: "tmux:%3", PID: 500, How: "process tree + cwd"}, ""},
		{"sessions file names another session", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.sessionFile(500, `{"pid":500,"sessionId":"other","procStart":"77"}`)
			w.expectList(pane3)
		}, Target{}, "no tmux pane"},
		{"npm build: node cli.js", func(w *actorWorld) {
			w.procs.Add(procs.Proc{PID: 100, PPID: 1, Comm: "bash"}, "/w")
			w.procs.Add(procs.Proc{PID: 500, PPID: 100, Comm: "node"}, "/w")
			w.procs.ArgvOf[500] = []string{"node", "/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js"}
			w.expectList(pane3)
		}, Target{Pane: "tmux:%3", PID: 500, How: "process tree + cwd"}, ""},
		{"macOS native: version comm", func(w *actorWorld) {
			w.procs.Add(procs.Proc{PID: 100, PPID: 1, Comm: "zsh"}, "/w")
			w.procs.Add(procs.Proc{PID: 500, PPID: 100, Comm: "2.1.34"}, "/w")
			w.expectList(pane3)
		}, Target{Pane: "tmux:%3", PID: 500, How: "process tree + cwd"}, ""},
		{"other node program, bash, vi in the cwd", func(w *actorWorld) {
			w.procs.Add(procs.Proc{PID: 100, PPID: 1, Comm: "bash"}, "/w")
			w.procs.Add(procs.Proc{PID: 500, PPID: 100, Comm: "node"}, "/w")
			w.procs.ArgvOf[500] = []string{"node", "server.js"}
			w.procs.Add(procs.Proc{PID: 200, PPID: 1, Comm: "bash"}, "/w")
			w.procs.Add(procs.Proc{PID: 600, PPID: 200, Comm: "vi"}, "/w")
			w.expectList(pane3, pane4)
		}, Target{}, "no tmux pane (socket " + testSock + ") runs Claude Code in /w"},
		{"claude in another cwd", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/other")
			w.expectList(pane3)
		}, Target{}, "no tmux pane"},
		{"cwd unreadable (another user)", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "")
			w.expectList(pane3)
		}, Target{}, "no tmux pane"},
		{"dead pane skipped", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			dead := pane3
			dead.Dead = true
			w.expectList(dead)
		}, Target{}, "no tmux pane"},
		{"two panes, the screen tells", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.claudeIn(200, 600, "78", "/w")
			w.expectList(pane3, pane4)
			w.expectCapture("%3", screen21("● Hello from the mock.", ""))
			w.expectCapture("%4", screen21("● "+throttle2x, ""))
		}, Target{Pane: "tmux:%4", PID: 600, How: "process tree + cwd + screen (1 of 2 panes)"}, ""},
		{"two panes, both show it", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.claudeIn(200, 600, "78", "/w")
			w.expectList(pane3, pane4)
			w.expectCapture("%3", screen21("● "+throttle2x, ""))
			w.expectCapture("%4", screen21("● "+throttle2x, "draft"))
		}, Target{}, "2 panes run Claude in /w; cannot tell which"},
		{"two panes, neither shows it", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.claudeIn(200, 600, "78", "/w")
			w.expectList(pane3, pane4)
			w.expectCapture("%3", screen21("● Hi.", ""))
			w.expectCapture("%4", screen21("● Hi.", ""))
		}, Target{}, "2 panes run Claude in /w and none shows this stall"},
		{"another Claude root", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.procs.EnvOf[500] = []string{"CLAUDE_CONFIG_DIR=/elsewhere"}
			w.expectList(pane3)
		}, Target{}, "pid 500 in pane tmux:%3 runs under Claude root /elsewhere"},
		{"root unknown: its last prompt on screen", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.procs.EnvOf[500] = nil
			writeTranscript(w.t, filepath.Dir(w.sess.Transcript), "sess-1",
				userLine("sess-1", "1", "2026-11-23T10:00:00Z", "say hi"), throttleLine("sess-1", "2", "2026-11-23T10:00:01Z"))
			w.expectList(pane3)
			w.expectCapture("%3", screen21("● "+throttle2x, ""))
		}, Target{Pane: "tmux:%3", PID: 500, How: "process tree + cwd + its last prompt on screen (1 of 1 panes)"}, ""},
		{"root unknown: another prompt on screen", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.procs.EnvOf[500] = nil
			writeTranscript(w.t, filepath.Dir(w.sess.Transcript), "sess-1",
				userLine("sess-1", "1", "2026-11-23T10:00:00Z", "fix the parser"), throttleLine("sess-1", "2", "2026-11-23T10:00:01Z"))
			w.expectList(pane3)
			w.expectCapture("%3", screen21("● "+throttle2x, ""))
		}, Target{}, "none shows this session's last prompt \"fix the parser\""},
		{"root unknown: prompt not known", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.procs.EnvOf[500] = nil
			w.expectList(pane3)
		}, Target{}, "Claude root of pid 500 is unknown, so only this session's last prompt on screen could tell, and it is not known"},
		{"claude running claude: the top one", func(w *actorWorld) {
			w.claudeIn(100, 500, "77", "/w")
			w.procs.Add(procs.Proc{PID: 501, PPID: 500, Comm: "claude"}, "/w")
			w.expectList(pane3)
		}, Target{Pane: "tmux:%3", PID: 500, How: "process tree + cwd"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newActorWorld(t)
			tt.setup(w)
			got, err := w.actor.Locate(context.Background(), w.sess)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Locate = %+v, %v; want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Locate = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestLocateNoServer(t *testing.T) {
	w := newActorWorld(t)
	w.run.Expect("", errors.New("exit status 1: no server running on "+testSock), w.tmuxFn(listPanesArgs()...)...)
	_, err := w.actor.Locate(context.Background(), w.sess)
	if !errors.Is(err, mux.ErrNoServer) {
		t.Errorf("Locate err = %v, want mux.ErrNoServer", err)
	}
}

func TestCheck(t *testing.T) {
	ready := screen21("● "+throttle2x, "")
	mod := func(f func(p *mux.Pane)) mux.Pane { p := pane3; f(&p); return p }
	tests := []struct {
		name    string
		pane    mux.Pane
		setup   func(w *actorWorld)
		screen  string // "" = capture not expected
		want    Verdict
		wantSub string
	}{
		{"ready", pane3, nil, ready, Verdict{OK: true, Screen: ScreenReady}, "ready"},
		{"copy mode", mod(func(p *mux.Pane) { p.InMode, p.Mode = true, "copy-mode" }), nil, "", Verdict{}, "pane tmux:%3 is in copy mode"},
		{"view mode", mod(func(p *mux.Pane) { p.InMode, p.Mode = true, "view-mode" }), nil, "", Verdict{}, "pane tmux:%3 is in view-mode"},
		{"input off", mod(func(p *mux.Pane) { p.InputOff = true }), nil, "", Verdict{}, "pane tmux:%3 has input off"},
		{"dead", mod(func(p *mux.Pane) { p.Dead = true }), nil, "", Verdict{}, "pane tmux:%3 is dead"},
		{"shell in front", mod(func(p *mux.Pane) { p.Command = "bash" }), nil, "", Verdict{}, "pane tmux:%3 has bash in the foreground"},
		{"suspended: foreground group is not Claude's", pane3, func(w *actorWorld) {
			p := w.procs.Procs[100]
			p.TPGID = 100
			w.procs.Procs[100] = p
		}, "", Verdict{}, "not the foreground process of pane tmux:%3"},
		{"claude exited", pane3, func(w *actorWorld) { delete(w.procs.Procs, 500) }, "", Verdict{}, "Claude (pid 500) in pane tmux:%3 is gone"},
		{"pid reused by something else", pane3, func(w *actorWorld) {
			w.procs.Procs[500] = procs.Proc{PID: 500, PPID: 100, PGID: 500, Comm: "make"}
		}, "", Verdict{}, "no longer Claude Code (make)"},
		{"claude moved out of the pane", pane3, func(w *actorWorld) {
			p := w.procs.Procs[500]
			p.PPID = 1
			w.procs.Procs[500] = p
		}, "", Verdict{}, "not in pane tmux:%3 any more"},
		{"session switched inside the process (/clear)", pane3, func(w *actorWorld) {
			w.sessionFile(500, `{"pid":500,"sessionId":"sess-2","procStart":"77"}`)
		}, "", Verdict{}, "pane tmux:%3 now runs session sess-2"},
		{"stale sessions file of a dead process is ignored", pane3, func(w *actorWorld) {
			w.sessionFile(500, `{"pid":500,"sessionId":"sess-2","procStart":"12"}`)
		}, ready, Verdict{OK: true, Screen: ScreenReady}, "ready"},
		{"user typing", pane3, nil, screen21("● "+throttle2x, "fix the tests please"), Verdict{Screen: ScreenDraft}, `user typing: "fix the te…"`},
		{"resumed by someone", pane3, nil, screen21("● Hello.", ""), Verdict{Screen: ScreenNoStall}, "not the last message"},
		{"not claude's screen", pane3, nil, "$ ls\n", Verdict{Screen: ScreenUnknown}, "does not look like Claude Code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newActorWorld(t)
			w.claudeIn(100, 500, "77", "/w")
			if tt.setup != nil {
				tt.setup(w)
			}
			w.expectInfo(tt.pane)
			if tt.screen != "" {
				w.expectCapture("%3", tt.screen)
			}
			if tt.want.Screen == ScreenDraft { // a draft is confirmed by a styled capture
				w.run.Expect(tt.screen, nil, w.tmuxFn(styledCaptureArgs("%3")...)...)
			}
			got := w.actor.Check(context.Background(), Target{Pane: "tmux:%3", PID: 500}, w.sess)
			if got.OK != tt.want.OK || got.Screen != tt.want.Screen || !strings.Contains(got.Reason, tt.wantSub) {
				t.Errorf("Check = %+v; want OK=%v Screen=%q reason containing %q", got, tt.want.OK, tt.want.Screen, tt.wantSub)
			}
		})
	}
}

func TestCheckGonePane(t *testing.T) {
	w := newActorWorld(t)
	w.run.Expect("", errors.New("exit status 1: can't find pane: %3"), w.tmuxFn(paneInfoArgs("%3")...)...)
	got := w.actor.Check(context.Background(), Target{Pane: "tmux:%3", PID: 500}, w.sess)
	if got.OK || !strings.Contains(got.Reason, "pane tmux:%3 is gone") {
		t.Errorf("Check = %+v", got)
	}
}

func TestType(t *testing.T) {
	ctx := context.Background()
	tgt := Target{Pane: "tmux:%3", PID: 500}
	t.Run("text, pause, guards, Enter", func(t *testing.T) {
		w := newActorWorld(t)
		w.claudeIn(100, 500, "77", "/w")
		w.expectInfo(pane3)
		w.run.Expect("", nil, w.tmuxFn("send-keys", "-t", "%3", "-l", "--", "continue")...)
		w.expectInfo(pane3)
		w.expectCapture("%3", screen21("● "+throttle2x, "continue"))
		w.run.Expect("", nil, w.tmuxFn("send-keys", "-t", "%3", "Enter")...)
		if err := w.actor.Type(ctx, tgt, "continue"); err != nil {
			t.Fatal(err)
		}
		if len(w.slept) != 1 || w.slept[0] != 300*time.Millisecond {
			t.Errorf("pauses = %v, want one of 300ms", w.slept)
		}
	})
	// Right before Enter the input line must hold exactly the text typed.
	for _, tt := range []struct {
		name, screen, styled string
		human                bool
	}{
		{"a human typed more", screen21("● "+throttle2x, "continue and also fix the tests"),
			screen21("● "+throttle2x, "continue and also fix the tests"), true},
		{"a human typed before", screen21("● "+throttle2x, "xcontinue"), screen21("● "+throttle2x, "xcontinue"), true},
		{"the text did not arrive", screen21("● "+throttle2x, ""), "", false},
		{"a dialog replaced the input line", "Do you want to proceed?\n❯ 1. Yes\n  2. No\n", "", false},
		{"only the dim hint", screen21("● "+throttle2x, "Resend your message"),
			screen21("● "+throttle2x, "\x1b[2mResend your message\x1b[0m"), false},
	} {
		t.Run(tt.name+": no Enter", func(t *testing.T) {
			w := newActorWorld(t)
			w.claudeIn(100, 500, "77", "/w")
			w.expectInfo(pane3)
			w.run.Expect("", nil, w.tmuxFn("send-keys", "-t", "%3", "-l", "--", "continue")...)
			w.expectInfo(pane3)
			w.expectCapture("%3", tt.screen)
			if tt.styled != "" {
				w.run.Expect(tt.styled, nil, w.tmuxFn(styledCaptureArgs("%3")...)...)
			}
			err := w.actor.Type(ctx, tgt, "continue")
			if err == nil || !strings.Contains(err.Error(), "Enter not sent") || errors.Is(err, ErrHumanInput) != tt.human {
				t.Errorf("Type err = %v; want Enter not sent, human input %v", err, tt.human)
			}
		})
	}
	t.Run("copy mode after the text: no Enter", func(t *testing.T) {
		w := newActorWorld(t)
		w.claudeIn(100, 500, "77", "/w")
		w.expectInfo(pane3)
		w.run.Expect("", nil, w.tmuxFn("send-keys", "-t", "%3", "-l", "--", "continue")...)
		inMode := pane3
		inMode.InMode, inMode.Mode = true, "copy-mode"
		w.expectInfo(inMode)
		err := w.actor.Type(ctx, tgt, "continue")
		if err == nil || !strings.Contains(err.Error(), "Enter not sent") || !strings.Contains(err.Error(), "copy mode") {
			t.Errorf("Type err = %v", err)
		}
	})
	t.Run("guards fail first: nothing typed", func(t *testing.T) {
		w := newActorWorld(t)
		w.claudeIn(100, 500, "77", "/w")
		sh := pane3
		sh.Command = "bash"
		w.expectInfo(sh)
		if err := w.actor.Type(ctx, tgt, "continue"); err == nil || !strings.Contains(err.Error(), "nothing typed") {
			t.Errorf("Type err = %v", err)
		}
	})
	t.Run("control characters refused", func(t *testing.T) {
		w := newActorWorld(t)
		for _, msg := range []string{"", "continue\n", "a\x03"} {
			if err := w.actor.Type(ctx, tgt, msg); err == nil {
				t.Errorf("Type(%q): want an error", msg)
			}
		}
	})
}

func TestEnterEscapeInputHolds(t *testing.T) {
	ctx := context.Background()
	tgt := Target{Pane: "tmux:%3", PID: 500}
	w := newActorWorld(t)
	w.claudeIn(100, 500, "77", "/w")
	w.expectInfo(pane3)
	w.run.Expect("", nil, w.tmuxFn("send-keys", "-t", "%3", "Enter")...)
	w.expectInfo(pane3)
	w.run.Expect("", nil, w.tmuxFn("send-keys", "-t", "%3", "Escape")...)
	w.expectCapture("%3", screen21("● "+throttle2x, "continue"))
	w.expectCapture("%3", screen21("● "+throttle2x, ""))
	w.expectCapture("%3", screen21("● "+throttle2x, "continue please"))
	if err := w.actor.Enter(ctx, tgt); err != nil {
		t.Error(err)
	}
	if err := w.actor.Escape(ctx, tgt); err != nil {
		t.Error(err)
	}
	for _, want := range []bool{true, false, false} {
		if got, err := w.actor.InputHolds(ctx, tgt, "continue"); err != nil || got != want {
			t.Errorf("InputHolds = %v, %v; want %v", got, err, want)
		}
	}
	// Enter refused in copy mode: no send-keys
	inMode := pane3
	inMode.InMode = true
	w.expectInfo(inMode)
	if err := w.actor.Enter(ctx, tgt); err == nil {
		t.Error("Enter in copy mode: want an error")
	}
}

// One session open in two panes (claude --resume in both): the sessions
// files match twice, and only the screen may tell which pane stalled.
func TestLocateSessionOpenInTwoPanes(t *testing.T) {
	tests := []struct {
		name       string
		screen3    string
		screen4    string
		wantPane   string
		wantErrSub string
	}{
		{"the screen tells", screen21("● Hello from the mock.", ""), screen21("● "+throttle2x, ""), "tmux:%4", ""},
		{"both show the stall", screen21("● "+throttle2x, ""), screen21("● "+throttle2x, ""), "", "2 panes have this session open; cannot tell which"},
		{"neither shows it", screen21("● Hi.", ""), screen21("● Hi.", ""), "", "2 panes have this session open and none shows this stall"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newActorWorld(t)
			w.claudeIn(100, 500, "77", "/w")
			w.claudeIn(200, 600, "78", "/w")
			w.sessionFile(500, `{"pid":500,"sessionId":"sess-1","procStart":"77","tmux":"cc:@0.%3"}`)
			w.sessionFile(600, `{"pid":600,"sessionId":"sess-1","procStart":"78","tmux":"cc:@0.%4"}`)
			w.expectList(pane3, pane4)
			w.expectCapture("%3", tt.screen3)
			w.expectCapture("%4", tt.screen4)
			got, err := w.actor.Locate(context.Background(), w.sess)
			if tt.wantErrSub != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrSub) {
					t.Fatalf("Locate = %+v, %v; want error containing %q", got, err, tt.wantErrSub)
				}
				return
			}
			if err != nil || got.Pane != tt.wantPane || !strings.Contains(got.How, "screen (1 of 2 panes)") {
				t.Fatalf("Locate = %+v, %v; want pane %s chosen by screen", got, err, tt.wantPane)
			}
		})
	}
}

// Claude Code's dim hint in an empty input line is not a draft: the styled
// capture shows it dim, and the pane is ready. Typed text stays a draft.
func TestCheckPlaceholder(t *testing.T) {
	hint := screen21("● "+throttle2x, "Resend your message to try again")
	styledHint := strings.Replace(hint, "❯\u00a0Resend", "❯\u00a0\x1b[7mR\x1b[0;2mesend", 1)
	for _, tt := range []struct {
		name   string
		styled string
		want   Screen
	}{
		{"dim hint", styledHint, ScreenReady},
		{"plain text", hint, ScreenDraft},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newActorWorld(t)
			w.claudeIn(100, 500, "77", "/w")
			w.expectInfo(pane3)
			w.expectCapture("%3", hint)
			w.run.Expect(tt.styled, nil, w.tmuxFn(styledCaptureArgs("%3")...)...)
			got := w.actor.Check(context.Background(), Target{Pane: "tmux:%3", PID: 500}, w.sess)
			if got.Screen != tt.want || got.OK != (tt.want == ScreenReady) {
				t.Errorf("Check = %+v, want screen %s", got, tt.want)
			}
		})
	}
}
