package pane

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/ccwake/ccwake/watch"
)

// ScreenInfo is what ClassifyScreen read from one capture-pane text.
type ScreenInfo struct {
	Screen Screen
	// StallShown: the stall's error text is the last message above the
	// input box. Locate uses it to tell panes in one cwd apart.
	StallShown bool
	// InputBox: the input line between two rules was found.
	InputBox bool
	// Draft is the text in the input line (whitespace-normalised), "" when empty.
	Draft string
	// Last is the last message above the input box, normalised, for reasons.
	Last string
	// Beneath is, for ScreenAutoWait, what the screen is without the
	// client's auto-continue lines (its notice and its countdown): Ready
	// when the stall is the last message and the input line is empty. A
	// retry asked for by the user types over the countdown only then.
	Beneath Screen
	// beneathStall is StallShown without the auto-continue lines.
	beneathStall bool
}

// autoWaitMarkers are the lines 2.1.330 draws while it waits out a usage
// cap by itself: the notice above the input box and the footer countdown
// (before and after the reset).
var autoWaitMarkers = []string{"Continuing automatically at", "set to continue automatically", "Continuing shortly"}

// Screen markers, as drawn by Claude Code 2.0.x–2.1.x.
const (
	promptNew = "❯" // input line and user messages, 2.1.x
	promptOld = ">" // the same, 2.0.x
	replyDot  = "●" // assistant message / API error (2.1.330)
	replyHook = "⎿" // result under a message / API error (2.0.x, 2.1.145)
	doneStar  = "✻" // "✻ Crunched for 0s": a status line, not a message
)

// stallPrefixRunes is how much of the error's first line must match. The
// screen wraps and indents long lines, so we compare with all whitespace
// removed, and only a prefix: the tail of a long JSON dump may be cut.
const stallPrefixRunes = 40

var (
	// numbered options of a selection dialog: "❯ 1. Yes", "  2. No"
	dialogOption = regexp.MustCompile(`^\s*❯\s*\d+\.\s`)
	ruleLine     = regexp.MustCompile(`^─{10,}$`)
)

// Stall is what a screen is read against: the stall's error text, and
// whether an agent hit it rather than the main thread.
type Stall struct {
	Message string
	// Agent: a subagent or background agent hit the cap (watch.Session.Agent).
	// The main thread's last entry is normal, so the error is seldom the last
	// message; see agentShown for what counts as shown instead.
	Agent bool
}

// ClassifyScreen reads a pane's text and says whether typing is safe for
// the main-thread stall whose error text is stallMsg. It is pure: the
// guards around it decide what to do with the answer. Anything it cannot
// place is unknown, and only ScreenReady allows typing.
func ClassifyScreen(text, stallMsg string) ScreenInfo {
	return ClassifyStall(text, Stall{Message: stallMsg})
}

// ClassifyStall is ClassifyScreen for any stall, an agent's included. The
// guards are the same for both (input box found, input line empty, no
// dialog, not busy, no auto-wait, not vim NORMAL); only what proves the
// stall is shown differs.
func ClassifyStall(text string, st Stall) ScreenInfo {
	lines := splitScreen(text)
	var info ScreenInfo
	msgFrom := 0 // where the last message starts (0: no input box or no message)
	top, bottom, ok := findInputBox(lines)
	if ok {
		info.InputBox = true
		info.Draft = inputText(lines[top+1 : bottom])
		var at int
		info.Last, at = lastMessage(lines[:top])
		msgFrom = at
		if st.Agent {
			info.StallShown = agentShown(info.Last, st.Message)
		} else {
			info.StallShown = stallMatches(info.Last, st.Message)
		}
	}
	// Look for dialogs, spinners and mode lines only from the last message
	// down: older history may quote them. Without an input box (a dialog
	// replaces it) the whole screen counts.
	region := strings.Join(lines[msgFrom:], "\n")
	var footer string
	if ok {
		footer = strings.Join(lines[bottom:], "\n")
	}
	switch {
	case strings.Contains(region, "What do you want to do?") && strings.Contains(region, "Stop and wait for limit to reset"):
		info.Screen = ScreenUsageDialog
	case containsAny(region, autoWaitMarkers):
		info.Screen = ScreenAutoWait
		under := ClassifyStall(withoutAutoWait(lines), st)
		info.Beneath, info.beneathStall = under.Screen, under.StallShown
	case hasDialog(lines[msgFrom:]):
		info.Screen = ScreenDialog
	case strings.Contains(strings.ToLower(region), "esc to interrupt"):
		info.Screen = ScreenBusy
	case strings.Contains(footer, "-- NORMAL --"):
		info.Screen = ScreenVimNormal
	case !ok:
		info.Screen = ScreenUnknown
	case info.Draft != "":
		info.Screen = ScreenDraft
	case !info.StallShown:
		info.Screen = ScreenNoStall
	default:
		info.Screen = ScreenReady
	}
	return info
}

