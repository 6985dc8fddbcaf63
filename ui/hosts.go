package ui

import (
	"strings"

	"github.com/ccwake/ccwake/resume"
)

// hostsLine is the header line of the other machines (ccwake --host): each
// host's connection, and for one that is not up, why and when it tries
// again. Warn-coloured unless every host is up.
func hostsLine(snap resume.Snapshot, s Styles, width int) (string, bool) {
	if len(snap.Hosts) == 0 {
		return "", false
	}
	parts := make([]string, 0, len(snap.Hosts))
	allUp := true
	for _, h := range snap.Hosts {
		p := h.Name + " " + h.State
		if h.State != "up" {
			allUp = false
			if h.Detail != "" {
				p += ": " + oneLine(h.Detail)
			}
			if !h.RetryAt.IsZero() {
				p += " (next try " + h.RetryAt.Local().Format("15:04:05") + ")"
			}
		}
		parts = append(parts, p)
	}
	line := cut("hosts: "+strings.Join(parts, " · "), width)
	if allUp {
		return s.Faint.Render(line), true
	}
	return s.Warn.Render(line), true
}

// anyHost reports whether some row runs on another machine: the HOST
// column shows only then.
func anyHost(rows []row) bool {
	for _, r := range rows {
		if r.st.Host != "" {
			return true
		}
	}
	return false
}
