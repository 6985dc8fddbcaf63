package testkit

import (
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// FakeClaude builds testdata/fakeclaude as <tmp>/claude, so its comm is
// "claude" like the native client's, and returns its path. It is linked once
// per test process, however many parallel tests ask (a link costs a second
// of CPU on a busy 2-core machine); Main removes it when the tests end.
func FakeClaude(t testing.TB) string {
	t.Helper()
	// Without the race detector: it stands in for Claude Code, whose races
	// are not ours, and a race-built fake starts and draws slower.
	return Binary(t, "claude", filepath.Join(ModuleRoot(t), "testdata", "fakeclaude"), "-race=false")
}

// built are the binaries this test process linked, by name, package and
// flags: shared by its tests, removed by Main.
var built = struct {
	sync.Mutex
	dir  string
	bins map[string]*binary
}{bins: map[string]*binary{}}

// binary is one shared build; its mutex is held while it links, so a test
// that wants another binary is not held up.
type binary struct {
	sync.Mutex
	path string
	done bool
}

// Binary builds the package in dir (an absolute or ./-relative path) with
// the go build flags (-ldflags=…; -race is added when the test binary has
// it) into <tmp>/<n>/<name> once per
// test process, and returns its path: the tests of one package that ask for
// the same build get the same file, which keeps the name it runs by (tests
// find processes by comm). Its directories are world-readable, so a test
// may run it as another user. A failed build fails each test that asks.
func Binary(t testing.TB, name, dir string, flags ...string) string {
	t.Helper()
	if Race() && !slices.ContainsFunc(flags, func(f string) bool { return strings.HasPrefix(f, "-race") }) {
		// Built as the test binary was: a race in the program fails the
		// test too, and on a cold cache the program reuses the packages
		// go test -race just compiled instead of compiling them all again.
		flags = append(slices.Clone(flags), "-race")
	}
	b := binaryOf(t, name, dir, flags)
	b.Lock()
	defer b.Unlock()
	if !b.done {
		GoBuild(t, b.path, dir, flags...)
		b.done = true
	}
	return b.path
}

// binaryOf is the entry of one build, its directory made.
func binaryOf(t testing.TB, name, dir string, flags []string) *binary {
	t.Helper()
	built.Lock()
	defer built.Unlock()
	key := strings.Join(append([]string{name, dir}, flags...), "\x00")
	if b, ok := built.bins[key]; ok {
		return b
	}
	if built.dir == "" {
		d, err := os.MkdirTemp("", "ccwkit")
		if err != nil {
			t.Fatal(err)
		}
		built.dir = d
	}
	sub := filepath.Join(built.dir, strconv.Itoa(len(built.bins)))
	for _, d := range []string{built.dir, sub} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil { // MkdirTemp makes 0700; a umask may take bits
			t.Fatal(err)
		}
	}
	b := &binary{path: filepath.Join(sub, name)}
	built.bins[key] = b
	return b
}

// Main runs the tests of a package that uses Binary or FakeClaude and then
// removes what they built: call it from the package's TestMain. Unless
// -parallel is given, it lets 4×GOMAXPROCS parallel tests run at once
// instead of go test's GOMAXPROCS (2 on a small machine): the integration
// tests spend their time waiting on real programs (tmux, sshd, a confirm
// timeout), not on the CPU, and each has its own sockets, dirs and root.
func Main(m *testing.M) int {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(4*runtime.GOMAXPROCS(0)))
	}
	code := m.Run()
	built.Lock()
	defer built.Unlock()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
		built.dir, built.bins = "", map[string]*binary{}
	}
	return code
}

// GoBuild builds the package in dir (an absolute or ./-relative path) into
// out with the go build flags, by the go command of the toolchain running
// the tests.
func GoBuild(t testing.TB, out, dir string, flags ...string) {
	t.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	args := append(append([]string{"build", "-o", out}, flags...), dir)
	if b, err := exec.Command(goBin, args...).CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
}

// ModuleRoot is the directory of ccwake's go.mod, found upwards from the
// test's working directory (its package's directory).
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", dir)
		}
	}
}

