// Package durfmt prints durations the way ccwake's flags read them back
// (7d, 1h30m), for --help, --print-config and doctor.
package durfmt

import (
	"strconv"
	"strings"
	"time"
)

// Format prints d the way it can be read back, in days when whole.
func Format(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	s := d.String() // 1h30m0s: drop the zero units at the end
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
