package main

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/statefile"
)

// sharedBinary returns the ccwake binary built with flags, built once per
// test process (testkit.Binary): a link with -race costs seconds of CPU,
// and a dozen tests run it. TestCLIUnreadableRoot runs it as nobody: its
// directories are world-readable.
func sharedBinary(t *testing.T, flags ...string) string {
	t.Helper()
	return testkit.Binary(t, "ccwake", ".", flags...)
}

// raceBinary is the ccwake binary built as this test binary was: with the
// race detector under go test -race, so that its races fail the test too.
func raceBinary(t *testing.T) string {
	t.Helper()
	if raceBuild() {
		return sharedBinary(t, "-race")
	}
	return sharedBinary(t)
}

func TestMain(m *testing.M) {
	flag.Parse()
	raiseParallel()
	// The real ccwake keeps its record under the passwd home whatever the
	// test's HOME says: forget afterwards the records of this run's
	// temporary roots, so runs leave nothing behind.
	base, baseErr := statefile.UserBase(os.Getuid(), statefile.PasswdHome)
	before := testkit.Records(base)
	code := testkit.Main(m) // removes the shared binaries
	if baseErr == nil {
		testkit.ForgetRecords(base, before)
	}
	os.Exit(code)
}

// raiseParallel lets more tests run at once than go test's default of
// GOMAXPROCS (2 on a small machine) unless -parallel was given. Most tests
// here spend their time waiting on real processes — tmux, sshd, ccwake's
// own confirm timeout — not on the CPU, and each has its own temp dirs,
// tmux socket, $XDG_RUNTIME_DIR and Claude root (so its own lock and
// record), so they can wait side by side.
func raiseParallel() {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(4*runtime.GOMAXPROCS(0)))
	}
}
