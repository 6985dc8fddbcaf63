package procs

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/ccwake/ccwake/internal/fakerun"
	"github.com/ccwake/ccwake/internal/testkit"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// kinfoRecord lays out one 64-bit darwin struct kinfo_proc the way the
// kernel writes it. The offsets are written out as numbers here, not taken
// from the parser's constants, so the test is a second reading of
// <sys/sysctl.h> (and procs_darwin.go checks them against x/sys).
type kinfoRecord struct {
	pid, ppid, pgid, tpgid int32
	uid                    uint32
	stat                   int8
	comm                   string
	startSec               int64
	startUsec              int32
}

func (k kinfoRecord) bytes() []byte {
	b := make([]byte, 648)
	le := binary.LittleEndian
	le.PutUint64(b[0:], uint64(k.startSec))  // p_starttime.tv_sec
	le.PutUint32(b[8:], uint32(k.startUsec)) // p_starttime.tv_usec
	le.PutUint32(b[32:], 0x00004004)         // p_flag: P_CONTROLT|P_EXEC, ignored
	b[36] = byte(k.stat)                     // p_stat
	le.PutUint32(b[40:], uint32(k.pid))      // p_pid
	le.PutUint32(b[44:], uint32(k.ppid))     // p_oppid: not the parent, ignored
	copy(b[243:243+16], k.comm)              // p_comm[17]
	le.PutUint32(b[392:], 99)                // e_pcred.p_ruid: the real uid, ignored
	le.PutUint32(b[420:], k.uid)             // e_ucred.cr_uid
	le.PutUint32(b[560:], uint32(k.ppid))    // e_ppid
	le.PutUint32(b[564:], uint32(k.pgid))    // e_pgid
	le.PutUint32(b[572:], 0x10000003)        // e_tdev, ignored
	le.PutUint32(b[576:], uint32(k.tpgid))   // e_tpgid
	return b
}

func kinfoBuf(recs ...kinfoRecord) []byte {
	var b []byte
	for _, r := range recs {
		b = append(b, r.bytes()...)
	}
	return b
}

// procArgs2 lays out a kern.procargs2 buffer: argc, exec path, NUL padding
// to a word boundary (and the kernel's extra NULs), argv, env, an empty
// string, then Apple's strings and trailing NULs.
func procArgs2(exe string, argv, env, apple []string) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(argv)))
	b = append(b, exe...)
	b = append(b, 0)
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	b = append(b, 0, 0, 0, 0, 0, 0, 0, 0)
	for _, s := range append(append([]string{}, argv...), env...) {
		b = append(append(b, s...), 0)
	}
	b = append(b, 0)
	for _, s := range apple {
		b = append(append(b, s...), 0)
	}
	return append(b, 0, 0, 0, 0)
}

const (
	startNov3  = 1793732400 // 2026-11-03 19:00:00 UTC
	startNov23 = 1795460405 // 2026-11-23 19:00:05 UTC
)

