package procs

// The pure half of the macOS process table (procs_darwin.go is the shim
// that makes the system calls). These files carry no build tag on purpose:
// the parsers below run and are tested on Linux, on bytes laid out the way
// the darwin kernel writes them, so the macOS build runs code that CI runs.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
)

// struct kinfo_proc as sysctl kern.proc.* returns it on 64-bit darwin
// (amd64 and arm64 alike): 648 bytes per process, little-endian. The
// offsets match golang.org/x/sys/unix.KinfoProc; procs_darwin.go asserts
// that at compile time, so a layout change fails the darwin build.
const (
	kinfoSize       = 648
	kinfoStartSec   = 0   // kp_proc.p_starttime.tv_sec (int64)
	kinfoStartUsec  = 8   // kp_proc.p_starttime.tv_usec (int32)
	kinfoStat       = 36  // kp_proc.p_stat (int8)
	kinfoPID        = 40  // kp_proc.p_pid (int32)
	kinfoComm       = 243 // kp_proc.p_comm ([17]byte, NUL-terminated)
	kinfoCommLen    = 17
	kinfoUID        = 420 // kp_eproc.e_ucred.cr_uid (uint32): the effective uid
	kinfoPPID       = 560 // kp_eproc.e_ppid (int32)
	kinfoPGID       = 564 // kp_eproc.e_pgid (int32)
	kinfoTPGID      = 576 // kp_eproc.e_tpgid (int32)
	darwinZombie    = 5   // SZOMB in p_stat
	darwinStartForm = "Mon Jan _2 15:04:05 2006"
)

// kinfo is the part of one kinfo_proc record ccwake reads.
type kinfo struct {
	PID, PPID, PGID, TPGID int
	UID                    uint32
	Zombie                 bool
	Comm                   string
	StartSec               int64
}

// parseKinfoProcs decodes a kern.proc.all (or kern.proc.pid.N) buffer: a
// whole number of kinfo_proc records. A buffer of another length is not
// trusted at all: a wrong layout must not yield wrong pids.
func parseKinfoProcs(buf []byte) ([]kinfo, error) {
	if len(buf)%kinfoSize != 0 {
		return nil, fmt.Errorf("kinfo_proc buffer of %d bytes is not a multiple of %d", len(buf), kinfoSize)
	}
	le := binary.LittleEndian
	i32 := func(r []byte, off int) int { return int(int32(le.Uint32(r[off:]))) }
	out := make([]kinfo, 0, len(buf)/kinfoSize)
	for r := buf; len(r) > 0; r = r[kinfoSize:] {
		comm := r[kinfoComm : kinfoComm+kinfoCommLen]
		if n := bytes.IndexByte(comm, 0); n >= 0 {
			comm = comm[:n]
		}
		k := kinfo{
			PID: i32(r, kinfoPID), PPID: i32(r, kinfoPPID), PGID: i32(r, kinfoPGID), TPGID: i32(r, kinfoTPGID),
			UID:      le.Uint32(r[kinfoUID:]),
			Zombie:   int8(r[kinfoStat]) == darwinZombie,
			Comm:     string(comm),
			StartSec: int64(le.Uint64(r[kinfoStartSec:])),
		}
		if k.TPGID <= 0 { // no controlling terminal: Linux says -1
			k.TPGID = -1
		}
		out = append(out, k)
	}
	return out, nil
}

// proc converts a record to the portable Proc. Start is written the way
// Claude Code writes procStart on macOS: `ps -o lstart= -p PID` run with
// LC_ALL=C and TZ=UTC, trimmed, which is strftime("%c") of p_starttime's
// seconds in UTC ("Mon Nov  3 19:00:00 2026"). Equal strings mean this
// incarnation of the pid wrote the sessions file.
func (k kinfo) proc() Proc {
	p := Proc{PID: k.PID, PPID: k.PPID, PGID: k.PGID, TPGID: k.TPGID, Comm: k.Comm, Exited: k.Zombie}
	if k.StartSec > 0 {
		p.Start = darwinLstart(k.StartSec)
	}
	return p
}