// NewUUID is a random session id in the uuid shape Claude Code uses.
func NewUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// ClaudeOpts are one fake Claude run: where it lives and what it answers.
type ClaudeOpts struct {
	Root string // its Claude root (CLAUDE_CONFIG_DIR); required
	Cwd  string // its working directory (made); required
	ID   string // session id (default a new uuid)
	// Transcript is the JSONL it writes (default <Root>/projects/p/<ID>.jsonl).
	Transcript string
	Script     string // -script (default "429,ok")
	First      string // -first (default "say hi")
	// SessionFile writes <Root>/sessions/<pid>.json; TmuxField gives it
	// the tmux field ("auto" asks tmux, "" none).
	SessionFile bool
	TmuxField   string
	// ChdirFlag passes -cwd Cwd (the fake chdirs itself) besides starting
	// it there.
	ChdirFlag bool
	Width     int      // -width (0: the fake's default)
	Next      string   // -next file (World.Claude sets it)
	Env       []string // added after CLAUDE_CONFIG_DIR=<Root>; a later one wins
	Extra     []string // more of the fake's flags (-dialog, -hint, …)
}

// Claude is one fake Claude Code session running in a terminal.
type Claude struct {
	ID, Cwd, Root, Transcript string
	// Pane is its pane: a tmux pane id (%3), or a qualified id
	// (screen:<session>/0, kitty:<window>).
	Pane string
}

// withDefaults fills in o's defaults and makes its directories.
func (o ClaudeOpts) withDefaults(t testing.TB) ClaudeOpts {
	t.Helper()
	if o.ID == "" {
		o.ID = NewUUID()
	}
	if o.Transcript == "" {
		o.Transcript = filepath.Join(o.Root, "projects", "p", o.ID+".jsonl")
	}
	if o.Script == "" {
		o.Script = "429,ok"
	}
	if o.First == "" {
		o.First = "say hi"
	}
	dirs := []string{filepath.Dir(o.Transcript), o.Cwd}
	if o.SessionFile {
		dirs = append(dirs, filepath.Join(o.Root, "sessions"))
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// argv is the command line that runs the fake bin under o (through env,
// so the fake's environment names its root like a real client's).
func (o ClaudeOpts) argv(bin string) []string {
	args := append([]string{"env", "CLAUDE_CONFIG_DIR=" + o.Root}, o.Env...)
	args = append(args, bin, "-transcript", o.Transcript, "-session-id", o.ID, "-script", o.Script, "-first", o.First)
	if o.ChdirFlag {
		args = append(args, "-cwd", o.Cwd)
	}
	if o.Width > 0 {
		args = append(args, "-width", fmt.Sprint(o.Width))
	}
	if o.SessionFile {
		args = append(args, "-sessions-dir", filepath.Join(o.Root, "sessions"))
		if o.TmuxField != "" {
			args = append(args, "-tmux-field", o.TmuxField)
		}
	}
	if o.Next != "" {
		args = append(args, "-next", o.Next)
	}
	return append(args, o.Extra...)
}

func (o ClaudeOpts) claude(pane string) Claude {
	return Claude{ID: o.ID, Cwd: o.Cwd, Root: o.Root, Transcript: o.Transcript, Pane: pane}
}

// InputBox reports whether a screen shows the fake's input box (idle, or
// a dialog that Esc cancels).
func InputBox(text string) bool {
	return strings.Contains(text, "(fake)") && (strings.Contains(text, "❯\u00a0") || strings.Contains(text, "Esc to cancel"))
}

// StartClaude runs the fake bin from a bash in a new window in o.Cwd (bash
// stays its parent, as with a human starting claude) and waits for its
// input box.
func (s *Tmux) StartClaude(bin string, o ClaudeOpts) Claude {
	s.t.Helper()
	o = o.withDefaults(s.t)
	pane := s.ShellPane(o.Cwd)
	s.TypeLine(pane, ShellQuote(o.argv(bin)))
	s.WaitScreen(pane, "the fake's input box", InputBox)
	return o.claude(pane)
}

// RunClaude runs the fake bin as the process of a new window in o.Cwd (no
// shell around it) and returns at once, without waiting for its screen.
func (s *Tmux) RunClaude(bin string, o ClaudeOpts) Claude {
	s.t.Helper()
	o = o.withDefaults(s.t)
	return o.claude(s.Window(o.Cwd, o.argv(bin)...))
}

// UserTexts lists the text of every main-thread user entry in a transcript
// (none when it does not exist yet).
func UserTexts(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, `"type":"user"`) {
			continue
		}
		i := strings.Index(line, `"content":"`)
		if i < 0 {
			continue
		}
		rest := line[i+len(`"content":"`):]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			out = append(out, rest[:j])
		}
	}
	return out
}

// Count is how many of list equal s.
func Count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

// Race reports whether this test binary was built with -race.
func Race() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, kv := range bi.Settings {
		if kv.Key == "-race" {
			return kv.Value == "true"
		}
	}
	return false
}