func TestParseKinfoProcs(t *testing.T) {
	claude := kinfoRecord{pid: 4242, ppid: 4200, pgid: 4242, tpgid: 4242, uid: 501, stat: 2, comm: "2.1.145", startSec: startNov3, startUsec: 123456}
	zombie := kinfoRecord{pid: 77, ppid: 1, pgid: 77, tpgid: 0, uid: 501, stat: 5, comm: "node", startSec: startNov23}
	long := kinfoRecord{pid: 1, ppid: 0, pgid: 1, tpgid: -1, uid: 0, stat: 3, comm: "abcdefghijklmnop", startSec: startNov23}
	tests := []struct {
		name    string
		buf     []byte
		want    []Proc
		wantErr bool
	}{
		{"empty (kern.proc.pid of a gone pid)", nil, []Proc{}, false},
		{"one", kinfoBuf(claude), []Proc{{PID: 4242, PPID: 4200, PGID: 4242, TPGID: 4242, Comm: "2.1.145", Start: "Tue Nov  3 19:00:00 2026"}}, false},
		{"zombie, no terminal; a 16-byte comm", kinfoBuf(zombie, long), []Proc{
			{PID: 77, PPID: 1, PGID: 77, TPGID: -1, Comm: "node", Start: "Mon Nov 23 19:00:05 2026", Exited: true},
			{PID: 1, PPID: 0, PGID: 1, TPGID: -1, Comm: "abcdefghijklmnop", Start: "Mon Nov 23 19:00:05 2026"},
		}, false},
		{"short by a byte", kinfoBuf(claude)[:647], nil, true},
		{"a byte too many", append(kinfoBuf(claude), 0), nil, true},
	}
	for _, tt := range tests {
		ks, err := parseKinfoProcs(tt.buf)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			continue
		}
		got := make([]Proc, len(ks))
		for i, k := range ks {
			got[i] = k.proc()
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got  %+v\n want %+v", tt.name, got, tt.want)
		}
	}
}

// darwinLstart is what `LC_ALL=C TZ=UTC ps -o lstart=` prints on macOS:
// strftime's %c in the C locale, which POSIX fixes as
// "%a %b %e %H:%M:%S %Y"; date(1) here uses the same C library rule.
func TestDarwinLstartIsCLocaleC(t *testing.T) {
	date, err := exec.LookPath("date")
	if err != nil {
		t.Skip("no date(1)")
	}
	for _, sec := range []int64{startNov3, startNov23, 1, 2000000000} {
		cmd := exec.Command(date, "-u", "-d", fmt.Sprintf("@%d", sec), "+%c")
		cmd.Env = []string{"LC_ALL=C", "TZ=UTC"}
		out, err := cmd.Output()
		if err != nil {
			t.Skipf("date -d @N is not GNU date: %v", err)
		}
		if got, want := darwinLstart(sec), strings.TrimSpace(string(out)); got != want {
			t.Errorf("darwinLstart(%d) = %q, C library's %%c = %q", sec, got, want)
		}
	}
}

