package procs

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
)

// Proc is one process as the pane locator needs it.
type Proc struct {
	PID, PPID int
	PGID      int    // process group
	TPGID     int    // foreground process group of the process's terminal (-1: none)
	Comm      string // short command name (Linux: /proc/<pid>/stat field 2)
	// Start identifies this incarnation of the PID. Linux: field 22 of
	// /proc/<pid>/stat (clock ticks after boot); macOS: ps's lstart in UTC
	// ("Tue Nov  3 19:00:00 2026"). Either is what Claude Code writes as
	// "procStart" in sessions/<pid>.json. "" when unknown.
	Start string
	// Exited: a zombie (state Z or X) not reaped yet. It holds no session;
	// tmux 3.3a was seen to leave a killed pane's process unreaped for 30 s.
	Exited bool
}

// ErrExiting is what Cwd answers for a process that is past the point of
// no return: on Linux /proc/<pid>/cwd has no target once do_exit has
// released the process's fs, a moment before it turns zombie (and for a
// zombie). Such a process never again reads a terminal, so it holds no
// session; a cwd that cannot be read for any other reason (another user's
// process) stays a doubt.
var ErrExiting = errors.New("the process is exiting")

// Table is the small slice of the OS process table ccwake reads. Linux
// reads /proc; macOS asks sysctl, and lsof for cwds and descriptors.
type Table interface {
	// List returns every process visible to us.
	List(ctx context.Context) ([]Proc, error)
	// Get returns one process; an error when it does not exist.
	Get(ctx context.Context, pid int) (Proc, error)
	// Cwd returns the process's working directory.
	Cwd(ctx context.Context, pid int) (string, error)
	// Cmdline returns the process's argv.
	Cmdline(ctx context.Context, pid int) ([]string, error)
	// Exe returns the path of the process's executable.
	Exe(ctx context.Context, pid int) (string, error)
	// Environ returns the process's environment as it was at exec
	// ("KEY=value"), which is what Claude Code read its CLAUDE_CONFIG_DIR
	// and HOME from. ErrEnvUnknown where the OS does not tell.
	Environ(ctx context.Context, pid int) ([]string, error)
	// Stdio returns what the process's file descriptors 0, 1 and 2 point
	// to ("/dev/pts/4", "pipe:[123]", "" for a closed one): an editor holds
	// the terminal there, a tool or MCP server pipes.
	Stdio(ctx context.Context, pid int) ([]string, error)
}

// Tree indexes one snapshot of the process table by parent, built once
// per Locate call.
type Tree struct {
	byPID    map[int]Proc
	children map[int][]int
}

func NewTree(procs []Proc) *Tree {
	t := &Tree{byPID: make(map[int]Proc, len(procs)), children: make(map[int][]int)}
	for _, p := range procs {
		t.byPID[p.PID] = p
		if p.PPID != p.PID {
			t.children[p.PPID] = append(t.children[p.PPID], p.PID)
		}
	}
	return t
}

// Get returns the process pid of the table the tree was built from.
func (t *Tree) Get(pid int) (Proc, bool) {
	p, ok := t.byPID[pid]
	return p, ok
}

// descendants returns root and everything below it, breadth first: an
// ancestor always comes before its children.
func (t *Tree) Descendants(root int) []int {
	if _, ok := t.byPID[root]; !ok {
		return nil
	}
	out := []int{root}
	seen := map[int]bool{root: true}
	for i := 0; i < len(out); i++ {
		for _, c := range t.children[out[i]] {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// contains reports whether pid is root or below it.
func (t *Tree) Contains(root, pid int) bool {
	for range 256 { // walk up; bounded in case of a corrupt snapshot
		if pid == root {
			return true
		}
		p, ok := t.byPID[pid]
		if !ok || p.PPID == pid || p.PPID <= 0 {
			return false
		}
		pid = p.PPID
	}
	return false
}

// versionComm: native builds on macOS show up as their version, "2.1.34".
var versionComm = regexp.MustCompile(`^\d+\.\d+\.\d+$`)

// IsClaudeName reports whether a command name (comm, exe basename or
// #{pane_current_command}) can be Claude Code: "claude" (native build on
// Linux), a version string (native build on macOS) or "node" (npm cli.js
// build; its argv must then be checked).
func IsClaudeName(name string) bool {
	return name == "claude" || name == "node" || versionComm.MatchString(name)
}

// isClaudeCLI reports whether a node argv runs the npm package's cli.js.
func isClaudeCLI(argv []string) bool {
	for _, a := range argv {
		a = filepath.ToSlash(a)
		if strings.HasSuffix(a, "/cli.js") && strings.Contains(a, "@anthropic-ai/claude-code") {
			return true
		}
	}
	return false
}

// LooksLikeClaude decides whether p is a Claude Code process: comm or exe
// basename "claude", a version-string comm, or node running the npm cli.js.
func LooksLikeClaude(ctx context.Context, procs Table, p Proc) bool {
	switch {
	case p.Comm == "claude" || versionComm.MatchString(p.Comm):
		return true
	case p.Comm == "node":
		argv, err := procs.Cmdline(ctx, p.PID)
		return err == nil && isClaudeCLI(argv)
	}
	// comm is cut to 15 bytes and a renamed thread may change it; the
	// executable's name is the second opinion.
	exe, err := procs.Exe(ctx, p.PID)
	return err == nil && filepath.Base(exe) == "claude"
}

// SameDir compares a process cwd with a session cwd. The session's cwd is
// what Claude Code recorded; the process cwd is resolved by the kernel, so
// a symlinked session cwd is resolved before giving up.
func SameDir(procCwd, sessionCwd string) bool {
	if procCwd == "" || sessionCwd == "" {
		return false
	}
	procCwd = filepath.Clean(strings.TrimSuffix(procCwd, " (deleted)"))
	if procCwd == filepath.Clean(sessionCwd) {
		return true
	}
	resolved, err := filepath.EvalSymlinks(sessionCwd)
	return err == nil && filepath.Clean(resolved) == procCwd
}

// StartMatches compares a sessions file's procStart with a live process:
// equal when both are known; unknown on either side counts as a match only
// where the OS gives no comparable value.
func StartMatches(fileStart, procStart string) bool {
	if fileStart == "" || procStart == "" {
		return procStart == "" // the OS gave nothing to compare
	}
	return fileStart == procStart
}

// IsTerminal reports whether a descriptor target is a terminal device.
func IsTerminal(target, paneTTY string) bool {
	return target != "" && (target == paneTTY || strings.HasPrefix(target, "/dev/pts/") ||
		strings.HasPrefix(target, "/dev/tty") || target == "/dev/console")
}
