package e2e

import (
	"strings"
	"time"
)

// The outcomes a run must reach, one function per kind of scenario.

// expectCcwakeResumes: ccwake types continue once, after the right wait, and
// the client answers.
func (r *run) expectCcwakeResumes(started time.Time) {
	t := r.t
	timeout := 90 * time.Second
	if r.script.fail == failUsageCap {
		timeout += time.Until(r.script.resetAt)
	}
	var tr transcript
	waitFor(t, timeout, "ccwake's continue and the mock's reply in the transcript", r.dump, func() bool {
		tr, _ = readTranscripts(r.root)
		if n := tr.errors(); n > 1 {
			t.Fatalf("a second API error: ccwake typed before the API would answer (the mock fails once, or until the reset at %s)\n%s",
				r.script.resetAt.Format("15:04:05"), r.dump())
		}
		i := tr.firstError()
		return i >= 0 && len(tr.after(i, typedContinue(message))) > 0 && len(tr.after(i, mockAnswer)) > 0
	})
	waitFor(t, 30*time.Second, "ccwake to log confirmed", r.dump, func() bool {
		_, ok := findLog(logLines(r.watch.out.String()), "confirmed")
		return ok
	})
	i := tr.firstError()
	typed := tr.after(i, typedContinue(message))
	reply := tr.after(i, mockAnswer)
	if len(typed) != 1 {
		t.Errorf("want exactly one %q after the stall, got %d\n%s", message, len(typed), r.dump())
	}
	if !reply[0].Time.After(typed[0].Time) {
		t.Errorf("the reply (%s) does not follow the typed continue (%s)", reply[0].Time, typed[0].Time)
	}
	if n := tr.errors(); n != 1 {
		t.Errorf("want 1 API error in the transcript (ccwake typed too early or twice?), got %d\n%s", n, r.dump())
	}
	if r.script.fail == failUsageCap && typed[0].Time.Before(r.script.resetAt) {
		t.Errorf("continue typed at %s, before the usage cap reset at %s", typed[0].Time, r.script.resetAt)
	}
	logs := logLines(r.watch.out.String())
	tl, ok := findLog(logs, "typed")
	if !ok {
		t.Errorf("ccwake did not log typed\n%s", r.dump())
	}
	cl, _ := findLog(logs, "confirmed")
	if tl.Pane != "" && tl.Pane != "tmux:"+r.paneID() {
		t.Errorf("ccwake typed into pane %s, the client runs in %s", tl.Pane, r.paneID())
	}
	t.Logf("ccwake started %s after the stall; typed %s after start (%s), continue in transcript at %s, reply at %s, confirmed at %s",
		started.Sub(tr[i].Time).Round(time.Millisecond), tl.Time.Sub(started).Round(time.Millisecond), tl.Reason,
		typed[0].Time.Format("15:04:05.000"), reply[0].Time.Format("15:04:05.000"), cl.Time.Format("15:04:05.000"))
	if r.script.fail == failUsageCap {
		t.Logf("usage cap reset at %s; continue %s after it", r.script.resetAt.Format("15:04:05.000"),
			typed[0].Time.Sub(r.script.resetAt).Round(time.Millisecond))
	}
	r.logActions()
}

