package doctor

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch"
)

// Run is testable without the binary: the streams, environment and clock
// come in the options. No backend known is a failure, and so is a record
// that has no place; both are said, and Run answers ErrProblems.
func TestRunWithoutBinary(t *testing.T) {
	home := t.TempDir()
	root := filepath.Join(home, ".claude")
	if err := os.MkdirAll(filepath.Join(root, "projects"), 0o700); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := Run(context.Background(), Options{
		Stdout: &out, Getenv: func(k string) string { return map[string]string{"HOME": home}[k] },
		Now:     func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		Version: "ccwake test", Config: filepath.Join(home, ".config", "ccwake", "config.toml"),
		Roots: []string{root}, Since: time.Hour, Watch: watch.Poll,
		Record:  func(string) (string, error) { return "", errors.New("no place for it") },
		LogFile: filepath.Join(home, "log", "ccwake.log"),
	})
	if !errors.Is(err, ErrProblems) {
		t.Fatalf("Run: %v, want ErrProblems\n%s", err, out.String())
	}
	for _, want := range []string{
		"ok    ccwake test\n",
		"ok    config: no ~/.config/ccwake/config.toml",
		"ok    watch: poll",
		"FAIL  terminal backends: none of  is in $PATH",
		"FAIL  record ~/.claude: no place for it",
		"problem(s)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("doctor says:\n%s\nwant %q in it", out.String(), want)
		}
	}
}
