package doctor

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume/statefile"
)

// doctor's record line: ok for a sound record, warn for one recovered from
// its other copy, FAIL for one lost (stalls from before are left to a
// human) or unusable (nothing is typed).
func TestDoctorRecord(t *testing.T) {
	root := filepath.Join(t.TempDir(), ".claude")
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	rec, err := statefile.RootPath(t.TempDir(), root)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(rec), 0o700); err != nil {
		t.Fatal(err)
	}
	record := func(string) (string, error) { return rec, nil }
	check := func() string {
		var out bytes.Buffer
		d := &doctor{w: &out}
		d.checkRecord(root, record, nil)
		return out.String()
	}
	st, err := statefile.Open(rec, statefile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(d *statefile.Data) error {
		d.MarkTyped(statefile.Typed{File: "/a", UUID: "u", At: time.Now()})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		spoil func()
		want  []string
	}{
		{"sound", func() {}, []string{"ok  ", rec, "1 typed"}},
		{"one copy spoiled", func() { mustWrite(t, rec, "") }, []string{"warn", "recovered"}},
		{"both spoiled", func() { mustWrite(t, rec+statefile.BackupSuffix, "{") }, []string{"FAIL", "lost at", "check those sessions yourself"}},
		{"a directory in its place", func() { _ = os.Remove(rec); _ = os.Mkdir(rec, 0o700) }, []string{"FAIL", "nothing is typed"}},
	} {
		tc.spoil()
		got := check()
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: doctor says %q, want %q in it", tc.name, got, w)
			}
		}
	}
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
