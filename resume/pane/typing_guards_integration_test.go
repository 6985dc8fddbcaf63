package pane

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/procs"
)

// A human types into the pane in the pause between ccwake's text and its
// Enter: the pause hook injects their keys with tmux send-keys, and the
// fake Claude must never receive a submission.
func TestTmuxHumanKeysBeforeEnterNotSubmitted(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{sessionFile: true})
	human := " and also fix the tests"
	a := New(Config{Socket: w.Sock, Sleep: func(ctx context.Context, d time.Duration) error {
		w.WaitScreen(s.Pane, "ccwake's text", func(t string) bool { return strings.Contains(t, "❯\u00a0continue") })
		w.Must("send-keys", "-t", s.Pane, "-l", "--", human)
		w.WaitScreen(s.Pane, "the human's keys", func(t string) bool { return strings.Contains(t, "❯\u00a0continue"+human) })
		return nil
	}})
	ctx := context.Background()
	tgt, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Check(ctx, tgt, s.Session); !v.OK {
		t.Fatalf("Check = %+v\n%s", v, w.Capture(s.Pane))
	}
	before := transcriptLines(t, s.Transcript)
	err = a.Type(ctx, tgt, "continue")
	if !errors.Is(err, ErrHumanInput) {
		t.Fatalf("Type = %v; want ErrHumanInput", err)
	}
	// The fake draws a submitted prompt as "❯ text" above the rule and
	// writes it to the transcript at once; give a wrong Enter the time a
	// real one takes to show (TestTmuxTypeContinue), then look.
	w.Must("send-keys", "-t", s.Pane, "-l", "--", "!") // a marker: drawn only after every earlier key
	screen := w.WaitScreen(s.Pane, "the marker", func(t string) bool { return strings.Contains(t, "❯\u00a0continue"+human+"!") })
	if after := transcriptLines(t, s.Transcript); len(after) != len(before) {
		t.Errorf("transcript grew from %d to %d lines: the human's text was submitted", len(before), len(after))
	}
	if strings.Contains(screen, "❯ continue") {
		t.Errorf("a prompt was submitted:\n%s", screen)
	}
}

// Claude runs a program in its own process group in the foreground (Ctrl-G
// "edit prompt"): here a second fake that draws a Claude-like screen with
// the same stall. tmux still names Claude and the terminal's foreground
// group is still Claude's; the guard must refuse anyway.
func TestTmuxForegroundChildOfClaudeRefused(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{sessionFile: true, extra: []string{"-editor", w.bin + " -script 429 -first hi"}})
	a := w.actor()
	ctx := context.Background()
	tgt, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Check(ctx, tgt, s.Session); !v.OK {
		t.Fatalf("Check before Ctrl-G = %+v\n%s", v, w.Capture(s.Pane))
	}
	w.Must("send-keys", "-t", s.Pane, "C-g")
	table := procs.NewHost(nil)
	var child procs.Proc
	waitFor(t, "the child in Claude's process group", func() bool {
		list, err := table.List(ctx)
		if err != nil {
			return false
		}
		for _, p := range list {
			if p.PPID == tgt.PID && p.Comm == "claude" {
				child = p
				return true
			}
		}
		return false
	}, func() string { return w.Capture(s.Pane) })
	w.WaitScreen(s.Pane, "the child's Claude-like screen", func(t string) bool {
		return strings.Contains(t, "❯ hi") && ClassifyScreen(t, throttle2x).Screen == ScreenReady
	})
	if claude, err := table.Get(ctx, tgt.PID); err != nil || claude.PGID != child.PGID || claude.TPGID != claude.PGID {
		t.Fatalf("setup: Claude %+v and child %+v should share the foreground group (%v)", claude, child, err)
	}
	before := transcriptLines(t, s.Transcript)
	v := a.Check(ctx, tgt, s.Session)
	if v.OK || !strings.Contains(v.Reason, "runs claude (pid") || !strings.Contains(v.Reason, "in the foreground") {
		t.Errorf("Check with a foreground child = %+v; want refused naming it\n%s", v, w.Capture(s.Pane))
	}
	if err := a.Type(ctx, tgt, "continue"); err == nil || !strings.Contains(err.Error(), "nothing typed") {
		t.Errorf("Type with a foreground child = %v; want nothing typed", err)
	}
	if after := transcriptLines(t, s.Transcript); len(after) != len(before) {
		t.Errorf("transcript grew from %d to %d lines", len(before), len(after))
	}
	// The child exits: Claude's own prompt is back and may be typed into.
	w.Must("send-keys", "-t", s.Pane, "C-d")
	waitFor(t, "the child to exit", func() bool { _, err := table.Get(ctx, child.PID); return err != nil },
		func() string { return w.Capture(s.Pane) })
	w.WaitScreen(s.Pane, "Claude's own screen", func(t string) bool { return strings.Contains(t, "❯ say hi") })
	if v := a.Check(ctx, tgt, s.Session); !v.OK {
		t.Errorf("Check after the child exited = %+v\n%s", v, w.Capture(s.Pane))
	}
}
