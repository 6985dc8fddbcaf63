package pane

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
)

// The kitty backend under the same guards: a fake Claude in a real kitty
// (under Xvfb), located by its sessions file and process tree, refused for
// a human's draft, typed into once when ready, by the actor and through
// the engine.

func TestKittyLocateCheckTypeAndDraft(t *testing.T) {
	t.Parallel() // its own server, socket and root
	k := newKitty(t)
	bin := testkit.FakeClaude(t)
	root := t.TempDir()
	ctx := context.Background()
	a := k.actor()

	s := k.startClaude(bin, filepath.Join(t.TempDir(), "proj"), root, "sess-kitty-1", "429,ok")
	k.WaitScreen(s.Pane, "the stall", func(text string) bool { return ClassifyScreen(text, throttle2x).StallShown })
	got, err := a.Locate(ctx, s.Session)
	if err != nil || got.Pane != s.Pane || !strings.Contains(got.How, "sessions/") {
		t.Fatalf("Locate = %+v, %v; want %s by its sessions file\n%s", got, err, s.Pane, k.Capture(s.Pane))
	}
	if v := a.Check(ctx, got, s.Session); !v.OK {
		t.Fatalf("Check = %+v; want ready\n%s", v, k.Capture(s.Pane))
	}
	if err := a.Type(ctx, got, "continue"); err != nil {
		t.Fatalf("Type: %v\n%s", err, k.Capture(s.Pane))
	}
	k.WaitScreen(s.Pane, "the reply", func(text string) bool { return strings.Contains(text, "Hello from the fake (1).") })
	if n := countText(userTexts(t, s.Transcript), "continue"); n != 1 {
		t.Fatalf("%d continue entries, want 1", n)
	}

	d := k.startClaude(bin, filepath.Join(t.TempDir(), "proj2"), root, "sess-kitty-draft", "429,ok")
	k.WaitScreen(d.Pane, "the stall", func(text string) bool { return ClassifyScreen(text, throttle2x).StallShown })
	tg, err := a.Locate(ctx, d.Session)
	if err != nil {
		t.Fatal(err)
	}
	k.Must("send-text", "--match", "id:"+strings.TrimPrefix(d.Pane, "kitty:"), "--", `fix the \\tests`)
	k.WaitScreen(d.Pane, "the draft", func(text string) bool { return strings.Contains(text, "❯\u00a0fix the \\tests") })
	if v := a.Check(ctx, tg, d.Session); v.OK || v.Screen != ScreenDraft {
		t.Fatalf("Check = %+v; want refused as a draft\n%s", v, k.Capture(d.Pane))
	}
	if err := a.Type(ctx, tg, "continue"); !errors.Is(err, ErrHumanInput) {
		t.Fatalf("Type = %v; want ErrHumanInput (no Enter)\n%s", err, k.Capture(d.Pane))
	}
	if n := countText(userTexts(t, d.Transcript), "continue"); n != 0 {
		t.Fatalf("%d continue entries, want none", n)
	}
}