// expectClientResumes: the client (2.1.330+) said it continues by itself
// after the reset. Either it does, and ccwake leaves it alone, or ccwake
// steps in once reset + margin passed without a resume (its documented
// choice); never both, never before the reset.
func (r *run) expectClientResumes(started time.Time) {
	t := r.t
	// 2.1.330 fired 100 s after the reset in one run and not within 5 min
	// (ccwake had resumed it) in another: its own jitter.
	timeout := time.Until(r.script.resetAt) + 6*time.Minute
	var tr transcript
	waitFor(t, timeout, "the stall to end (the client's own continuation or ccwake's continue) and the mock's reply", r.dump, func() bool {
		tr, _ = readTranscripts(r.root)
		if n := tr.errors(); n > 1 {
			t.Fatalf("a second API error: something resumed before the reset at %s\n%s", r.script.resetAt.Format("15:04:05"), r.dump())
		}
		i := tr.firstError()
		return i >= 0 && len(tr.after(i, autoContinuation))+len(tr.after(i, typedContinue(message))) > 0 &&
			len(tr.after(i, mockAnswer)) > 0
	})
	i := tr.firstError()
	auto, typed := tr.after(i, autoContinuation), tr.after(i, typedContinue(message))
	if len(auto)+len(typed) != 1 {
		t.Errorf("the stall was resumed %d times (client %d, typed %d), want once\n%s", len(auto)+len(typed), len(auto), len(typed), r.dump())
	}
	_, loggedTyped := findLog(logLines(r.watch.out.String()), "typed")
	switch {
	case len(typed) > 0:
		if !loggedTyped {
			t.Errorf("a %q appeared that ccwake did not log\n%s", message, r.dump())
		}
		if earliest := r.script.resetAt.Add(resetMargin).Truncate(time.Second); typed[0].Time.Before(earliest) {
			t.Errorf("ccwake typed at %s, before reset + margin (%s) while the client was waiting by itself", typed[0].Time, earliest)
		}
		t.Logf("ccwake stepped in at %s (%s after the reset at %s) before the client's own continuation",
			typed[0].Time.Format("15:04:05.000"), typed[0].Time.Sub(r.script.resetAt).Round(time.Millisecond), r.script.resetAt.Format("15:04:05.000"))
	case len(auto) > 0:
		if loggedTyped {
			t.Errorf("ccwake logged typed although the client resumed by itself\n%s", r.dump())
		}
		t.Logf("client resumed by itself at %s (%s after the reset at %s)", auto[0].Time.Format("15:04:05.000"),
			auto[0].Time.Sub(r.script.resetAt).Round(time.Millisecond), r.script.resetAt.Format("15:04:05.000"))
	}
	r.logActions()
}

// expectRefusal: with a human at the prompt ccwake looks, refuses, and
// types nothing; the human's state is untouched.
func (r *run) expectRefusal() {
	t := r.t
	var refusal logLine
	waitFor(t, 60*time.Second, "ccwake to refuse", r.dump, func() bool {
		for _, l := range logLines(r.watch.out.String()) {
			if l.Msg == "typed" {
				t.Fatalf("ccwake typed with a human at the prompt\n%s", r.dump())
			}
			if strings.HasPrefix(l.Msg, "skipped") && l.Pane != "" {
				refusal = l
				return true
			}
		}
		return false
	})
	t.Logf("ccwake refused: %s: %s", refusal.Msg, refusal.Reason)
	tr, err := readTranscripts(r.root)
	if err != nil {
		t.Fatal(err)
	}
	if typed := tr.after(tr.firstError(), typedContinue(message)); len(typed) > 0 {
		t.Errorf("a %q reached the transcript with a human at the prompt\n%s", message, r.dump())
	}
	switch r.sc.human {
	case humanDraft:
		if got := inputLine(r.tmux.capture()); got != draftText {
			t.Errorf("the human's draft changed: %q, want %q\n%s", got, draftText, r.dump())
		}
	case humanCopyMode:
		if !r.paneFlag("pane_in_mode") {
			t.Errorf("the pane left copy mode by itself\n%s", r.dump())
		}
	}
}

// paneFlag reads a boolean pane format variable such as pane_in_mode.
func (r *run) paneFlag(name string) bool {
	out, err := r.tmux.tmux("display-message", "-p", "-t", "cc", "#{"+name+"}")
	return err == nil && strings.TrimSpace(out) == "1"
}

// logActions writes ccwake's log into the test output, for the report.
func (r *run) logActions() {
	for _, l := range logLines(r.watch.out.String()) {
		r.t.Logf("ccwake: %s %s %s pane=%s kind=%s: %s", l.Time.Format("15:04:05.000"), l.Level, l.Msg, l.Pane, l.Kind, l.Reason)
	}
}