func TestParseProcArgs2(t *testing.T) {
	apple := []string{"executable_path=/Users/dev/.local/share/claude/versions/2.1.145", "ptr_munge=", "main_stack="}
	env := []string{"TERM=tmux-256color", "TMUX=/private/tmp/tmux-501/default,1234,0", "TMUX_PANE=%3",
		"HOME=/Users/dev", "CLAUDE_CONFIG_DIR=/Users/dev/.claude-work", "LANG=en_US.UTF-8"}
	native := procArgs2("/Users/dev/.local/share/claude/versions/2.1.145", []string{"claude", "--resume", "19363cf1"}, env, apple)
	npm := procArgs2("/opt/homebrew/bin/node",
		[]string{"node", "/opt/homebrew/lib/node_modules/@anthropic-ai/claude-code/cli.js", ""}, []string{"HOME=/Users/dev"}, nil)
	tests := []struct {
		name     string
		buf      []byte
		want     procArgs
		wantErr  bool
		root     string // claudeRoot of Env; "" for none
		tmuxPane string
	}{
		{"native build", native, procArgs{Exe: "/Users/dev/.local/share/claude/versions/2.1.145",
			Argv: []string{"claude", "--resume", "19363cf1"}, Env: env}, false, "/Users/dev/.claude-work", "%3"},
		{"npm build with an empty last argument", npm, procArgs{Exe: "/opt/homebrew/bin/node",
			Argv: []string{"node", "/opt/homebrew/lib/node_modules/@anthropic-ai/claude-code/cli.js", ""}, Env: []string{"HOME=/Users/dev"}}, false, "/Users/dev/.claude", ""},
		{"env -i: Apple's strings are not the environment", procArgs2("/bin/claude", []string{"claude"}, nil, apple),
			procArgs{Exe: "/bin/claude", Argv: []string{"claude"}}, false, "", ""},
		{"environment runs to the end of the buffer", append(binary.LittleEndian.AppendUint32(nil, 1), "/x\x00\x00\x00x\x00HOME=/h\x00"...),
			procArgs{Exe: "/x", Argv: []string{"x"}, Env: []string{"HOME=/h"}}, false, "/h/.claude", ""},
		{"cut short in argv", native[:60], procArgs{}, true, "", ""},
		{"argc beyond the buffer", append(binary.LittleEndian.AppendUint32(nil, 1000), "/x\x00a\x00"...), procArgs{}, true, "", ""},
		{"negative argc", append(binary.LittleEndian.AppendUint32(nil, 0xffffffff), "/x\x00a\x00"...), procArgs{}, true, "", ""},
		{"no NUL after the exec path", append(binary.LittleEndian.AppendUint32(nil, 0), "/x"...), procArgs{}, true, "", ""},
		{"three bytes", []byte{1, 0, 0}, procArgs{}, true, "", ""},
		{"nil", nil, procArgs{}, true, "", ""},
	}
	for _, tt := range tests {
		got, err := parseProcArgs2(tt.buf)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			if !errors.Is(err, errProcArgs) {
				t.Errorf("%s: %v is not errProcArgs", tt.name, err)
			}
			continue
		}
		if got.Exe != tt.want.Exe || !slices.Equal(got.Argv, tt.want.Argv) || !slices.Equal(got.Env, tt.want.Env) {
			t.Errorf("%s:\n got  %q\n want %q", tt.name, got, tt.want)
		}
		root, ok := ClaudeRoot(got.Env)
		if ok != (tt.root != "") || root != tt.root {
			t.Errorf("%s: Claude root %q %v, want %q", tt.name, root, ok, tt.root)
		}
		var pane string
		for _, kv := range got.Env {
			if v, ok := strings.CutPrefix(kv, "TMUX_PANE="); ok {
				pane = v
			}
		}
		if pane != tt.tmuxPane {
			t.Errorf("%s: TMUX_PANE %q, want %q", tt.name, pane, tt.tmuxPane)
		}
	}
	if !isClaudeCLI(tests[1].want.Argv) {
		t.Errorf("the npm build's argv is not recognised as Claude's cli.js")
	}
}

func TestParseLsof(t *testing.T) {
	// lsof 4.91 (macOS 14) -w -a -d cwd -p 4242,4243,4300 -Fn; 4300 had exited.
	cwds := parseLsofCwds([]byte("p4242\nfcwd\nn/Users/dev/work\np4243\nfcwd\nn/Users/dev/my project\n" +
		"pbad\nn/nowhere\np4250\nfcwd\np0\nn/zero\n"))
	want := map[int]string{4242: "/Users/dev/work", 4243: "/Users/dev/my project"}
	if len(cwds) != len(want) || cwds[4242] != want[4242] || cwds[4243] != want[4243] {
		t.Errorf("parseLsofCwds = %v, want %v", cwds, want)
	}
	if got := parseLsofCwds(nil); len(got) != 0 {
		t.Errorf("parseLsofCwds(nil) = %v", got)
	}
	// lsof -a -p 4300 -d 0-2 -Fn: stdin a pipe, stdout and stderr the tty.
	fds := parseLsofStdio([]byte("p4300\nf0\nn->0x1a2b3c\nf1\nn/dev/ttys003\nf2\nn/dev/ttys003\nf7\nn/x\n"))
	if !slices.Equal(fds, []string{"->0x1a2b3c", "/dev/ttys003", "/dev/ttys003"}) {
		t.Errorf("parseLsofStdio = %q", fds)
	}
	if argv := lsofCwdArgv([]int{7, 42}); !slices.Equal(argv, []string{"lsof", "-w", "-a", "-d", "cwd", "-p", "7,42", "-Fn"}) {
		t.Errorf("lsofCwdArgv = %q", argv)
	}
}

