package logfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The log file rotates past its size: the newest lines stay in the file,
// older ones move to .1, .2, … and no more than keep old files remain.
func TestRotatingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ccwake", "ccwake.log")
	r, err := openRotating(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 39) + "\n" // 40 bytes: two fit in 100, a third does not
	for i := 0; i < 9; i++ {
		if _, err := fmt.Fprintf(r, "%d%s", i, line[1:]); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			return "missing"
		}
		var firsts []string
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			firsts = append(firsts, l[:1])
		}
		return strings.Join(firsts, "")
	}
	got := []string{read(path), read(path + ".1"), read(path + ".2"), read(path + ".3")}
	// 100 bytes hold two 40-byte lines: 0 1 | 2 3 | 4 5 | 6 7 | 8.
	want := []string{"8", "67", "45", "missing"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("files hold %v, want %v", got, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("log file mode: %v %v", fi, err)
	}

	// A second writer on the same file (a second ccwake) that finds it
	// rotated by the first reopens it instead of rotating again.
	a, _ := openRotating(path, 100, 2)
	b, _ := openRotating(path, 100, 2)
	fmt.Fprint(a, line, line) // a rotates: "8" goes to .1
	fmt.Fprint(b, line)       // b's file was rotated away: it reopens the new one
	a.Close()
	b.Close()
	if got := read(path + ".1"); !strings.HasPrefix(got, "8") {
		t.Fatalf(".1 = %q: the second writer rotated again", got)
	}
}