// darwinLstart is ps's lstart column in the C locale and UTC.
func darwinLstart(sec int64) string {
	return time.Unix(sec, 0).UTC().Format(darwinStartForm)
}

// procArgs is one process's kern.procargs2: the path it was executed as,
// its argv and its environment as they were at exec.
type procArgs struct {
	Exe  string
	Argv []string
	Env  []string
}

// errProcArgs marks a kern.procargs2 buffer that cannot be read.
var errProcArgs = errors.New("malformed kern.procargs2")

// parseProcArgs2 reads a kern.procargs2 buffer: argc (int32), the exec
// path, NUL padding, argc NUL-terminated arguments, then the environment
// as NUL-terminated strings up to an empty one; after that come Apple's
// own strings (executable_path=…, ptr_munge=…), which are not the
// environment. Env may be empty (env -i); a buffer cut short in argv is an
// error, since a partial argv would be wrong evidence.
func parseProcArgs2(buf []byte) (procArgs, error) {
	if len(buf) < 4 {
		return procArgs{}, fmt.Errorf("%w: %d bytes", errProcArgs, len(buf))
	}
	argc := int(int32(binary.LittleEndian.Uint32(buf)))
	rest := buf[4:]
	if argc < 0 || argc > len(rest) {
		return procArgs{}, fmt.Errorf("%w: argc %d", errProcArgs, argc)
	}
	next := func() (string, bool) {
		n := bytes.IndexByte(rest, 0)
		if n < 0 {
			return "", false
		}
		s := string(rest[:n])
		rest = rest[n+1:]
		return s, true
	}
	var pa procArgs
	exe, ok := next()
	if !ok {
		return procArgs{}, fmt.Errorf("%w: no exec path", errProcArgs)
	}
	pa.Exe = exe
	// The padding after the exec path aligns argv[0]; it is NULs only.
	rest = bytes.TrimLeft(rest, "\x00")
	pa.Argv = make([]string, 0, argc)
	for range argc {
		a, ok := next()
		if !ok {
			return procArgs{}, fmt.Errorf("%w: %d of %d arguments", errProcArgs, len(pa.Argv), argc)
		}
		pa.Argv = append(pa.Argv, a)
	}
	for {
		kv, ok := next()
		if !ok || kv == "" {
			break
		}
		pa.Env = append(pa.Env, kv)
	}
	return pa, nil
}

// parseLsofCwds reads `lsof -a -d cwd -p PID,PID,… -Fn`: a "p<pid>" line
// starts each process, its "n<path>" line is the cwd. Processes lsof could
// not read are simply absent.
func parseLsofCwds(out []byte) map[int]string {
	cwds := map[int]string{}
	pid := -1
	for _, line := range strings.Split(string(out), "\n") {
		if line == "" {
			continue
		}
		switch line[0] {
		case 'p':
			pid = -1
			if n, err := strconv.Atoi(line[1:]); err == nil && n > 0 {
				pid = n
			}
		case 'n':
			if _, seen := cwds[pid]; pid > 0 && !seen {
				cwds[pid] = line[1:]
			}
		}
	}
	return cwds
}

// parseLsofStdio reads `lsof -a -p PID -d 0-2 -Fn` into the targets of
// descriptors 0, 1 and 2 ("" for a closed one).
func parseLsofStdio(out []byte) []string {
	fds := make([]string, 3)
	cur := -1
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "f"):
			cur = -1
			if n, err := strconv.Atoi(line[1:]); err == nil && n >= 0 && n < 3 {
				cur = n
			}
		case strings.HasPrefix(line, "n") && cur >= 0:
			fds[cur] = line[1:]
		}
	}
	return fds
}

// lsofCwdArgv is the one lsof call that reads the cwds of many processes.
// -w: no warnings on stderr about file systems it cannot stat.
func lsofCwdArgv(pids []int) []string {
	list := make([]string, len(pids))
	for i, p := range pids {
		list[i] = strconv.Itoa(p)
	}
	return []string{"lsof", "-w", "-a", "-d", "cwd", "-p", strings.Join(list, ","), "-Fn"}
}