// withoutDraft is the verdict for a screen whose input line turned out to
// hold only a placeholder. It is called only for ScreenDraft, which every
// blocking screen (dialogs, busy, vim) outranks, so what is left is whether
// the stall is shown.
func (i ScreenInfo) withoutDraft() ScreenInfo {
	i.Draft = ""
	if i.Screen == ScreenAutoWait { // the draft guard ranks below the client's countdown
		if i.Beneath == ScreenDraft {
			i.Beneath = ScreenNoStall
			if i.beneathStall {
				i.Beneath = ScreenReady
			}
		}
		return i
	}
	if i.StallShown {
		i.Screen = ScreenReady
	} else {
		i.Screen = ScreenNoStall
	}
	return i
}

// withoutAutoWait is the screen with the auto-continue lines removed.
func withoutAutoWait(lines []string) string {
	keep := make([]string, 0, len(lines))
	for _, l := range lines {
		if !containsAny(l, autoWaitMarkers) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// splitScreen splits capture-pane output into lines without trailing blanks.
func splitScreen(text string) []string {
	lines := strings.Split(strings.ReplaceAll(text, "\r", ""), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func isRule(l string) bool { return ruleLine.MatchString(strings.TrimSpace(l)) }

// isPromptLine: "❯ …" or "> …" at column 0 (the space may be a NBSP).
func isPromptLine(l string) bool {
	for _, p := range []string{promptNew, promptOld} {
		if rest, ok := strings.CutPrefix(l, p); ok {
			return rest == "" || rest[0] == ' ' || strings.HasPrefix(rest, "\u00a0")
		}
	}
	return false
}

// findInputBox finds the lowest "rule, prompt line, …, rule" block: the
// input box. Lines between the prompt line and the lower rule belong to a
// multi-line draft.
func findInputBox(lines []string) (top, bottom int, ok bool) {
	bottom = -1
	for i := len(lines) - 1; i >= 0; i-- {
		if !isRule(lines[i]) {
			continue
		}
		if bottom >= 0 && i+1 < len(lines) && isPromptLine(lines[i+1]) {
			return i, bottom, true
		}
		bottom = i
	}
	return 0, 0, false
}

// inputText returns the input box's text with the prompt marker removed.
func inputText(box []string) string {
	if len(box) == 0 {
		return ""
	}
	parts := make([]string, 0, len(box))
	first := box[0]
	for _, p := range []string{promptNew, promptOld} {
		if rest, ok := strings.CutPrefix(first, p); ok {
			first = rest
			break
		}
	}
	parts = append(parts, first)
	parts = append(parts, box[1:]...)
	return normSpace(strings.Join(parts, " "))
}

// lastMessage returns the newest message block above the input box: a user
// prompt ("❯ say hi"), an assistant line ("● …") or a result line
// ("⎿ …"), with its indented continuation lines. Status lines such as
// "✻ Crunched for 0s" are skipped. It also returns the block's line index.
func lastMessage(lines []string) (string, int) {
	start := -1
	for i := len(lines) - 1; i >= 0; i-- {
		t := strings.TrimLeftFunc(lines[i], unicode.IsSpace)
		if strings.HasPrefix(t, replyDot) || strings.HasPrefix(t, replyHook) || isPromptLine(lines[i]) {
			start = i
			break
		}
	}
	if start < 0 {
		return "", 0
	}
	block := []string{lines[start]}
	for _, l := range lines[start+1:] {
		t := strings.TrimLeftFunc(l, unicode.IsSpace)
		if t == "" || t == l || strings.HasPrefix(t, replyDot) || strings.HasPrefix(t, replyHook) ||
			strings.HasPrefix(t, doneStar) {
			break // blank, unindented, or the next block
		}
		block = append(block, t)
	}
	return normSpace(strings.Join(block, " ")), start
}

// stallMatches reports whether message shows the stall's error text: the
// first line of stallMsg, whitespace removed, cut to stallPrefixRunes,
// must appear in message right after its marker.
func stallMatches(message, stallMsg string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(onScreen(stallMsg)), "\n")
	want := []rune(noSpace(first))
	if len(want) == 0 || message == "" {
		return false
	}
	if len(want) > stallPrefixRunes {
		want = want[:stallPrefixRunes]
	}
	body := message
	for _, m := range []string{replyDot, replyHook} {
		if rest, ok := strings.CutPrefix(body, m); ok {
			return strings.HasPrefix(noSpace(rest), string(want))
		}
	}
	return false // the last message is a user prompt: nothing answered it yet
}

// agentDied is what Claude Code shows under an Agent/Task tool call whose
// agent died on an API error ("⎿ Error: Agent terminated early due to an
// API error: …"); the same shape watch/classify reads from the tool_result.
var agentDied = regexp.MustCompile(`(?i)\b(?:sub-?)?agent\b.{0,100}?\b(?:due to|because of|after|with) an api error\b`)

// agentShown reports whether message, the last message block above the
// input box, shows an agent's cap: a reply or result (never a user prompt,
// which nothing has answered yet) that contains the cap's first line
// anywhere (the tool result puts "Error: Agent terminated early …" before
// it), or says that an agent died on an API error. A main-thread reply
// written after the agent died is not taken as evidence: ccwake cannot
// tell it from any other idle session's screen, so it shows, not sends.
func agentShown(message, stallMsg string) bool {
	var body string
	found := false
	for _, m := range []string{replyDot, replyHook} {
		if rest, ok := strings.CutPrefix(message, m); ok {
			body, found = rest, true
			break
		}
	}
	if !found {
		return false
	}
	if agentDied.MatchString(body) {
		return true
	}
	first, _, _ := strings.Cut(strings.TrimSpace(onScreen(stallMsg)), "\n")
	want := []rune(noSpace(first))
	if len(want) == 0 {
		return false
	}
	if len(want) > stallPrefixRunes {
		want = want[:stallPrefixRunes]
	}
	return strings.Contains(noSpace(body), string(want))
}

// pipeEpochMsg is the ≤ 2.0.0 transcript text of a usage limit or throttle:
// "Claude AI usage limit reached|<epoch>".
var pipeEpochMsg = regexp.MustCompile(`^Claude AI usage limit reached\|\d+$`)

// onScreen maps a transcript's error text to what the client draws for it.
// They differ in one case, measured on 2.0.0: the transcript says
// "Claude AI usage limit reached|0", the screen "⎿ Claude usage limit
// reached." (then "/upgrade to increase your usage limit.").
func onScreen(stallMsg string) string {
	if pipeEpochMsg.MatchString(strings.TrimSpace(stallMsg)) {
		return "Claude usage limit reached"
	}
	return stallMsg
}

// hasDialog: a selection dialog with numbered options or the standard
// confirm/cancel footer.
func hasDialog(lines []string) bool {
	for _, l := range lines {
		if dialogOption.MatchString(l) || strings.Contains(l, "Enter to confirm") || strings.Contains(l, "Esc to cancel") {
			return true
		}
	}
	return false
}

// normSpace collapses every run of whitespace (including NBSP) to one space.
func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// noSpace removes every whitespace rune.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// stallOf is what the screen of s's pane is read against.
func stallOf(s watch.Session) Stall { return Stall{Message: s.Message, Agent: s.Agent} }
