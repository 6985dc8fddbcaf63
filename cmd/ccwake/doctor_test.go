package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/resume"
)

// `ccwake doctor` against a real tmux server on a private socket, a root
// with transcripts of two Claude Code versions, sessions files of a live and
// a dead process, and the lock held by this test: every line is ok, warn or
// FAIL and says what it found; a broken setup exits 1.
func TestDoctor(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("real tmux server: skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.330-oauth-5h.jsonl", "v2.1.330-key-ok.jsonl", "v2.1.145-key-429.jsonl")

	// A private tmux server with one pane, killed by its socket.
	base, err := os.MkdirTemp("", "ccwdoc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	sock := filepath.Join(base, "sock")
	tmux := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("tmux", append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("tmux %q: %v\n%s", args, err, out)
		}
	}
	tmux("new-session", "-d", "-s", "doc", "sleep", "600")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })

	// Sessions files: this test's process (alive, with a tmux field) and one
	// of a process that has exited.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	sessions := filepath.Join(root, "sessions")
	if err := os.MkdirAll(sessions, 0o755); err != nil {
		t.Fatal(err)
	}
	for pid, tmuxField := range map[int]string{os.Getpid(): "doc:@0.%0", dead.ProcessState.Pid(): ""} {
		body := fmt.Sprintf(`{"pid":%d,"sessionId":"s%d","cwd":"/tmp","procStart":"1","version":"2.1.330","kind":"interactive","tmux":%q}`, pid, pid, tmuxField)
		if err := os.WriteFile(filepath.Join(sessions, strconv.Itoa(pid)+".json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The lock, held by this process: a flock on the root itself, whatever
	// either process's $XDG_RUNTIME_DIR.
	release, _, err := resume.AcquireLock(root)
	if err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(e.dir, "ccwake.log")
	r := e.run(nil, "doctor", "--claude-dir", root, "--tmux-socket", sock, "--log-file", logFile)
	if r.code != 0 {
		t.Fatalf("doctor: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	checkDoctorLines(t, r.stdout)
	for _, want := range []string{
		"ok    tmux: ",
		"; server on " + sock + ": 1 pane(s)",
		"ok    inotify: max_user_watches ",
		"ok    root " + root + ": 3 transcript(s) in the last 7d; Claude Code 2.1.330 (2), 2.1.145 (1)",
		"ok    sessions " + sessions + ": 2 file(s), 1 of a live process, 1 naming their tmux pane",
		fmt.Sprintf("ok    lock for %s: held by pid %d", root, os.Getpid()),
		"ok    log file " + logFile + ": will be created",
		"ready",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, r.stdout)
		}
	}
	release()

	// No server on the socket, the log file off, the lock free: warnings.
	r = e.run(nil, "doctor", "--claude-dir", root, "--tmux-socket", e.sock, "--log-file", "off", "--backends", "tmux")
	checkDoctorLines(t, r.stdout)
	for _, want := range []string{
		"warn  tmux: ",
		"; no server running on " + e.sock + ": run claude inside tmux",
		"ok    lock for " + root + ": free",
		"warn  log file: off: what ccwake types is kept nowhere",
		"ready, 2 warning(s)",
	} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("exit %d, output lacks %q:\n%s", r.code, want, r.stdout)
		}
	}

	// The default log file, in directories ccwake will create.
	r = e.run(nil, "doctor", "--claude-dir", root, "--tmux-socket", sock)
	if want := "ok    log file ~/.local/state/ccwake/ccwake.log: will be created"; !strings.Contains(r.stdout, want) {
		t.Errorf("output lacks %q:\n%s", want, r.stdout)
	}

	// A wrong root and a log file under a regular file: FAIL, exit 1.
	notDir := filepath.Join(e.dir, "plain")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r = e.run(nil, "doctor", "--claude-dir", filepath.Join(root, "projects"), "--tmux-socket", sock, "--log-file", filepath.Join(notDir, "x.log"))
	checkDoctorLines(t, r.stdout)
	for _, want := range []string{
		"FAIL  claude root " + filepath.Join(root, "projects") + " is the projects directory itself: use --claude-dir " + root,
		"FAIL  log file " + filepath.Join(notDir, "x.log") + ": cannot use it: not a directory",
		"2 problem(s)",
	} {
		if r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Errorf("exit %d, output lacks %q:\n%s", r.code, want, r.stdout)
		}
	}
}

// checkDoctorLines: every line but the summary is "ok", "warn" or "FAIL".
func checkDoctorLines(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	mark := regexp.MustCompile(`^(ok  |warn|FAIL)  \S`)
	for _, l := range lines[:len(lines)-1] {
		if !mark.MatchString(l) {
			t.Errorf("line without a mark: %q", l)
		}
	}
}
