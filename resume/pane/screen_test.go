package pane

import (
	"os"
	"path/filepath"
	"testing"
)

const (
	throttle2x  = "API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"
	key429v200  = `API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your account's rate limit. Please try again later."},"request_id":"req_mockerr"}`
	session5h   = "You've hit your session limit · resets 7:05pm (UTC)"
	fiveHour330 = "You've hit your 5-hour limit · resets 7:05pm (UTC)"
)

func TestClassifyScreen(t *testing.T) {
	tests := []struct {
		file       string
		stall      string
		want       Screen
		stallShown bool
		draft      string
	}{
		// real captures at each stall: ready
		{"fixtures/i-v2.0.0-key-429-stall1.txt", key429v200, ScreenReady, true, ""},
		{"fixtures/i-v2.1.145-oauth-throttle-stall1.txt", throttle2x, ScreenReady, true, ""},
		{"fixtures/i-v2.1.330-oauth-throttle-x2-stall1.txt", throttle2x, ScreenReady, true, ""},
		{"fixtures/i-v2.1.330-oauth-throttle-x2-stall2.txt", throttle2x, ScreenReady, true, ""},
		// a later reply follows the error: resumed already
		{"fixtures/i-v2.0.0-key-429-stall2.txt", key429v200, ScreenNoStall, false, ""},
		{"fixtures/i-v2.0.0-key-429-end.txt", key429v200, ScreenNoStall, false, ""},
		{"fixtures/i-v2.1.145-oauth-throttle-end.txt", throttle2x, ScreenNoStall, false, ""},
		{"fixtures/i-v2.1.330-oauth-throttle-x2-end.txt", throttle2x, ScreenNoStall, false, ""},
		// nothing happened yet
		// 2.0.0 shows a placeholder in the empty input line; without colours
		// (capture-pane -p) it reads as a draft, which errs on the safe side.
		{"fixtures/i-v2.0.0-key-429-start.txt", key429v200, ScreenDraft, false, `Try "refactor <filepath>"`},
		{"fixtures/i-v2.1.145-oauth-throttle-start.txt", throttle2x, ScreenNoStall, false, ""},
		{"fixtures/i-v2.1.330-oauth-throttle-x2-start.txt", throttle2x, ScreenNoStall, false, ""},
		// another session's stall text is not this stall
		{"fixtures/i-v2.1.145-oauth-throttle-stall1.txt", key429v200, ScreenNoStall, false, ""},
		{"fixtures/i-v2.0.0-key-429-stall1.txt", throttle2x, ScreenNoStall, false, ""},
		// no stall text known: never ready
		{"fixtures/i-v2.1.145-oauth-throttle-stall1.txt", "", ScreenNoStall, false, ""},
		// real usage-cap screens (2.1.145 opens its own dialog; 2.1.330 waits itself)
		{"real/usagecap-dialog-2.1.145.txt", session5h, ScreenUsageDialog, false, ""},
		{"real/usagecap-autowait-2.1.330.txt", fiveHour330, ScreenAutoWait, false, ""},
		// the real 2.0.0 (e2e run): "|0" in the transcript, other words on screen
		{"e2e-2.0.0-oauth-throttle-stall.txt", "Claude AI usage limit reached|0", ScreenReady, true, ""},
		{"e2e-2.0.0-oauth-usagecap-stall.txt", "Session limit reached ∙ resets 8:04pm", ScreenReady, true, ""},
		{"e2e-2.0.0-oauth-throttle-stall.txt", "Session limit reached ∙ resets 8:04pm", ScreenNoStall, false, ""},
		// handmade
		{"hand/draft.txt", throttle2x, ScreenDraft, true, "fix the te"},
		{"hand/draft-multiline.txt", throttle2x, ScreenDraft, true, "first line of a long draft that wraps onto a second line"},
		{"hand/dialog-permission.txt", throttle2x, ScreenDialog, false, ""},
		{"hand/usage-dialog-2.1.145.txt", "You've hit your session limit · resets 5:52pm (UTC)", ScreenUsageDialog, false, ""},
		{"hand/auto-wait-2.1.330.txt", "You've hit your 5-hour limit · resets 5:15pm (UTC)", ScreenAutoWait, false, ""},
		{"hand/busy.txt", throttle2x, ScreenBusy, false, ""},
		{"hand/vim-normal.txt", throttle2x, ScreenVimNormal, true, ""},
		{"hand/vim-insert.txt", throttle2x, ScreenReady, true, ""},
		{"hand/bash.txt", throttle2x, ScreenUnknown, false, ""},
		{"hand/vi.txt", throttle2x, ScreenUnknown, false, ""},
		{"hand/continue-pending.txt", throttle2x, ScreenNoStall, false, ""},
		// dialog and spinner words in older history do not count
		{"hand/history-quotes-dialog.txt", throttle2x, ScreenReady, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("..", "..", "testdata", "panes", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := ClassifyScreen(string(text), tt.stall)
			if got.Screen != tt.want || got.StallShown != tt.stallShown || got.Draft != tt.draft {
				t.Errorf("ClassifyScreen = {Screen:%s StallShown:%v Draft:%q Last:%q}, want {Screen:%s StallShown:%v Draft:%q}",
					got.Screen, got.StallShown, got.Draft, got.Last, tt.want, tt.stallShown, tt.draft)
			}
		})
	}
}

