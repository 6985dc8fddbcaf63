package main

import (
	"fmt"
	"strings"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/durfmt"
)

// validate refuses settings that would make ccwake misbehave quietly: an
// empty or multi-line message, zero caps, no attempts, an unknown log
// format. Negative durations never get this far (durationValue refuses
// them). Each error names the setting and, when it did not come from the
// command line, where it was set.
func validate(cmd *command, o *options, st *settings, defined func(string) bool) error {
	bad := func(name, format string, a ...any) error {
		from := ""
		if s := st.source[name]; s != "" && s != "command line" {
			from = " (from " + s + ")"
		}
		return usagef(cmd.name, "--%s%s: %s", name, from, fmt.Sprintf(format, a...))
	}
	if defined("message") {
		if strings.TrimSpace(o.message) == "" {
			return bad("message", "must not be empty: it is what ccwake types into a stalled session")
		}
		for _, r := range o.message {
			if r < 0x20 || r == 0x7f {
				return bad("message", "must be one line of printable text (no newline, tab or control character)")
			}
		}
	}
	if defined("max-attempts") && o.maxAttempts < 1 {
		return bad("max-attempts", "%d: must be at least 1", o.maxAttempts)
	}
	for _, b := range []struct {
		name string
		b    backoff
	}{{"throttle", o.throttle}, {"rate-limit", o.rateLimit}, {"overloaded", o.overloaded}, {"server-error", o.serverError}} {
		if !defined(b.name + "-base") {
			continue
		}
		if b.b.base <= 0 {
			return bad(b.name+"-base", "must be more than 0s")
		}
		if b.b.cap <= 0 {
			return bad(b.name+"-cap", "must be more than 0s")
		}
		if b.b.base > b.b.cap {
			return bad(b.name+"-base", "%s is more than --%s-cap %s", durfmt.Format(b.b.base), b.name, durfmt.Format(b.b.cap))
		}
	}
	if defined("log-format") && o.logFormat != "text" && o.logFormat != "json" {
		return bad("log-format", "%q: want text or json", o.logFormat)
	}
	return nil
}
