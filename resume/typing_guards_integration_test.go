package resume

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A human types into the pane in the pause between ccwake's text and its
// Enter: the pause hook injects their keys with tmux send-keys, and the
// fake Claude must never receive a submission.
func TestTmuxHumanKeysBeforeEnterNotSubmitted(t *testing.T) {
	w := newWorld(t)
	s := w.claude("sess-1", claudeOpts{sessionFile: true})
	human := " and also fix the tests"
	a := NewTmuxActor(TmuxConfig{Socket: w.sock, Sleep: func(ctx context.Context, d time.Duration) error {
		w.waitScreen(s.Pane, "ccwake's text", func(t string) bool { return strings.Contains(t, "❯\u00a0continue") })
		w.must("send-keys", "-t", s.Pane, "-l", "--", human)
		w.waitScreen(s.Pane, "the human's keys", func(t string) bool { return strings.Contains(t, "❯\u00a0continue"+human) })
		return nil
	}})
	ctx := context.Background()
	tgt, err := a.Locate(ctx, s.Session)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Check(ctx, tgt, s.Session); !v.OK {
		t.Fatalf("Check = %+v\n%s", v, w.capture(s.Pane))
	}
	before := transcriptLines(t, s.Transcript)
	err = a.Type(ctx, tgt, "continue")
	if !errors.Is(err, ErrHumanInput) {
		t.Fatalf("Type = %v; want ErrHumanInput", err)
	}
	// The fake draws a submitted prompt as "❯ text" above the rule and
	// writes it to the transcript at once; give a wrong Enter the time a
	// real one takes to show (TestTmuxTypeContinue), then look.
	w.must("send-keys", "-t", s.Pane, "-l", "--", "!") // a marker: drawn only after every earlier key
	screen := w.waitScreen(s.Pane, "the marker", func(t string) bool { return strings.Contains(t, "❯\u00a0continue"+human+"!") })
	if after := transcriptLines(t, s.Transcript); len(after) != len(before) {
		t.Errorf("transcript grew from %d to %d lines: the human's text was submitted", len(before), len(after))
	}
	if strings.Contains(screen, "❯ continue") {
		t.Errorf("a prompt was submitted:\n%s", screen)
	}
}
