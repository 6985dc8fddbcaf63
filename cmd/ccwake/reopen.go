package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"os/exec"
	"path/filepath"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/mux/tmux"
	"github.com/ccwake/ccwake/resume/procs"
)

// claudePath resolves --claude-bin to an absolute path, as exec would find
// it on $PATH: the dashboard and status show what would run, and a later
// change of $PATH or cwd does not change it.
func (o *options) claudePath() (string, error) {
	name := o.claudeBin
	if name == "" {
		name = "claude"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("--claude-bin %s: %w", name, err)
	}
	if p, err = filepath.Abs(p); err != nil {
		return "", fmt.Errorf("--claude-bin %s: %w", name, err)
	}
	return p, nil
}

// reopenConfig wires reopening for the engine: the claude to run, tmux to
// start it in, the process table to tell whether anything still holds a
// session. Without a claude, --reopen is an error and R is off.
func (o *options) reopenConfig(c *cli, client *tmux.Tmux, log *slog.Logger) (resume.ReopenConfig, error) {
	bin, err := o.claudePath()
	if err != nil {
		if o.reopen {
			return resume.ReopenConfig{}, fmt.Errorf("--reopen: %w", err)
		}
		log.Info("reopening off: no claude to run", "err", err)
		return resume.ReopenConfig{}, nil
	}
	if _, err := exec.LookPath("tmux"); err != nil { // --reopen checked it at start
		log.Info("reopening off: no tmux to start sessions in", "err", err)
		return resume.ReopenConfig{}, nil
	}
	return resume.ReopenConfig{
		Auto:      o.reopen,
		ClaudeBin: bin,
		Home:      c.getenv("HOME"),
		Spawner:   tmux.Spawner{Tmux: client},
		Holders:   procs.HolderFinder{Procs: procs.NewHost(mux.ExecRunner{})},
	}, nil
}

// jsonSettings is the "settings" object of `status --json`: what reopening
// and notifications are set to (flags, environment, config file).
type jsonSettings struct {
	Reopen jsonReopen `json:"reopen"`
	Notify jsonNotify `json:"notify"`
}

type jsonReopen struct {
	Enabled   bool    `json:"enabled"`    // --reopen: automatic
	ClaudeBin *string `json:"claude_bin"` // absolute path; null when none was found
	Error     *string `json:"error"`      // why there is none
}

// jsonNotify names the channels, never their secrets: a webhook's token
// sits in its path, a command may hold one.
type jsonNotify struct {
	Channels []string `json:"channels"` // "bell", "desktop", "cmd", "url"
	URLHost  *string  `json:"url_host"` // scheme://host of --notify-url
	Format   string   `json:"format"`   // --notify-format
}

func (o *options) jsonSettings(*cli) jsonSettings {
	var s jsonSettings
	s.Reopen.Enabled = o.reopen
	if bin, err := o.claudePath(); err != nil {
		s.Reopen.Error = remote.Str(err.Error())
	} else {
		s.Reopen.ClaudeBin = &bin
	}
	n := o.notify
	s.Notify.Channels = n.channels()
	s.Notify.Format = n.format
	if n.url != "" {
		if u, err := url.Parse(n.url); err == nil && u.Host != "" {
			s.Notify.URLHost = remote.Str(u.Scheme + "://" + u.Host)
		}
	}
	return s
}
