package watch_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/internal/synth"
)

// BenchmarkRSS measures the real binary: `ccwake --auto --dry-run` on the
// bench tree, its resident size (VmRSS, and the peak VmHWM, from
// /proc/PID/status) once every stall is decided and the rest taken in
// (tree); then after a 50 MB line (huge-line) and an 8 GiB sparse hole
// (hole) appended to a transcript of a project dir of its own (removed
// afterwards), each followed by an error line whose scheduling says the
// watcher got past it. Linux only. Run with -benchtime 1x;
// CCWAKE_BENCH_BIN=path measures that binary instead of building this one.
func BenchmarkRSS(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		b.Skip("ccwake needs tmux in $PATH")
	}
	root := synth.BenchTree(b)
	bin := os.Getenv("CCWAKE_BENCH_BIN") // another build, e.g. of an older commit
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "ccwake")
		if out, err := exec.Command("go", "build", "-o", bin, "../cmd/ccwake").CombinedOutput(); err != nil {
			b.Fatalf("go build: %v\n%s", err, out)
		}
	}
	proj := filepath.Join(root, "projects", fmt.Sprintf("-bench-rss-%d", os.Getpid()))
	if err := os.MkdirAll(proj, 0o755); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(proj) })
	for b.Loop() {
		rssRun(b, bin, root, proj)
	}
}

var decidedRE = regexp.MustCompile(`msg=(scheduled|fatal|gave_up) .*session=(\S+)`)

func rssRun(b *testing.B, bin, root, proj string) {
	// A working session ccwake follows from the start: what is appended
	// to it is read forwards, line by line (a new file would be read from
	// its tail, past the huge line).
	path := filepath.Join(proj, "huge.jsonl")
	writeBench(b, path, `{"parentUuid":null,"isSidechain":false,"type":"assistant","uuid":"r0","timestamp":"2026-11-22T15:00:00.000Z","sessionId":"huge","message":{"role":"assistant","content":[{"type":"text","text":"hi"}]}}`+"\n", false)
	dir := b.TempDir()
	cmd := exec.Command(bin, "--auto", "--dry-run", "--claude-dir", root, "--tmux-socket", filepath.Join(dir, "none"),
		"--state-dir", dir, "--log-file", filepath.Join(dir, "log"), "--since", "0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	decided := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := decidedRE.FindStringSubmatch(sc.Text()); m != nil {
				decided <- m[2]
			}
		}
		close(decided)
	}()
	waitFor := func(what string, ok func(string) bool) {
		deadline := time.After(2 * time.Minute)
		for {
			select {
			case id, open := <-decided:
				if !open {
					b.Fatalf("ccwake ended before %s", what)
				}
				if ok(id) {
					return
				}
			case <-deadline:
				b.Fatalf("no %s within 2 minutes", what)
			}
		}
	}
	// The tree: every stall decided, then a moment for the working sessions.
	n := 0
	stalled := benchStalled(b, root)
	waitFor("every stall decided", func(string) bool { n++; return n >= stalled })
	settle(b, cmd.Process.Pid)
	report := func(name string) {
		rss, hwm := procKiB(b, cmd.Process.Pid, "VmRSS"), procKiB(b, cmd.Process.Pid, "VmHWM")
		b.ReportMetric(float64(rss)/1024, name+"-MiB-RSS")
		b.ReportMetric(float64(hwm)/1024, name+"-MiB-HWM")
	}
	report("tree")

	big := `{"parentUuid":"bu","isSidechain":false,"type":"user","uuid":"big","timestamp":"2026-11-22T15:00:01.000Z","message":{"role":"user","content":[{"type":"tool_result","content":"` + strings.Repeat("x", 50<<20) + `"}]}}` + "\n"
	writeBench(b, path, big+rssError("huge", "e1", 2), true)
	waitFor("the error after the 50 MB line", func(id string) bool { return id == "huge" })
	settle(b, cmd.Process.Pid)
	report("huge-line")

	start := time.Now()
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Truncate(path, info.Size()+8<<30); err != nil {
		b.Skipf("no sparse file: %v", err)
	}
	writeBench(b, path, "\n"+rssError("huge", "e2", 3), true)
	waitFor("the error after the 8 GiB hole", func(id string) bool { return id == "huge" })
	b.ReportMetric(time.Since(start).Seconds(), "hole-s")
	settle(b, cmd.Process.Pid)
	report("hole")
	_ = os.Remove(path)
}

// rssError is an error line of session id, one stall attempt per n.
func rssError(id, uuid string, n int) string {
	return fmt.Sprintf(`{"parentUuid":"p","isSidechain":false,"type":"assistant","message":{"model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"}]},"isApiErrorMessage":true,"error":"rate_limit","apiErrorStatus":429,"uuid":%q,"timestamp":"%s","cwd":"/bench","sessionId":%q,"version":"2.1.330"}`+"\n",
		uuid, time.Now().UTC().Add(time.Duration(n)*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), id)
}

func writeBench(b *testing.B, path, s string, appendTo bool) {
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flag = os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		b.Fatal(err)
	}
}

// benchStalled counts the stalls of the tree, as status would.
func benchStalled(b *testing.B, root string) int {
	b.Helper()
	return stalledIn(b, root)
}

// procKiB reads one "Name:   123 kB" field of /proc/PID/status.
func procKiB(b *testing.B, pid int, name string) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatalf("no %s in /proc/%d/status", name, pid)
	return 0
}

// settle waits until the process used no CPU for a whole second: it has
// taken in everything (start-up, a line) and sits idle.
func settle(b *testing.B, pid int) {
	last := int64(-1)
	for range 120 {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			b.Fatal(err)
		}
		f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		if ut+st == last {
			return
		}
		last = ut + st
		time.Sleep(time.Second)
	}
	b.Fatal("the process never went idle")
}