// Issue 8 item 10: beneath 2.1.330's auto-continue countdown the guards
// still read the screen: the stall shown with an empty input line is ready
// for a retry asked for by the user, a draft is not, and neither is a
// screen where the stall is not the last message.
func TestClassifyScreenBeneathAutoWait(t *testing.T) {
	tests := []struct {
		file, stall string
		beneath     Screen
	}{
		{"real/usagecap-autowait-2.1.330.txt", fiveHour330, ScreenReady},
		{"e2e-2.1.330-oauth-usagecap-stall.txt", "You've hit your 5-hour limit · resets 8:04pm (UTC)", ScreenReady},
		{"real/usagecap-autowait-2.1.330.txt", session5h, ScreenNoStall}, // another stall's text
		{"hand/auto-wait-draft-2.1.330.txt", fiveHour330, ScreenDraft},
		{"hand/auto-wait-2.1.330.txt", "You've hit your 5-hour limit · resets 5:15pm (UTC)", ScreenNoStall}, // the error is not on screen
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("..", "..", "testdata", "panes", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := ClassifyScreen(string(text), tt.stall)
			if got.Screen != ScreenAutoWait || got.Beneath != tt.beneath {
				t.Errorf("ClassifyScreen = {Screen:%s Beneath:%s}, want {auto_wait %s}", got.Screen, got.Beneath, tt.beneath)
			}
		})
	}
	// Once the client continued, nothing of the countdown counts any more.
	text, err := os.ReadFile(filepath.Join("..", "..", "testdata", "panes", "e2e-2.1.330-usagecap-autocontinued.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ClassifyScreen(string(text), fiveHour330); got.Screen == ScreenAutoWait || got.Screen == ScreenReady {
		t.Errorf("after the client's own continue: %s", got.Screen)
	}
}

func TestStallMatches(t *testing.T) {
	tests := []struct {
		message, stall string
		want           bool
	}{
		{"● API Error: Rate limit reached", "API Error: Rate limit reached", true},
		{"⎿ API Error: 429 {\"type\":\"error\",\"error\":{\"type\":\"rate_li mit_error\"", key429v200, true}, // hard-wrapped mid-word
		{"● API Error: 500 Internal server error.", "API Error: 529 Overloaded.", false},
		{"❯ API Error: Rate limit reached", "API Error: Rate limit reached", false}, // a user typed it
		{"● Hello", "", false},
		{"", "API Error: Rate limit reached", false},
		{"● short", "short\nsecond line ignored", true},
	}
	for _, tt := range tests {
		if got := stallMatches(tt.message, tt.stall); got != tt.want {
			t.Errorf("stallMatches(%q, %q) = %v, want %v", tt.message, tt.stall, got, tt.want)
		}
	}
}

// FuzzClassifyScreen: any pane text, any stall text: no panic, and ready
// only with an input box, an empty draft and the stall shown.
func FuzzClassifyScreen(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "panes", "*", "*.txt"))
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(text), throttle2x)
	}
	f.Add("────────────\n❯\n────────────", "")
	f.Fuzz(func(t *testing.T, text, stall string) {
		info := ClassifyScreen(text, stall)
		if info.Screen == ScreenReady && (!info.InputBox || info.Draft != "" || !info.StallShown) {
			t.Errorf("ready without its conditions: %+v", info)
		}
	})
}
