package pane

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/mux"
)

// The screen backend under the same guards as tmux: a fake Claude in a real
// screen session, located by its sessions file and process tree, refused
// for a human's draft and for copy mode, typed into once when ready.

func TestScreenLocateCheckType(t *testing.T) {
	t.Parallel() // its own server, socket and root
	srv := newScreen(t)
	bin := testkit.FakeClaude(t)
	root := t.TempDir()
	s := srv.startClaude(bin, filepath.Join(t.TempDir(), "proj"), root, "sess-screen-1", "429,ok")
	srv.WaitScreen(s.Pane, "the stall", func(text string) bool { return ClassifyScreen(text, throttle2x).StallShown })
	ctx := context.Background()
	a := srv.actor()
	got, err := a.Locate(ctx, s.Session)
	if err != nil || got.Pane != s.Pane || !strings.Contains(got.How, "sessions/") {
		t.Fatalf("Locate = %+v, %v; want %s by its sessions file\n%s", got, err, s.Pane, srv.Capture(s.Pane))
	}
	if v := a.Check(ctx, got, s.Session); !v.OK {
		t.Fatalf("Check = %+v; want ready\n%s", v, srv.Capture(s.Pane))
	}
	if err := a.Type(ctx, got, "continue"); err != nil {
		t.Fatalf("Type: %v\n%s", err, srv.Capture(s.Pane))
	}
	waitFor(t, "the continue in the transcript", func() bool {
		return countText(userTexts(t, s.Transcript), "continue") == 1
	}, func() string { return srv.Capture(s.Pane) })
	srv.WaitScreen(s.Pane, "the reply", func(text string) bool { return strings.Contains(text, "Hello from the fake (1).") })
}

// Claude Code 2.1.330 draws "Resend your message to try again" in the empty
// input line after a throttle, and screen's hardcopy shows no dim: the
// hint's exact text with the cursor on its first cell is an empty line,
// the same words typed by a human (cursor after them) are a draft.
func TestScreenHintAfterError(t *testing.T) {
	t.Parallel() // its own server, socket and root
	srv := newScreen(t)
	bin := testkit.FakeClaude(t)
	root := t.TempDir()
	ctx := context.Background()
	const hint = "Resend your message to try again"

	t.Run("the client's hint", func(t *testing.T) {
		s := srv.startClaude(bin, filepath.Join(t.TempDir(), "proj"), root, "sess-screen-hint", "429,ok", "-hint")
		srv.WaitScreen(s.Pane, "the stall and the hint", func(text string) bool {
			info := ClassifyScreen(text, throttle2x)
			return info.StallShown && info.Draft == hint
		})
		a := srv.actor()
		tg, err := a.Locate(ctx, s.Session)
		if err != nil {
			t.Fatal(err)
		}
		if v := a.Check(ctx, tg, s.Session); !v.OK {
			t.Fatalf("Check = %+v; want ready: the hint is no draft\n%s", v, srv.Capture(s.Pane))
		}
		if err := a.Type(ctx, tg, "continue"); err != nil {
			t.Fatalf("Type: %v\n%s", err, srv.Capture(s.Pane))
		}
		waitFor(t, "the continue in the transcript", func() bool {
			return countText(userTexts(t, s.Transcript), "continue") == 1
		}, func() string { return srv.Capture(s.Pane) })
		srv.WaitScreen(s.Pane, "the reply", func(text string) bool { return strings.Contains(text, "Hello from the fake (1).") })
	})

	t.Run("the hint's words typed by a human", func(t *testing.T) {
		s := srv.startClaude(bin, filepath.Join(t.TempDir(), "proj"), root, "sess-screen-hint-typed", "429,ok", "-hint")
		srv.WaitScreen(s.Pane, "the hint", func(text string) bool { return ClassifyScreen(text, throttle2x).Draft == hint })
		a := srv.actor()
		tg, err := a.Locate(ctx, s.Session)
		if err != nil {
			t.Fatal(err)
		}
		srv.Stuff(s.Pane, hint)
		// The typed words replace the hint: same text, cursor after it.
		waitFor(t, "the cursor after the typed words", func() bool {
			col, _, err := a.backends[0].(mux.CursorReader).Cursor(ctx, strings.TrimPrefix(s.Pane, "screen:"))
			return err == nil && col == 2+len(hint)
		}, func() string { return srv.Capture(s.Pane) })
		if v := a.Check(ctx, tg, s.Session); v.OK || v.Screen != ScreenDraft {
			t.Fatalf("Check = %+v; want refused as a draft\n%s", v, srv.Capture(s.Pane))
		}
		if err := a.Type(ctx, tg, "continue"); !errors.Is(err, ErrHumanInput) {
			t.Fatalf("Type = %v; want ErrHumanInput (no Enter)\n%s", err, srv.Capture(s.Pane))
		}
		if texts := userTexts(t, s.Transcript); len(texts) != 1 {
			t.Fatalf("prompts %q; want only the first (nothing submitted after the stall)", texts)
		}
	})
}

