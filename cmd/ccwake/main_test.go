package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume/statefile"
)

// The tests share one build of each program they run per test process: a
// link (with -race above all) costs seconds of CPU, and a dozen tests need
// each. Every build has its own directory under dir and keeps the name it
// runs by (ccwake, claude): tests find the processes by comm. dir and the
// build directories are 0755: TestCLIUnreadableRoot runs ccwake as nobody.
var builds = struct {
	sync.Mutex
	dir  string
	bins map[string]*build // by name, package and flags
}{bins: map[string]*build{}}

// build is one shared binary; its mutex is held while it is linked, so
// tests wanting another one are not held up.
type build struct {
	sync.Mutex
	path string
	done bool
}

// sharedBuild returns pkg built with flags as <its dir>/name, building it
// on first use. A failed build fails the test, and the next test that
// needs it tries again and fails the same way.
func sharedBuild(t *testing.T, name, pkg string, flags ...string) string {
	t.Helper()
	b := buildOf(t, name, pkg, flags)
	b.Lock()
	defer b.Unlock()
	if !b.done {
		goBuildFlags(t, b.path, pkg, flags...)
		b.done = true
	}
	return b.path
}

// buildOf is the entry of one build, its directory made.
func buildOf(t *testing.T, name, pkg string, flags []string) *build {
	t.Helper()
	builds.Lock()
	defer builds.Unlock()
	key := strings.Join(append([]string{name, pkg}, flags...), "\x00")
	if b, ok := builds.bins[key]; ok {
		return b
	}
	if builds.dir == "" {
		dir, err := os.MkdirTemp("", "ccwbin")
		if err != nil {
			t.Fatal(err)
		}
		builds.dir = dir
	}
	dir := filepath.Join(builds.dir, strconv.Itoa(len(builds.bins)))
	for _, d := range []string{builds.dir, dir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil { // MkdirTemp makes 0700; a umask may take bits
			t.Fatal(err)
		}
	}
	b := &build{path: filepath.Join(dir, name)}
	builds.bins[key] = b
	return b
}

// goBuildFlags builds pkg into out with extra go build flags.
func goBuildFlags(t *testing.T, out, pkg string, flags ...string) {
	t.Helper()
	args := append(append([]string{"build", "-o", out}, flags...), pkg)
	if b, err := exec.Command(goCmd(), args...).CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
}

// goCmd is the go command of the toolchain running the tests.
func goCmd() string {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		return "go"
	}
	return goBin
}

// sharedBinary returns the ccwake binary built with flags, building it once.
func sharedBinary(t *testing.T, flags ...string) string {
	t.Helper()
	return sharedBuild(t, "ccwake", ".", flags...)
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

// sharedFakeClaude is testdata/fakeclaude built once, named claude so its
// comm is "claude" like the native client's.
func sharedFakeClaude(t *testing.T) string {
	t.Helper()
	return sharedBuild(t, "claude", filepath.Join(testkit.ModuleRoot(t), "testdata", "fakeclaude"))
}

func TestMain(m *testing.M) {
	flag.Parse()
	raiseParallel()
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
