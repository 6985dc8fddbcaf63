package testwait

import (
	"testing"
	"time"
)

// The deadline follows the test binary's: before it, by a bounded margin.
func TestDeadline(t *testing.T) {
	d := Deadline(t)
	if end, ok := t.Deadline(); ok {
		if !d.Before(end) || end.Sub(d) > 61*time.Second {
			t.Fatalf("deadline %v, test's %v", d, end)
		}
	} else if time.Until(d) < 24*time.Hour {
		t.Fatalf("no -timeout, yet the wait ends at %v", d)
	}
	n := 0
	Until(t, time.Millisecond, "three polls", func() bool { n++; return n == 3 }, nil)
	if n != 3 {
		t.Fatalf("polled %d times", n)
	}
}
