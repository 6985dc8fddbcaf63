package main

import (
	"os"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/statefile"
)

// sharedBinary returns the ccwake binary built with flags, built once per
// test process (testkit.Binary), as this test binary was: with the race
// detector under go test -race, so that its races fail the test too. A
// link with -race costs seconds of CPU, and a dozen tests run it.
// TestCLIUnreadableRoot runs it as nobody: its directories are
// world-readable.
func sharedBinary(t *testing.T, flags ...string) string {
	t.Helper()
	if len(flags) == 0 {
		// Stamped with the commit where it can be (TestVersion reads it),
		// whatever GOFLAGS says, so one build serves every plain test.
		flags = []string{"-buildvcs=auto"}
	}
	return testkit.Binary(t, "ccwake", ".", flags...)
}

func TestMain(m *testing.M) {
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
