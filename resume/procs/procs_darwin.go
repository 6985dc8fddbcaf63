//go:build darwin

package procs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ccwake/ccwake/resume/mux"
)

// NewHost returns this OS's process table. macOS has no /proc: it asks
// ps and lsof through the Runner (so every call has the Runner's timeout).
func NewHost(r mux.Runner) Table { return darwinProcs{run: r} }

type darwinProcs struct{ run mux.Runner }

// psFields: lstart is five words ("Mon Nov 23 19:00:00 2026"); comm comes
// last because it may contain spaces.
const psFields = "pid=,ppid=,pgid=,tpgid=,lstart=,comm="

func (d darwinProcs) List(ctx context.Context) ([]Proc, error) {
	out, err := d.run.Run(ctx, "ps", "-A", "-o", psFields)
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	var procs []Proc
	for _, line := range strings.Split(string(out), "\n") {
		if p, ok := parsePSLine(line); ok {
			procs = append(procs, p)
		}
	}
	return procs, nil
}

func (d darwinProcs) Get(ctx context.Context, pid int) (Proc, error) {
	out, err := d.run.Run(ctx, "ps", "-o", psFields, "-p", strconv.Itoa(pid))
	if err != nil {
		return Proc{}, fmt.Errorf("process %d: %w", pid, err)
	}
	p, ok := parsePSLine(strings.TrimSpace(string(out)))
	if !ok || p.PID != pid {
		return Proc{}, fmt.Errorf("process %d: not found", pid)
	}
	return p, nil
}

// parsePSLine reads "pid ppid pgid tpgid <lstart: 5 words> comm". macOS
// writes no procStart we could compare, so Start stays "".
func parsePSLine(line string) (Proc, bool) {
	f := strings.Fields(line)
	if len(f) < 10 {
		return Proc{}, false
	}
	var n [4]int
	for i := range n {
		v, err := strconv.Atoi(f[i])
		if err != nil {
			return Proc{}, false
		}
		n[i] = v
	}
	comm := strings.Join(f[9:], " ")
	if i := strings.LastIndexByte(comm, '/'); i >= 0 {
		comm = comm[i+1:]
	}
	return Proc{PID: n[0], PPID: n[1], PGID: n[2], TPGID: n[3], Comm: comm}, true
}

func (d darwinProcs) Cwd(ctx context.Context, pid int) (string, error) {
	out, err := d.run.Run(ctx, "lsof", "-a", "-p", strconv.Itoa(pid), "-d", "cwd", "-Fn")
	if err != nil {
		return "", fmt.Errorf("cwd of process %d: %w", pid, err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "n") {
			return line[1:], nil
		}
	}
	return "", fmt.Errorf("cwd of process %d: not in lsof output", pid)
}

// Cmdline splits ps's command column on spaces: good enough to spot
// ".../@anthropic-ai/claude-code/cli.js".
func (d darwinProcs) Cmdline(ctx context.Context, pid int) ([]string, error) {
	out, err := d.run.Run(ctx, "ps", "-o", "command=", "-p", strconv.Itoa(pid))
	if err != nil {
		return nil, fmt.Errorf("cmdline of process %d: %w", pid, err)
	}
	return strings.Fields(string(out)), nil
}

func (d darwinProcs) Exe(ctx context.Context, pid int) (string, error) {
	out, err := d.run.Run(ctx, "ps", "-o", "comm=", "-p", strconv.Itoa(pid))
	if err != nil {
		return "", fmt.Errorf("exe of process %d: %w", pid, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Environ: ps can print a process's environment only glued to its command
// line with spaces, which cannot be split reliably. Reported as unknown,
// so on macOS a process's Claude root is never taken as evidence.
func (d darwinProcs) Environ(_ context.Context, pid int) ([]string, error) {
	return nil, fmt.Errorf("environment of process %d: %w", pid, ErrEnvUnknown)
}

// Stdio asks lsof for descriptors 0-2 ("f0", "n/dev/ttys003", …).
func (d darwinProcs) Stdio(ctx context.Context, pid int) ([]string, error) {
	out, err := d.run.Run(ctx, "lsof", "-a", "-p", strconv.Itoa(pid), "-d", "0-2", "-Fn")
	if err != nil {
		return nil, fmt.Errorf("stdio of process %d: %w", pid, err)
	}
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
	return fds, nil
}
