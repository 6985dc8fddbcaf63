package classify

import (
	"fmt"
	"strings"
	"time"
)

// boundSlack is how far past the error time plus the cap's window a reset
// may lie before it is called impossible: clock skew between the client and
// the API, and the minute the text rounds away.
const boundSlack = 5 * time.Minute

// window is how long a cap of limit l lasts at most, so its reset can lie
// at most that long after any error it causes; 0 when the window is
// unknown (unnamed caps, extra usage, spend caps).
func window(l Limit) time.Duration {
	switch l {
	case FiveHour:
		return 5 * time.Hour
	case SevenDay, SevenDayOpus, SevenDaySonnet:
		return 7 * 24 * time.Hour
	}
	return 0
}

// bound corrects a reset read from text that lies further after the error
// (at) than the cap's window allows. Such a reset is impossible; it means
// the time was read in the wrong zone: the client printed it in a zone other
// than loc (a zone-less time is the client machine's local time, and ccwake
// reads it in its own, which is right only when both share a TZ).
//
// The first interpretation that fits wins: the same text read in UTC (the
// usual other zone: containers, CI, TZ unset), else the stated wall time
// shifted back by whole hours (zones differ by whole hours almost
// everywhere) to the latest moment inside the window, else the end of the
// window itself. A reset with an explicit zone is only ever clamped. note
// says what was done and why; "" when the reset is plausible.
func bound(reset time.Time, zoned bool, text string, l Limit, at time.Time, loc *time.Location) (time.Time, string) {
	w := window(l)
	if w == 0 || at.IsZero() {
		return reset, ""
	}
	limit := at.Add(w + boundSlack)
	if !reset.After(limit) {
		return reset, ""
	}
	// The note is read by humans: times in loc, with the zone, since the
	// note is about zones.
	show := func(t time.Time) string {
		if loc != nil {
			t = t.In(loc)
		}
		return t.Format("Jan 2 15:04:05 MST")
	}
	why := fmt.Sprintf("the stated reset %s is %s after the error, more than a %s cap allows (%s)",
		show(reset), roundDur(reset.Sub(at)), l, roundDur(w))
	if zoned {
		end := at.Add(w)
		return end, why + "; waiting until the window ends at " + show(end)
	}
	fits := func(c time.Time) bool { return c.After(at.Add(-time.Minute)) && !c.After(limit) }
	if loc != time.UTC {
		if c, _, ok := parseResetZone(text, at, time.UTC); ok && fits(c) {
			return c, why + fmt.Sprintf("; the client printed it in another zone: read in UTC as %s", show(c))
		}
	}
	for k := 1; k <= 26; k++ {
		if c := reset.Add(-time.Duration(k) * time.Hour); fits(c) {
			return c, why + fmt.Sprintf("; the client printed it in another zone: read %dh earlier, as %s", k, show(c))
		}
	}
	end := at.Add(w)
	return end, why + "; waiting until the window ends at " + show(end)
}

// roundDur prints a duration to the minute ("23h10m").
func roundDur(d time.Duration) string {
	s := d.Round(time.Minute).String()
	return strings.TrimSuffix(s, "0s")
}

// joinNotes joins two notes with "; ", skipping empty ones.
func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