// cwdTTL is how long a cwd read by lsof is reused. Claude Code never
// changes its own cwd, and each entry is keyed by the process's start too,
// so a reused pid never inherits another process's cwd.
const cwdTTL = 2 * time.Second

// cwdCache answers cwd lookups from one batched lsof run per cwdTTL instead
// of one lsof process per lookup: a miss reads the asked pid together with
// every hinted one (the Claude-looking processes of the last process list),
// which are the ones Locate and Holders ask about next.
type cwdCache struct {
	now    func() time.Time
	lookup func(ctx context.Context, pids []int) (map[int]string, error)

	mu      sync.Mutex
	hint    map[int]string // pid → start
	entries map[int]cwdEntry
}

type cwdEntry struct {
	start string
	cwd   string // "" when lsof did not report one
	at    time.Time
}

func newCwdCache(now func() time.Time, lookup func(context.Context, []int) (map[int]string, error)) *cwdCache {
	return &cwdCache{now: now, lookup: lookup, hint: map[int]string{}, entries: map[int]cwdEntry{}}
}

// setHint replaces the set of processes read along with the next miss.
func (c *cwdCache) setHint(hint map[int]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hint = hint
}

// get returns pid's cwd; start is the process's Start (it keys the entry).
func (c *cwdCache) get(ctx context.Context, pid int, start string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	fresh := func(p int, start string) (cwdEntry, bool) {
		e, ok := c.entries[p]
		return e, ok && e.start == start && now.Sub(e.at) < cwdTTL && !now.Before(e.at)
	}
	if e, ok := fresh(pid, start); ok {
		return cwdOrErr(pid, e)
	}
	batch := map[int]string{pid: start}
	for p, s := range c.hint {
		if _, ok := fresh(p, s); !ok {
			batch[p] = s
		}
	}
	pids := make([]int, 0, len(batch))
	for p := range batch {
		pids = append(pids, p)
	}
	sort.Ints(pids)
	cwds, err := c.lookup(ctx, pids)
	if err != nil && len(cwds) == 0 {
		return "", fmt.Errorf("cwd of process %d: %w", pid, err)
	}
	for p, s := range batch {
		c.entries[p] = cwdEntry{start: s, cwd: cwds[p], at: now}
	}
	for p, e := range c.entries { // forget the dead
		if now.Sub(e.at) >= cwdTTL {
			delete(c.entries, p)
		}
	}
	return cwdOrErr(pid, c.entries[pid])
}

func cwdOrErr(pid int, e cwdEntry) (string, error) {
	if e.cwd == "" {
		return "", fmt.Errorf("cwd of process %d: not in lsof output (exited, or not ours)", pid)
	}
	return e.cwd, nil
}

// cwdHints picks, from a process list, the processes worth reading the cwd
// of in the same lsof run: uid's own whose comm may be Claude Code's
// (isClaudeName). Others' cwds lsof cannot read anyway.
func cwdHints(list []kinfo, uid uint32) map[int]string {
	hint := map[int]string{}
	for _, k := range list {
		if k.UID != uid || k.Zombie || k.PID <= 0 {
			continue
		}
		if IsClaudeName(k.Comm) {
			hint[k.PID] = k.proc().Start
		}
	}
	return hint
}

// sysctlProcs is macOS's Table (NewHost in procs_darwin.go wires
// it to the real sysctl): the process table, start times, arguments and
// environments from sysctl, no process started per lookup; cwds from one
// batched lsof run, cached (cwdCache); stdio from lsof, asked only before
// typing. Tests drive it with recorded sysctl buffers.
type sysctlProcs struct {
	sysctl func(name string, args ...int) ([]byte, error)
	run    mux.Runner
	uid    uint32
	cwds   *cwdCache
}