func TestCwdCacheBatchesAndExpires(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 3, 19, 0, 0, 0, time.UTC))
	var lookups [][]int
	var fail error
	world := map[int]string{10: "/w/a", 11: "/w/b", 12: "/w/c"}
	c := newCwdCache(clock.Now, func(_ context.Context, pids []int) (map[int]string, error) {
		lookups = append(lookups, pids)
		out := map[int]string{}
		for _, p := range pids {
			if cwd, ok := world[p]; ok {
				out[p] = cwd
			}
		}
		return out, fail
	})
	ctx := context.Background()
	c.setHint(map[int]string{10: "s10", 11: "s11"})
	get := func(pid int, start, want string, wantLookups int) {
		t.Helper()
		got, err := c.get(ctx, pid, start)
		if (want == "") != (err != nil) || got != want {
			t.Errorf("get(%d, %q) = %q, %v; want %q", pid, start, got, err, want)
		}
		if len(lookups) != wantLookups {
			t.Errorf("after get(%d): %d lookups %v, want %d", pid, len(lookups), lookups, wantLookups)
		}
	}
	get(12, "s12", "/w/c", 1) // one lsof for the asked pid and the hinted ones
	if !slices.Equal(lookups[0], []int{10, 11, 12}) {
		t.Errorf("first lookup read %v, want [10 11 12]", lookups[0])
	}
	get(10, "s10", "/w/a", 1) // cached
	get(11, "s11", "/w/b", 1)
	get(11, "s11-again", "/w/b", 2) // a new process with pid 11: read again, alone
	if !slices.Equal(lookups[1], []int{11}) {
		t.Errorf("second lookup read %v, want [11]", lookups[1])
	}
	world[10] = "/w/moved"
	clock.Advance(cwdTTL)
	get(10, "s10", "/w/moved", 3) // expired
	get(13, "s13", "", 4)         // lsof does not list it
	get(13, "s13", "", 4)         // … and that is cached too
	clock.Advance(cwdTTL)
	fail = errors.New("lsof: exit status 1")
	get(10, "s10", "/w/moved", 5) // exit 1 with output: the output counts
	clock.Advance(cwdTTL)
	delete(world, 10)
	delete(world, 11)
	get(10, "s10", "", 6) // exit 1 and nothing: the error
	if _, err := c.get(ctx, 10, "s10"); err == nil || !strings.Contains(err.Error(), "lsof") {
		t.Errorf("failed lookup's error %v does not say lsof", err)
	}
}

func TestCwdHints(t *testing.T) {
	ks, err := parseKinfoProcs(kinfoBuf(
		kinfoRecord{pid: 1, uid: 0, comm: "launchd", startSec: 1},
		kinfoRecord{pid: 10, uid: 501, comm: "2.1.145", stat: 2, startSec: startNov3},
		kinfoRecord{pid: 11, uid: 501, comm: "node", stat: 2, startSec: startNov3},
		kinfoRecord{pid: 12, uid: 501, comm: "claude", stat: 5, startSec: startNov3}, // zombie
		kinfoRecord{pid: 13, uid: 502, comm: "claude", stat: 2, startSec: startNov3}, // another user's
		kinfoRecord{pid: 14, uid: 501, comm: "zsh", stat: 2, startSec: startNov3},
	))
	if err != nil {
		t.Fatal(err)
	}
	got := cwdHints(ks, 501)
	if len(got) != 2 || got[10] != "Tue Nov  3 19:00:00 2026" || got[11] == "" {
		t.Errorf("cwdHints = %v, want pids 10 and 11 with their starts", got)
	}
}

// recordedSysctl answers sysctl from recorded buffers, as the darwin
// kernel would.
type recordedSysctl struct {
	procs []kinfoRecord
	args  map[int][]byte // kern.procargs2; missing: EPERM, as for another user's process
}

