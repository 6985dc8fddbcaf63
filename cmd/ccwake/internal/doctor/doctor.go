// Package doctor is `ccwake doctor`: one line per thing ccwake needs (a
// backend, the watcher, the roots, records, the log file, the service),
// each with what to do about a problem.
package doctor

import (
	"github.com/ccwake/ccwake/cmd/ccwake/internal/durfmt"

	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
	"github.com/tidwall/gjson"
)

// Options are what `ccwake doctor` checks, resolved by the command line:
// the streams, the environment and the clock are passed in, so the checks
// run in a test as they do in the binary.
type Options struct {
	Stdout io.Writer
	Getenv func(string) string
	Now    func() time.Time

	Version  string   // the first line: which ccwake this is
	Config   string   // the config file it reads; "" when none can be named
	Roots    []string // the Claude roots, resolved
	RootsErr error    // why the roots could not be resolved, if so
	Since    time.Duration
	Watch    watch.Backend

	Backends      string   // --backends as given; "" means each one installed
	KnownBackends []string // the backends ccwake can type into
	TmuxSocket    string
	ProbeTimeout  time.Duration // how long each backend program may take

	Record  func(root string) (string, error) // where root's record of what was typed is
	Legacy  []string                          // the record files of earlier versions
	LogFile string                            // "" when off
}

// ErrProblems is Run's answer when a check failed: the lines are printed,
// the exit status says it.
var ErrProblems = errors.New("doctor found problems")

// Run is `ccwake doctor`: checks what ccwake needs, says what to do about
// each problem, and returns ErrProblems when a check failed.
func Run(ctx context.Context, o Options) error {
	d := &doctor{w: o.Stdout, home: o.Getenv("HOME")}
	d.ok("%s", o.Version)
	d.checkConfig(o.Config)
	d.checkBackends(ctx, &o)
	if o.RootsErr != nil {
		d.fail("%v", o.RootsErr)
	}
	d.checkWatch(o.Watch, o.Roots)
	for _, root := range o.Roots {
		d.checkTranscripts(root, o.Since, o.Now())
		d.checkSessions(root)
		d.checkLock(root)
		d.checkRecord(root, o.Record, o.Legacy)
	}
	d.checkLogFile(o.LogFile)
	d.checkService(ctx, &o)
	switch {
	case d.failures > 0:
		fmt.Fprintf(o.Stdout, "%d problem(s), %d warning(s)\n", d.failures, d.warnings)
		return ErrProblems
	case d.warnings > 0:
		fmt.Fprintf(o.Stdout, "ready, %d warning(s)\n", d.warnings)
	default:
		fmt.Fprintln(o.Stdout, "ready")
	}
	return nil
}

// doctor prints one line per check: ok, warn (works, but see the advice)
// or FAIL (ccwake cannot do its job until fixed), each with what to do.
type doctor struct {
	w        io.Writer
	home     string
	failures int
	warnings int
}

func (d *doctor) line(mark, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if d.home != "" {
		msg = strings.ReplaceAll(msg, d.home+"/", "~/")
	}
	fmt.Fprintf(d.w, "%-4s  %s\n", mark, msg)
}
func (d *doctor) ok(format string, a ...any) { d.line("ok", format, a...) }
func (d *doctor) warn(format string, a ...any) {
	d.warnings++
	d.line("warn", format, a...)
}
func (d *doctor) fail(format string, a ...any) {
	d.failures++
	d.line("FAIL", format, a...)
}

func (d *doctor) checkConfig(path string) {
	switch _, err := os.Stat(path); {
	case path == "":
		d.ok("config: none ($XDG_CONFIG_HOME and $HOME unset)")
	case err == nil:
		d.ok("config: %s (read; `ccwake --print-config` shows the effective settings)", path)
	default:
		d.ok("config: no %s (optional: `ccwake --print-config > %s` starts one)", path, path)
	}
}

// checkInotify compares the kernel's inotify limits with the directories
// ccwake watches: one per root, its projects/ and each project.
func (d *doctor) checkInotify(roots []string) {
	if runtime.GOOS != "linux" {
		d.ok("file events: %s uses kqueue: one open file per watched directory (raise `ulimit -n` for thousands of projects)", runtime.GOOS)
		return
	}
	need := 0
	for _, r := range roots {
		ents, _ := os.ReadDir(filepath.Join(r, "projects"))
		need += 2 + len(ents)
	}
	watches, err := readInt("/proc/sys/fs/inotify/max_user_watches")
	if err != nil {
		d.warn("inotify: %v: cannot check the limit", err)
		return
	}
	instances, _ := readInt("/proc/sys/fs/inotify/max_user_instances")
	const fix = "sudo sysctl fs.inotify.max_user_watches=524288 (and in /etc/sysctl.d/ to keep it)"
	switch {
	case watches < need:
		d.fail("inotify: max_user_watches %d < %d directories to watch: ccwake falls back to polling; raise it: %s", watches, need, fix)
	case watches < 2*need:
		d.warn("inotify: max_user_watches %d for %d directories, shared with other programs: raise it: %s", watches, need, fix)
	default:
		d.ok("inotify: max_user_watches %d for %d directories, max_user_instances %d", watches, need, instances)
	}
}

