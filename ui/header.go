package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// headerData is what the header shows, gathered once per render.
type headerData struct {
	snap    resume.Snapshot
	home    string
	closed  bool // the engine stopped
	flash   string
	flashOK bool
	notify  []string // notification channels on
}

// headerView renders the lines above the table: title, auto-resume and the
// counts; what is watched; and warnings (another ccwake holds the lock, the
// engine stopped).
func headerView(h headerData, s Styles, width int) []string {
	snap := h.snap
	left := s.Title.Render("ccwake") + "  " + modeBadge(snap, s)
	right := countsText(snap)
	lines := []string{spread(left, right, width)}

	roots := make([]string, len(snap.Roots))
	for i, r := range snap.Roots {
		roots[i] = tildeHome(r, h.home)
	}
	where := "no Claude config root"
	if len(roots) > 0 {
		where = "watching " + strings.Join(roots, ", ")
	}
	lines = append(lines, s.Faint.Render(cut(fmt.Sprintf("%s · %s", where, plural(snap.Transcripts, "transcript"))+settingsNote(snap, h.notify), width)))

	if l, ok := hostsLine(snap, s, width); ok {
		lines = append(lines, l)
	}
	if snap.LockHeldBy != "" {
		lines = append(lines, s.Warn.Render(cut("⚠ another ccwake ("+snap.LockHeldBy+") holds the lock: this one only watches", width)))
	}
	if snap.StateProblem != "" {
		lines = append(lines, s.Err.Render(cut("✗ "+oneLine(snap.StateProblem), width)))
	}
	if h.closed {
		lines = append(lines, s.Err.Render(cut("✗ the resume engine stopped: nothing is resumed any more", width)))
	}
	if h.flash != "" {
		st := s.Warn
		if h.flashOK {
			st = s.Faint
		}
		lines = append(lines, st.Render(cut(oneLine(h.flash), width)))
	}
	return lines
}

// countsText is the header's right side: how many sessions need the user,
// wait for their countdown, are stalled but only shown, and were resumed
// today. Each count is one STATE label of the table (NEED YOU covers FATAL,
// UNCONF, GAVE UP and BLOCKED), so no count is part of another: "2 need
// you · 4 waiting" is six rows. A count of stalled-but-shown-only sessions
// appears only when there are some (auto-resume off, the lock held
// elsewhere).
func countsText(snap resume.Snapshot) string {
	need, waiting, shown := 0, 0, 0
	for _, st := range snap.Sessions {
		switch {
		case st.Phase == resume.Dismissed:
		case st.Phase.Info().Attention:
			need++
		case st.Phase == resume.Waiting || st.Phase == resume.Resuming:
			waiting++
		case st.Session.State == watch.Stalled && st.Label() == phaseLabel(resume.Watching):
			shown++
		}
	}
	out := fmt.Sprintf("%d need you · %d waiting", need, waiting)
	if shown > 0 {
		out += fmt.Sprintf(" · %d stalled", shown)
	}
	return out + fmt.Sprintf(" · %d resumed today", snap.ResumedDay)
}

// phaseLabel is a phase's STATE word.
func phaseLabel(p resume.Phase) string { return p.Info().Label }

// modeBadge says whether this ccwake types: WATCH ONLY when another
// instance holds the lock (it types, this one does not), AUTO OFF when
// auto-resume is off, DRY RUN when it only logs what it would type, else
// "auto-resume ON". The first that applies wins: each says it types nothing.
func modeBadge(snap resume.Snapshot, s Styles) string {
	switch {
	case snap.LockHeldBy != "":
		return s.Warn.Render("WATCH ONLY")
	case !snap.Auto:
		return s.Off.Render("AUTO OFF")
	case snap.DryRun:
		return s.Warn.Render("DRY RUN")
	}
	return "auto-resume " + s.On.Render("ON")
}

// spread puts left and right on one line of width cells; right goes when
// both do not fit, left is cut last.
func spread(left, right string, width int) string {
	gap := width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 2 {
		return cut(left, width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// plural is "1 transcript", "7 transcripts".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// settingsNote says, after what is watched, how sessions whose process is
// gone are reopened and where notifications go; nothing when neither is on.
func settingsNote(snap resume.Snapshot, notify []string) string {
	var out string
	switch {
	case snap.ReopenAuto:
		out += " · reopen ON (" + snap.ClaudeBin + ")"
	case snap.ReopenOn:
		out += " · reopen on R (" + snap.ClaudeBin + ")"
	}
	if len(notify) > 0 {
		out += " · notify " + strings.Join(notify, ", ")
	}
	return out
}