func (r recordedSysctl) sysctl(name string, args ...int) ([]byte, error) {
	switch {
	case name == "kern.proc.all" && len(args) == 0:
		return kinfoBuf(r.procs...), nil
	case name == "kern.proc.pid" && len(args) == 1:
		for _, p := range r.procs {
			if int(p.pid) == args[0] {
				return p.bytes(), nil
			}
		}
		return nil, nil // the kernel answers a gone pid with no record
	case name == "kern.procargs2" && len(args) == 1:
		if b, ok := r.args[args[0]]; ok {
			return b, nil
		}
		return nil, errors.New("operation not permitted")
	}
	return nil, fmt.Errorf("unexpected sysctl %s %v", name, args)
}

// The macOS process table gives what Locate needs, from recorded sysctl
// buffers and lsof output: Claude's root from its environment (so a
// process of another root is ruled out, not unknown), a start time equal
// to the procStart Claude Code writes on macOS (so a sessions file left by
// an earlier process with the same pid is stale), and cwds from one lsof
// run. The former ps-based table had no start time and no environment.
func TestSysctlProcsIdentify(t *testing.T) {
	home := t.TempDir()
	root := filepath.Join(home, ".claude-work")
	other := filepath.Join(home, ".claude")
	for _, d := range []string{root, other} {
		if err := os.MkdirAll(filepath.Join(d, "sessions"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	writeSF := func(dir string, pid int, session, procStart string) {
		body := fmt.Sprintf(`{"pid":%d,"sessionId":%q,"cwd":"/Users/dev/work","procStart":%q,"version":"2.1.330","kind":"interactive"}`, pid, session, procStart)
		if err := os.WriteFile(SessionFilePath(dir, pid), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeSF(root, 4242, "sess-a", "Tue Nov  3 19:00:00 2026") // this process's own
	writeSF(root, 4243, "sess-b", "Mon Nov  2 08:00:00 2026") // left by an earlier pid 4243
	env := func(kv ...string) []string { return append([]string{"TMUX_PANE=%1", "HOME=" + home}, kv...) }
	rec := recordedSysctl{
		procs: []kinfoRecord{
			{pid: 0, ppid: 0, pgid: 0, tpgid: 0, uid: 0, stat: 2, comm: "kernel_task", startSec: startNov3 - 3600},
			{pid: 4200, ppid: 1, pgid: 4200, tpgid: 4242, uid: 501, stat: 3, comm: "zsh", startSec: startNov3 - 60},
			{pid: 4242, ppid: 4200, pgid: 4242, tpgid: 4242, uid: 501, stat: 2, comm: "2.1.330", startSec: startNov3},
			{pid: 4243, ppid: 4200, pgid: 4243, tpgid: 4242, uid: 501, stat: 2, comm: "2.1.330", startSec: startNov23},
			{pid: 4244, ppid: 4200, pgid: 4244, tpgid: 4242, uid: 501, stat: 2, comm: "2.1.330", startSec: startNov23},
			{pid: 4245, ppid: 4200, pgid: 4245, tpgid: 4242, uid: 502, stat: 2, comm: "claude", startSec: startNov23},
		},
		args: map[int][]byte{
			4242: procArgs2("/Users/dev/.local/bin/claude", []string{"claude"}, env("CLAUDE_CONFIG_DIR="+root), nil),
			4243: procArgs2("/Users/dev/.local/bin/claude", []string{"claude"}, env("CLAUDE_CONFIG_DIR="+root), nil),
			4244: procArgs2("/Users/dev/.local/bin/claude", []string{"claude"}, env(), nil), // ~/.claude
		},
	}
	run := fakerun.New(t).Expect("p4242\nfcwd\nn/Users/dev/work\np4243\nfcwd\nn/Users/dev/work\np4244\nfcwd\nn/Users/dev/work\n",
		nil, "lsof", "-w", "-a", "-d", "cwd", "-p", "4242,4243,4244", "-Fn")
	clock := testkit.NewClock(time.Unix(startNov23+3600, 0))
	procs := newSysctlProcs(rec.sysctl, run, 501, clock.Now)
	ctx := context.Background()

	list, err := procs.List(ctx)
	if err != nil || len(list) != 5 || slices.ContainsFunc(list, func(p Proc) bool { return p.PID == 0 }) {
		t.Fatalf("List = %+v, %v; want the 5 processes but kernel_task (pid 0, its own parent)", list, err)
	}
	p, err := procs.Get(ctx, 4242)
	if err != nil || p.Start != "Tue Nov  3 19:00:00 2026" || p.PPID != 4200 || p.Comm != "2.1.330" {
		t.Fatalf("Get(4242) = %+v, %v", p, err)
	}
	if _, err := procs.Get(ctx, 9999); err == nil {
		t.Errorf("Get of a gone pid: no error")
	}
	if exe, err := procs.Exe(ctx, 4242); err != nil || exe != "/Users/dev/.local/bin/claude" {
		t.Errorf("Exe(4242) = %q, %v", exe, err)
	}
	if argv, err := procs.Cmdline(ctx, 4242); err != nil || !slices.Equal(argv, []string{"claude"}) {
		t.Errorf("Cmdline(4242) = %q, %v", argv, err)
	}

	id := Identify(ctx, procs, 4242, root, p.Start)
	if !id.RootKnown || !id.SameRoot || id.File == nil || !id.Exact || id.File.SessionID != "sess-a" {
		t.Errorf("pid 4242: %+v; want its root known, the same, and its own sessions file", id)
	}
	p43, _ := procs.Get(ctx, 4243)
	if id := Identify(ctx, procs, 4243, root, p43.Start); !id.SameRoot || id.File != nil {
		t.Errorf("pid 4243: %+v; want the earlier process's sessions file ruled out as stale", id)
	}
	p44, _ := procs.Get(ctx, 4244)
	if id := Identify(ctx, procs, 4244, root, p44.Start); !id.RootKnown || id.SameRoot || id.Root != other {
		t.Errorf("pid 4244: %+v; want root %s known and not the transcript's", id, other)
	}
	if id := Identify(ctx, procs, 4245, root, ""); id.RootKnown {
		t.Errorf("another user's pid 4245: %+v; want its root unknown", id)
	}

	// Three cwds, one lsof run (the fake runner allows exactly one).
	for _, pid := range []int{4242, 4243, 4244, 4242} {
		if cwd, err := procs.Cwd(ctx, pid); err != nil || cwd != "/Users/dev/work" {
			t.Errorf("Cwd(%d) = %q, %v", pid, cwd, err)
		}
	}
	if _, err := procs.Cwd(ctx, 9999); err == nil {
		t.Errorf("Cwd of a gone pid: no error")
	}
}

// Stdio asks lsof for one process's descriptors 0-2.
func TestSysctlProcsStdio(t *testing.T) {
	run := fakerun.New(t).Expect("p7\nf0\nn/dev/ttys001\nf1\nn->0xabc\n", nil, "lsof", "-w", "-a", "-p", "7", "-d", "0-2", "-Fn").
		Expect("", errors.New("exit status 1"), "lsof", "-w", "-a", "-p", "8", "-d", "0-2", "-Fn")
	procs := newSysctlProcs(recordedSysctl{}.sysctl, run, 501, time.Now)
	if fds, err := procs.Stdio(context.Background(), 7); err != nil || !slices.Equal(fds, []string{"/dev/ttys001", "->0xabc", ""}) {
		t.Errorf("Stdio(7) = %q, %v", fds, err)
	}
	if _, err := procs.Stdio(context.Background(), 8); err == nil {
		t.Errorf("Stdio of an unreadable process: no error")
	}
}