func newSysctlProcs(sysctl func(string, ...int) ([]byte, error), r mux.Runner, uid uint32, now func() time.Time) *sysctlProcs {
	d := &sysctlProcs{sysctl: sysctl, run: r, uid: uid}
	d.cwds = newCwdCache(now, d.lsofCwds)
	return d
}

func (d *sysctlProcs) kinfos(name string, args ...int) ([]kinfo, error) {
	buf, err := d.sysctl(name, args...)
	if err != nil {
		return nil, fmt.Errorf("sysctl %s: %w", name, err)
	}
	ks, err := parseKinfoProcs(buf)
	if err != nil {
		return nil, fmt.Errorf("sysctl %s: %w", name, err)
	}
	return ks, nil
}

func (d *sysctlProcs) List(context.Context) ([]Proc, error) {
	ks, err := d.kinfos("kern.proc.all")
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	procs := make([]Proc, 0, len(ks))
	for _, k := range ks {
		if k.PID > 0 { // kernel_task (pid 0, its own parent): Linux lists no such process
			procs = append(procs, k.proc())
		}
	}
	d.cwds.setHint(cwdHints(ks, d.uid))
	return procs, nil
}

func (d *sysctlProcs) Get(_ context.Context, pid int) (Proc, error) {
	ks, err := d.kinfos("kern.proc.pid", pid)
	if err != nil {
		return Proc{}, fmt.Errorf("process %d: %w", pid, err)
	}
	if len(ks) != 1 || ks[0].PID != pid {
		return Proc{}, fmt.Errorf("process %d: not found", pid)
	}
	return ks[0].proc(), nil
}

// Cwd reads pid's start (a sysctl) to key the cache, then the cwd from the
// cache or one lsof run for it and the hinted processes.
func (d *sysctlProcs) Cwd(ctx context.Context, pid int) (string, error) {
	p, err := d.Get(ctx, pid)
	if err != nil {
		return "", fmt.Errorf("cwd of process %d: %w", pid, err)
	}
	return d.cwds.get(ctx, pid, p.Start)
}

func (d *sysctlProcs) lsofCwds(ctx context.Context, pids []int) (map[int]string, error) {
	out, err := d.run.Run(ctx, lsofCwdArgv(pids)...)
	// lsof exits 1 when any pid is gone or unreadable yet lists the others.
	return parseLsofCwds(out), err
}

func (d *sysctlProcs) args(pid int) (procArgs, error) {
	buf, err := d.sysctl("kern.procargs2", pid)
	if err != nil {
		return procArgs{}, fmt.Errorf("sysctl kern.procargs2 %d: %w", pid, err)
	}
	return parseProcArgs2(buf)
}

func (d *sysctlProcs) Cmdline(_ context.Context, pid int) ([]string, error) {
	pa, err := d.args(pid)
	if err != nil {
		return nil, fmt.Errorf("cmdline of process %d: %w", pid, err)
	}
	return pa.Argv, nil
}

func (d *sysctlProcs) Exe(_ context.Context, pid int) (string, error) {
	pa, err := d.args(pid)
	if err != nil {
		return "", fmt.Errorf("exe of process %d: %w", pid, err)
	}
	return pa.Exe, nil
}

// Environ is the environment at exec, as /proc/<pid>/environ is on Linux.
// The kernel gives it only for our own processes (or to root).
func (d *sysctlProcs) Environ(_ context.Context, pid int) ([]string, error) {
	pa, err := d.args(pid)
	if err != nil {
		return nil, fmt.Errorf("environment of process %d: %w", pid, err)
	}
	return pa.Env, nil
}

// Stdio asks lsof for descriptors 0-2 ("f0", "n/dev/ttys003", …). Only
// Claude's own foreground children are asked, before typing.
func (d *sysctlProcs) Stdio(ctx context.Context, pid int) ([]string, error) {
	out, err := d.run.Run(ctx, "lsof", "-w", "-a", "-p", strconv.Itoa(pid), "-d", "0-2", "-Fn")
	if err != nil {
		return nil, fmt.Errorf("stdio of process %d: %w", pid, err)
	}
	return parseLsofStdio(out), nil
}
