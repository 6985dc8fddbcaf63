package ui

import (
	"regexp"
	"strings"

	"github.com/ccwake/ccwake/resume"
)

// The engine names its actions with short internal words ("no_pane",
// "retry_refused", "skipped:no_stall") for the log file and --json. People
// read these instead: a label of a word or two, and reasons without the
// internal names. The dashboard's event log and LAST EVENT column, the
// details' history and `ccwake log` all use them.

// eventWord is how one action name reads.
type eventWord struct {
	label string
	// lead says the label leads the sentence in the LAST EVENT column:
	// the reason alone would not say what happened ("already typed for
	// this error" needs "retry refused"). Without it the reason is the
	// sentence: it already says what happened, and at 80 columns its
	// first words are the useful ones.
	lead bool
}

// eventWords maps each action the engine records to its words. An action
// not listed reads as its name with the underscores gone.
var eventWords = map[string]eventWord{
	"scheduled":        {label: "scheduled"},
	"typed":            {label: "typed"},
	"confirmed":        {label: "confirmed"},
	"enter":            {label: "one more Enter"},
	"skipped":          {label: "not typed"},
	"no_pane":          {label: "no pane"},
	"gave_up":          {label: "gave up"},
	"fatal":            {label: "fatal"},
	"unconfirmed":      {label: "unconfirmed"},
	"retry":            {label: "retry"},
	"retry_refused":    {label: "retry refused", lead: true},
	"paused":           {label: "paused"},
	"unpaused":         {label: "unpaused"},
	"dismissed":        {label: "dismissed"},
	"auto":             {label: "auto-resume"},
	"warning":          {label: "warning"},
	"dry_run":          {label: "dry run"},
	"type_failed":      {label: "typing failed", lead: true},
	"enter_failed":     {label: "Enter failed"},
	"escape_failed":    {label: "Escape failed"},
	"escape_dialog":    {label: "pressed Escape"},
	"check_failed":     {label: "check failed"},
	"tmux_timeout":     {label: "tmux too slow"},
	"human_input":      {label: "you typed", lead: true},
	"staggered":        {label: "staggered"},
	"restored":         {label: "restored"},
	"recovered":        {label: "recovered"},
	"state_failed":     {label: "state file"},
	"reopen":           {label: "reopen"},
	"reopened":         {label: "reopened", lead: true},
	"reopen_failed":    {label: "reopen failed"},
	"reopen_refused":   {label: "reopen refused", lead: true},
	"continued":        {label: "continued"},
	"finished":         {label: "finished"},
	"pending_leftover": {label: "leftover text"},
}

// screenWords says what a screen the guards saw means; the engine names
// them in "skipped:<screen>" actions and in some reasons.
var screenWords = map[string]string{
	"user_typing":  "someone is typing in the input line",
	"dialog":       "a dialog is open",
	"usage_dialog": "the usage-limit dialog is open",
	"auto_wait":    "the client is counting down to continue by itself",
	"busy":         "Claude is working",
	"vim_normal":   "the input line is in vim NORMAL mode",
	"no_stall":     "the error is not the last message on screen",
	"unknown":      "the pane does not look like a Claude Code prompt",
	"ready":        "ready",
}

// EventLabel is the words for an action name ("retry_refused" → "retry
// refused", "skipped:no_stall" → "not typed"). Text that is no action name
// (a log line's own message, "ccwake started") is returned as it is.
func EventLabel(what string) string {
	base, _, _ := strings.Cut(what, ":")
	if w, ok := eventWords[base]; ok {
		return w.label
	}
	if strings.ContainsAny(what, " ") {
		return what
	}
	return strings.NewReplacer("_", " ", ":", ": ").Replace(what)
}

// EventLabels is every label EventLabel gives a known action, for readers
// of the screen (tests) that must tell "retry" from "retry refused".
func EventLabels() []string {
	out := make([]string, 0, len(eventWords))
	for _, w := range eventWords {
		out = append(out, w.label)
	}
	return out
}

// EventReason is an action's reason for people: internal screen names in
// it become words ("user_typing: draft" → "someone is typing in the input
// line: draft"), and a "skipped:<screen>" without a reason says what the
// screen was.
func EventReason(what, reason string) string {
	reason = oneLine(reason)
	if reason == "" {
		if _, screen, ok := strings.Cut(what, ":"); ok {
			return screenText(screen)
		}
		return ""
	}
	return screenTokenRE.ReplaceAllStringFunc(reason, func(tok string) string { return screenWords[tok] })
}

// screenTokenRE finds the screen names that contain an underscore: the
// others ("dialog", "busy") are English already.
var screenTokenRE = func() *regexp.Regexp {
	var names []string
	for k := range screenWords {
		if strings.Contains(k, "_") {
			names = append(names, regexp.QuoteMeta(k))
		}
	}
	return regexp.MustCompile(`\b(?:` + strings.Join(names, "|") + `)\b`)
}()

// screenText is a screen's words, or its name made readable.
func screenText(screen string) string {
	if w, ok := screenWords[screen]; ok {
		return w
	}
	return strings.ReplaceAll(screen, "_", " ")
}

// eventSentence is one action as the LAST EVENT column says it: the most
// useful words first.
func eventSentence(a resume.Action) string {
	label, reason := EventLabel(a.What), EventReason(a.What, a.Reason)
	base, _, _ := strings.Cut(a.What, ":")
	w, known := eventWords[base]
	switch {
	case reason == "":
		return label
	case known && !w.lead:
		return reason
	}
	return label + ": " + reason
}

// eventMatches reports whether an action passes the "/" filter: its words,
// its pane, or a session the filter lets through (ids).
func eventMatches(a resume.Action, filter string, ids map[string]bool) bool {
	if filter == "" || ids[a.SessionID] {
		return true
	}
	f := strings.ToLower(filter)
	for _, s := range []string{EventLabel(a.What), EventReason(a.What, a.Reason), a.Pane, a.SessionID} {
		if strings.Contains(strings.ToLower(s), f) {
			return true
		}
	}
	return false
}
