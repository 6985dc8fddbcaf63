package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/backends"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/paths"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
	"github.com/ccwake/ccwake/watch"
)

// runStatus is `ccwake status` with args parsed as on the command line, for
// tests that read its output: the exit status for scripts (3, 4) is not an
// error here; the CLI tests check it on the binary.
func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := &cli{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	err := c.exec(ctx, findCommand("status"), args)
	if _, ok := errors.AsType[status.ExitStatus](err); ok {
		return nil
	}
	return err
}

// statusOptions are status.Options from the command line: the roots,
// backends, policy and hosts resolved here, the streams and clock passed
// in. `status` and `serve --stdio --status` share them.
func statusOptions(c *cli, o *options) status.Options {
	roots, rootsErr := paths.Roots(o.roots, c.getenv)
	names, backendsErr := backends.Names(o.backends, exec.LookPath)
	bin, binErr := o.claudePath()
	stateDir, _ := paths.StateDir(o.stateDir, nil, c.getenv)
	return status.Options{
		Stdout: c.stdout, Stderr: c.stderr, Stdin: os.Stdin, Getenv: c.getenv, Now: time.Now, Loc: time.Local,
		All: o.all, JSON: o.json, Line: o.line, Wide: o.wide, Follow: o.follow,
		Roots: roots, RootsErr: rootsErr, Since: o.since, Watch: watch.Backend(o.watch),
		Backends: names, BackendsErr: backendsErr, TmuxSocket: o.tmuxSocket,
		Engine: o.engineConfig(), ClaudeBin: bin, ClaudeErr: binErr, Settings: func() any { return o.jsonSettings(c) },
		SocketDirs: socketDirs(o, c.getenv, stateDir),
		Hosts:      o.hosts, SSH: strings.Fields(paths.ExpandHome(o.sshCommand, os.Getenv)), RemoteCCWake: o.remoteCCWake,
		Host: hostName(), Wire: wireUpdate,
	}
}

// runStatusCmd maps the command line onto status.Run: the roots, backends,
// policy and hosts resolved here, the streams and clock passed in.
func runStatusCmd(ctx context.Context, c *cli, o *options, _ []string) error {
	if len(o.hosts) > 0 && !o.follow && !(o.json && o.line) { // those mistakes are said first
		if err := o.checkHosts("status"); err != nil {
			return err
		}
	}
	err := status.Run(ctx, statusOptions(c, o))
	if ue, ok := errors.AsType[*status.UsageError](err); ok {
		return usagef("status", "%s", ue.Msg)
	}
	if errors.Is(err, status.ErrHostFailed) {
		return errReported
	}
	return err
}