func TestScreenGuardsRefuse(t *testing.T) {
	t.Parallel() // its own server, socket and root
	srv := newScreen(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("copy mode needs a display: a screen client in a tmux pane")
	}
	bin := testkit.FakeClaude(t)
	root := t.TempDir()
	ctx := context.Background()

	t.Run("human draft", func(t *testing.T) {
		s := srv.startClaude(bin, filepath.Join(t.TempDir(), "proj"), root, "sess-screen-draft", "429,ok")
		a := srv.actor()
		tg, err := a.Locate(ctx, s.Session)
		if err != nil {
			t.Fatal(err)
		}
		srv.Stuff(s.Pane, "fix the tests")
		srv.WaitScreen(s.Pane, "the draft", func(text string) bool { return strings.Contains(text, "❯\u00a0fix the tests") })
		if v := a.Check(ctx, tg, s.Session); v.OK || v.Screen != ScreenDraft {
			t.Fatalf("Check = %+v; want refused as a draft\n%s", v, srv.Capture(s.Pane))
		}
		if err := a.Type(ctx, tg, "continue"); !errors.Is(err, ErrHumanInput) {
			t.Fatalf("Type = %v; want ErrHumanInput (no Enter)\n%s", err, srv.Capture(s.Pane))
		}
		if n := countText(userTexts(t, s.Transcript), "continue"); n != 0 {
			t.Fatalf("%d continue entries, want none", n)
		}
	})

	t.Run("copy mode", func(t *testing.T) {
		s := srv.startClaude(bin, filepath.Join(t.TempDir(), "proj"), root, "sess-screen-copy", "429,ok")
		sess := strings.TrimSuffix(strings.TrimPrefix(s.Pane, "screen:"), "/0")
		// A display: a screen client attached in a private tmux server.
		tm := newTmux(t)
		tm.Must("new-window", "-d", "env SCREENDIR="+srv.Dir+" LANG=C.UTF-8 screen -r "+sess)
		waitFor(t, "the screen client to attach", func() bool { return strings.Contains(srv.Out("-ls"), "Attached") },
			func() string { return srv.Out("-ls") })
		a := srv.actor()
		tg, err := a.Locate(ctx, s.Session)
		if err != nil {
			t.Fatal(err)
		}
		if v := a.Check(ctx, tg, s.Session); !v.OK {
			t.Fatalf("Check before copy mode = %+v\n%s", v, srv.Capture(s.Pane))
		}
		srv.Must("-S", sess, "-p", "0", "-X", "copy")
		if v := a.Check(ctx, tg, s.Session); v.OK || !strings.Contains(v.Reason, "copy mode") {
			t.Fatalf("Check in copy mode = %+v; want refused for copy mode", v)
		}
		if err := a.Type(ctx, tg, "continue"); err == nil || !strings.Contains(err.Error(), "nothing typed") {
			t.Fatalf("Type in copy mode = %v; want refused with nothing typed", err)
		}
		if err := a.Enter(ctx, tg); err == nil {
			t.Fatal("Enter in copy mode was sent")
		}
		// The probe leaves the scrollback as it was, and copy mode on.
		if v := a.Check(ctx, tg, s.Session); v.OK || !strings.Contains(v.Reason, "copy mode") {
			t.Fatalf("Check again in copy mode = %+v", v)
		}
		srv.Must("-S", sess, "-p", "0", "-X", "stuff", "\x1b") // Escape leaves copy mode
		waitFor(t, "copy mode to end", func() bool { return a.Check(ctx, tg, s.Session).OK },
			func() string { return a.Check(ctx, tg, s.Session).Reason })
		if n := countText(userTexts(t, s.Transcript), "continue"); n != 0 {
			t.Fatalf("%d continue entries, want none", n)
		}
	})
}