func readInt(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// checkTranscripts counts the transcripts within --since and the Claude
// Code versions that wrote them.
func (d *doctor) checkTranscripts(root string, since time.Duration, now time.Time) {
	files, _ := filepath.Glob(filepath.Join(root, "projects", "*", "*.jsonl"))
	versions := map[string]int{}
	recent := 0
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil || (since > 0 && now.Sub(fi.ModTime()) > since) {
			continue
		}
		recent++
		versions[transcriptVersion(f)]++
	}
	window := "ever"
	if since > 0 {
		window = "in the last " + durfmt.Format(since)
	}
	if recent == 0 {
		d.warn("root %s: no transcript modified %s (%d older): nothing to resume until a session runs; a longer --since looks further back",
			root, window, len(files))
		return
	}
	vs := make([]string, 0, len(versions))
	for v := range versions {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool {
		return versions[vs[i]] > versions[vs[j]] || versions[vs[i]] == versions[vs[j]] && vs[i] > vs[j]
	})
	for i, v := range vs {
		name := v
		if name == "" {
			name = "unknown"
		}
		vs[i] = fmt.Sprintf("%s (%d)", name, versions[v])
	}
	d.ok("root %s: %d transcript(s) %s; Claude Code %s", root, recent, window, strings.Join(vs, ", "))
}

// transcriptVersion is the "version" of the newest entry that has one,
// from the last 64 KiB of the transcript ("" when none says).
func transcriptVersion(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	const tail = 64 << 10
	var off int64
	if fi, err := f.Stat(); err == nil && fi.Size() > tail {
		off = fi.Size() - tail
	}
	buf := make([]byte, tail)
	n, _ := f.ReadAt(buf, off)
	lines := bytes.Split(buf[:n], []byte("\n"))
	if off > 0 && len(lines) > 0 {
		lines = lines[1:] // the first one is cut
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if v := gjson.GetBytes(lines[i], "version"); v.Type == gjson.String && v.Str != "" {
			return v.Str
		}
	}
	return ""
}

// checkSessions reports <root>/sessions/*.json, which pane matching reads.
func (d *doctor) checkSessions(root string) {
	dir := filepath.Join(root, "sessions")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
		d.ok("sessions %s: none (Claude Code before 2.1.145 writes none: panes are matched by process and cwd)", dir)
		return
	}
	if err != nil {
		d.warn("sessions %s: %v", dir, err)
		return
	}
	live, bad, withTmux := 0, 0, 0
	for _, f := range files {
		sf, err := procs.ReadSessionFile(f)
		if err != nil {
			bad++
			continue
		}
		if alive(sf.PID) {
			live++
			if sf.Tmux != "" {
				withTmux++
			}
		}
	}
	msg := fmt.Sprintf("sessions %s: %d file(s), %d of a live process, %d naming their tmux pane", dir, len(files), live, withTmux)
	if bad > 0 {
		d.warn("%s; %d unreadable (ccwake ignores them)", msg, bad)
		return
	}
	d.ok("%s", msg)
}

// alive reports whether a process with that pid exists.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// checkLock says whether another ccwake is resuming this root.
func (d *doctor) checkLock(root string) {
	pid, path, err := resume.LockHolder(root)
	switch {
	case err != nil:
		d.fail("lock for %s: %v", root, err)
	case pid > 0 && alive(pid):
		what := ""
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil {
			what = " (" + strings.TrimSpace(strings.ReplaceAll(string(b), "\x00", " ")) + ")"
		}
		d.ok("lock for %s: held by pid %d%s: it resumes; another ccwake would only watch", root, pid, what)
	default:
		d.ok("lock for %s: free (%s): a ccwake started now would resume", root, path)
	}
}

// checkLogFile: without a log file nothing keeps what ccwake typed.
func (d *doctor) checkLogFile(path string) {
	if path == "" {
		d.warn("log file: off: what ccwake types is kept nowhere; remove log-file = \"off\" from the settings")
		return
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		d.fail("log file %s: is a directory", path)
	case err == nil:
		if syscall.Access(path, 2 /* W_OK */) != nil {
			d.fail("log file %s: not writable", path)
			return
		}
		d.ok("log file %s: %d bytes, last written %s", path, fi.Size(), fi.ModTime().Local().Format(time.DateTime))
	case errors.Is(err, fs.ErrNotExist):
		// ccwake creates the missing directories: the nearest existing one must let it.
		dir := filepath.Dir(path)
		for {
			if _, err := os.Stat(dir); err == nil || filepath.Dir(dir) == dir {
				break
			}
			dir = filepath.Dir(dir)
		}
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || syscall.Access(dir, 2|1) != nil {
			d.fail("log file %s: cannot create it: %s is not a writable directory", path, dir)
			return
		}
		d.ok("log file %s: will be created", path)
	default:
		d.fail("log file %s: cannot use it: %v", path, unwrapPath(err))
	}
}

// unwrapPath drops the *PathError's op and path, already in the message.
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}
