package notify

import "time"

// desktopTimeout is how long a desktop notification stays up (ms for D-Bus);
// what needs a human stays until dismissed.
const desktopTimeout = 30 * time.Second

// urgent reports whether k needs a human now: critical urgency on the
// desktop, the terminal bell in the dashboard.
func urgent(k Kind) bool {
	switch k {
	case Fatal, GaveUp, Blocked, Unconfirmed, Summary:
		return true
	}
	return false
}

// Rings reports whether the dashboard rings the terminal bell for k: the
// kinds where ccwake cannot go on alone.
func Rings(k Kind) bool { return urgent(k) }
