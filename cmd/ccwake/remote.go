package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/paths"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/serve"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/ui"
)

// Several machines: the dashboard and `status` follow other hosts over ssh,
// where their own ccwake runs `serve --stdio` (see the README section
// "Several machines").

// hostFlags say which other machines to show and how to reach them.
func (o *options) hostFlags(f *flagSet) {
	f.Var(&o.hosts, "host", "also show the sessions of `HOST` (an ssh config alias or user@box) over ssh (repeatable); the ccwake there resumes them")
	f.StringVar(&o.sshCommand, "ssh-command", "ssh", "the ssh program and options, split at spaces (no quoting), like \"ssh -F ~/.ssh/alt -p 2222\"")
	f.StringVar(&o.remoteCCWake, "remote-ccwake", "ccwake", "how the hosts run ccwake, split at spaces by their shell (a path, or flags before the command, like \"~/bin/ccwake --claude-dir ~/.claude\")")
}

// checkHosts refuses host names ssh would read as options.
func (o *options) checkHosts(cmd string) error {
	for _, h := range o.hosts {
		if err := remote.CheckHost(h); err != nil {
			return usagef(cmd, "--host: %v", err)
		}
	}
	if len(o.hosts) > 0 && len(strings.Fields(o.sshCommand)) == 0 {
		return usagef(cmd, "--ssh-command: must not be empty")
	}
	return nil
}

// hostClients are the ssh clients of --host, each running remoteArgs.
func (o *options) hostClients(remoteArgs string, log *slog.Logger) []*remote.Client {
	out := make([]*remote.Client, 0, len(o.hosts))
	for _, h := range o.hosts {
		out = append(out, remote.New(remote.Config{
			Host:   h,
			SSH:    strings.Fields(paths.ExpandHome(o.sshCommand, os.Getenv)),
			Remote: o.remoteCCWake + " " + remoteArgs,
			Logger: log,
		}))
	}
	return out
}

// withHosts is what the dashboard shows: the local engine alone, or with
// --host, merged with every host's (started here, stopped with ctx).
func withHosts(ctx context.Context, o *options, eng remote.Local, log *slog.Logger) ui.Engine {
	if len(o.hosts) == 0 {
		return eng
	}
	m := remote.NewMulti(eng, o.hostClients("serve --stdio", log))
	go m.Run(ctx)
	return m
}

// wire is this machine's name and version on the wire.
func wire() serve.Wire { return serve.Wire{Host: hostName(), Version: versionWord()} }

// hostName names this machine on the wire.
func hostName() string { return serve.HostName() }

// versionWord is the version alone ("v1.2.3", "devel").
func versionWord() string {
	f := strings.Fields(versionLine())
	if len(f) < 2 {
		return "devel"
	}
	return f[1]
}

// wireUpdate is one Update line of statuses, as serve.Wire.Update.
func wireUpdate(snap resume.Snapshot, sts []resume.Status, now time.Time) remote.Update {
	return wire().Update(snap, sts, now)
}
