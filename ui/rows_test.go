package ui

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
)

// The busy fixture comes out in resume's one attention order (what needs a
// human first, then what happens next), without the working and the
// dismissed session.
func TestRowsOrder(t *testing.T) {
	rows := buildRows(busySnapshot(), rowCtx{now: testNow, loc: time.UTC, recent: defaultRecent})
	var got []string
	for _, r := range rows {
		got = append(got, r.cells[colState]+" "+r.cells[colSession])
	}
	want := []string{
		"FATAL " + shortID(idFatal),      // needs a human
		"GAVE UP " + shortID(idGaveUp),   // needs a human
		"BLOCKED " + shortID(idTyping),   // needs a human
		"WAITING " + shortID(idThrottle), // 0:23
		"WAITING " + shortID(idNoPane),   // 12:05
		"WAITING " + shortID(idUsage),    // tomorrow
		"PAUSED " + shortID(idPaused),
		"RESUMED " + shortID(idResumed),
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRowsResumingBeforeWaitingAndStalledShown(t *testing.T) {
	snap := busySnapshot()
	resuming := busyStatus(idThrottle)
	resuming.Session.ID, resuming.Phase = "aaaaaaaa-resuming", resume.Resuming
	watching := busyStatus(idThrottle)
	watching.Session.ID, watching.Phase = "bbbbbbbb-watching", resume.Watching
	watching.Reason = "auto-resume is off (a turns it on, r resumes this one)"
	snap.Sessions = append(snap.Sessions, watching, resuming)
	rows := buildRows(snap, rowCtx{now: testNow, loc: time.UTC, recent: defaultRecent})
	first := slices.IndexFunc(rows, func(r row) bool { return !r.st.Phase.Info().Attention })
	if first < 0 || rows[first].st.Phase != resume.Resuming || rows[first].cells[colWait] != "now" {
		t.Errorf("first row after those needing a human = %+v, want the resuming one showing now", rows[first].cells)
	}
	i := slices.IndexFunc(rows, func(r row) bool { return r.st.Session.ID == watching.Session.ID })
	if i < 0 || rows[i].cells[colState] != "STALLED" || rows[i].cells[colEvent] != watching.Reason || rows[i].cells[colWait] != "in 23s" {
		t.Errorf("watching row = %+v, want STALLED with its countdown and reason", rows[i].cells)
	}
}

func TestFilterMatches(t *testing.T) {
	tests := map[string]int{
		"":          8,
		"ccwake":    1, // project
		"SRC/":      5, // case-insensitive, cwd
		"7c41":      1, // session id
		"usage 7d":  1, // kind
		"fatal":     1, // state and kind of one row
		"nonesuch":  0,
		"/home/dev": 7, // full cwd: all but /srv/ml/trainer
	}
	for f, want := range tests {
		rows := buildRows(busySnapshot(), rowCtx{now: testNow, loc: time.UTC, recent: defaultRecent, filter: f})
		if len(rows) != want {
			t.Errorf("filter %q: %d rows, want %d", f, len(rows), want)
		}
	}
}

var colourSGR = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]`)

// NO_COLOR: not one colour sequence on screen, in any view; attributes
// (bold) may stay. With colour on, there are some.
func TestNoColor(t *testing.T) {
	for _, noColor := range []bool{true, false} {
		e := newFake(t, busySnapshot())
		opts := testOpts()
		opts.NoColor = noColor
		m := New(e, opts)
		m = step(t, m, snapshotMsg{snap: busySnapshot()})
		screens := []string{m.View().Content}
		m = step(t, m, enter)
		screens = append(screens, m.View().Content)
		m = step(t, m, press('?'))
		screens = append(screens, m.View().Content)
		for i, s := range screens {
			has := colourSGR.MatchString(s)
			if has == noColor {
				t.Errorf("NoColor=%v screen %d: colour sequences present=%v\n%q", noColor, i, has, s)
			}
		}
	}
}

// Issue 8 item 7: a usage cap that states no reset shows when it is probed
// next; within the hour it counts down like any wait.
func TestWaitCellUndatedCapProbe(t *testing.T) {
	st := busyStatus(idUsage)
	st.Session.ResetsAt = time.Time{}
	st.ResumeAt = testNow.Add(2 * time.Hour)
	c := rowCtx{now: testNow, loc: time.UTC, recent: defaultRecent}
	if got, _ := waitCell(st, c); got != "probe "+st.ResumeAt.Format("15:04") {
		t.Errorf("undated cap two hours away: %q", got)
	}
	st.ResumeAt = testNow.Add(15 * time.Minute)
	if got, _ := waitCell(st, c); got != "in 15m" {
		t.Errorf("undated cap 15 min away: %q", got)
	}
}
