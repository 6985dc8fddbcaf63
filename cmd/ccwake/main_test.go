package main

import (
	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/statefile"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The CLI tests share one build of the binary per set of build flags: a
// link takes seconds on a busy machine, and a dozen tests need it.
var builds = struct {
	sync.Mutex
	dir  string
	bins map[string]string
}{bins: map[string]string{}}

// sharedBinary returns the ccwake binary built with flags, building it once.
func sharedBinary(t *testing.T, flags ...string) string {
	t.Helper()
	builds.Lock()
	defer builds.Unlock()
	key := strings.Join(flags, "\x00")
	if bin, ok := builds.bins[key]; ok {
		return bin
	}
	if builds.dir == "" {
		dir, err := os.MkdirTemp("", "ccwbin")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o755); err != nil { // TestCLIUnreadableRoot runs it as nobody
			t.Fatal(err)
		}
		builds.dir = dir
	}
	bin := filepath.Join(builds.dir, "ccwake"+string(rune('a'+len(builds.bins))))
	goBuildFlags(t, bin, ".", flags...)
	builds.bins[key] = bin
	return bin
}

func TestMain(m *testing.M) {
	// The real ccwake keeps its record under the passwd home whatever the
	// test's HOME says: forget afterwards the records of this run's
	// temporary roots, so runs leave nothing behind.
	base, baseErr := statefile.UserBase(os.Getuid(), statefile.PasswdHome)
	before := testkit.Records(base)
	code := m.Run()
	if baseErr == nil {
		testkit.ForgetRecords(base, before)
	}
	if builds.dir != "" {
		_ = os.RemoveAll(builds.dir)
	}
	os.Exit(code)
}
