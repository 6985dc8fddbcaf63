package main

import (
	"os"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/statefile"
)

// sharedBinary returns the ccwake binary built with flags (default
// -buildvcs=auto: stamped with the commit where it can be, which
// TestVersion reads), without the race detector, once per test process
// (testkit.Binary). The CLI tests run it dozens of times, and a race-built
// binary starts slower; the tests that run ccwake as a service use
// raceBinary. TestCLIUnreadableRoot runs it as nobody: its directories are
// world-readable.
func sharedBinary(t *testing.T, flags ...string) string {
	t.Helper()
	if len(flags) == 0 {
		flags = []string{"-buildvcs=auto"}
	}
	return testkit.Binary(t, "ccwake", ".", append(flags, "-race=false")...)
}

// raceBinary is the ccwake binary built as this test binary was: with the
// race detector under go test -race, so that the races of a ccwake that
// runs, watches and types fail the test too.
func raceBinary(t *testing.T) string {
	t.Helper()
	return testkit.Binary(t, "ccwake", ".")
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
