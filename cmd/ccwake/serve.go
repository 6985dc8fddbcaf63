package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ccwake/ccwake/internal/termsafe"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// serveCommand is `ccwake serve --stdio`: what a dashboard on another
// machine runs over ssh.
func serveCommand() *command {
	return &command{
		name:     "serve",
		summary:  "run as --auto does and talk JSON lines on stdin/stdout (what `ccwake --host` runs over ssh)",
		synopsis: []string{"serve --stdio [flags]"},
		flags: func(o *options, f *flagSet) {
			f.section("Watching", o.watchFlags)
			f.section("Resuming", func(f *flagSet) {
				f.BoolVar(&o.stdio, "stdio", false, "speak the protocol on stdin and stdout (required)")
				f.BoolVar(&o.dryRun, "dry-run", false, "decide and log, but never type")
				f.StringVar(&o.stateDir, "state-dir", "", "where earlier versions kept the record of what was typed; still read (default $XDG_STATE_HOME/ccwake, else ~/.local/state/ccwake). The record itself is per root under the passwd home")
				o.resumeFlags(f)
			})
			f.section("Output", o.logFlags)
			f.section("Settings", o.metaFlags)
		},
		run: func(ctx context.Context, c *cli, o *options, _ []string) error {
			if !o.stdio {
				return usagef("serve", "serve needs --stdio: it speaks JSON lines on stdin and stdout")
			}
			o.auto = true // the same engine, lock and guards as --auto
			return runMainCmd(ctx, c, o, nil)
		},
	}
}

// lineOut writes whole JSON lines from several goroutines.
type lineOut struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

func (l *lineOut) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = termsafe.JSON(b) // C1 and bidi controls escaped: the same value, safe on a terminal
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		_, l.err = l.w.Write(append(b, '\n'))
	}
	return l.err
}

// serveStdio runs eng as --auto does and speaks the protocol: a hello, then
// an update line whenever the shown sessions change, and an answer to each
// command read from stdin. It ends when stdin closes (the ssh connection
// went) or ctx does.
func serveStdio(ctx context.Context, c *cli, eng *resume.Engine, events <-chan watch.Event) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := &lineOut{w: c.stdout}
	if err := out.write(remote.Line{Hello: &remote.Hello{Version: versionWord(), Host: hostName(), Proto: remote.Proto}}); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	engErr := make(chan error, 1)
	go func() { engErr <- eng.Run(ctx, events) }()
	go func() {
		serveCommands(ctx, os.Stdin, eng, out)
		cancel() // stdin closed: the client is gone
	}()

	tick := time.NewTicker(time.Minute) // resumed rows age out
	defer tick.Stop()
	sendChanges(ctx, eng, tick.C,
		func() remote.Update { return serveUpdate(eng.Snapshot(), time.Now()) },
		updateKey, func(u remote.Update) error { return out.write(remote.Line{Update: &u}) })
	cancel()
	return <-engErr
}

// sendChanges sends build's update now and again after each engine change
// and each tick (nil: none), but only when its key differs from the last
// one sent. It returns when ctx ends, the engine stops, or a send fails.
func sendChanges(ctx context.Context, eng *resume.Engine, tick <-chan time.Time, build func() remote.Update, key func(remote.Update) []byte, send func(remote.Update) error) {
	var last []byte
	for {
		u := build()
		if k := key(u); !bytes.Equal(k, last) {
			if send(u) != nil {
				return
			}
			last = k
		}
		select {
		case <-ctx.Done():
			return
		case _, ok := <-eng.Changes():
			if !ok {
				return
			}
		case <-tick:
		}
	}
}

// serveUpdate is the snapshot's shown sessions: stalled ones, and any the
// resumer holds in a phase of its own (paused, resumed a moment ago, …).
func serveUpdate(snap resume.Snapshot, now time.Time) remote.Update {
	var sts []resume.Status
	for _, st := range snap.Sessions {
		switch {
		case st.Session.State == watch.Stalled:
		case st.Phase == resume.Idle || st.Phase == resume.Watching || st.Phase == "":
			continue
		case st.Phase == resume.Resumed && now.Sub(st.LastActivity()) > time.Hour:
			continue
		}
		sts = append(sts, st)
	}
	u := wireUpdate(snap, sts, now)
	u.Log = snap.Log[max(0, len(snap.Log)-50):]
	return u
}

// updateKey is the update without its time: a line goes out only when
// something in it changed.
func updateKey(u remote.Update) []byte {
	u.Time = ""
	b, _ := json.Marshal(u)
	return b
}

// serveCommands acts on each command line of in until it ends: retry,
// pause, resume, dismiss, each for one session named by id or transcript.
// Anything else gets an error line and is never acted on.
func serveCommands(ctx context.Context, in io.Reader, eng *resume.Engine, out *lineOut) {
	lines := make(chan []byte)
	go func() { _ = remote.ReadLines(ctx, in, lines) }()
	for b := range lines {
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if err := serveCommand1(b, eng, out); err != nil {
			_ = out.write(remote.Line{Error: err.Error()})
		}
	}
}

// serveCommand1 runs one command line.
func serveCommand1(b []byte, eng *resume.Engine, out *lineOut) error {
	var cmd remote.Command
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cmd); err != nil {
		return fmt.Errorf("not a command (want {\"cmd\":…,\"session\":…}): %v", err)
	}
	if !slices.Contains(remote.Commands, cmd.Cmd) {
		return fmt.Errorf("unknown command %q (commands: %s)", cmd.Cmd, strings.Join(remote.Commands, ", "))
	}
	id, err := findSession(eng.Snapshot(), cmd.Session)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd.Cmd, err)
	}
	switch cmd.Cmd {
	case "retry":
		eng.Retry(id)
	case "pause":
		eng.Pause(id, true)
	case "resume":
		eng.Pause(id, false)
	case "dismiss":
		eng.Dismiss(id)
	case "reopen":
		eng.Reopen(id) // only when that machine's ccwake may reopen (--claude-bin found); it decides
	}
	return out.write(remote.Line{OK: &remote.Reply{Cmd: cmd.Cmd, Session: id}})
}

// findSession is the id of the session named by id or transcript path.
func findSession(snap resume.Snapshot, name string) (string, error) {
	if name == "" {
		return "", errors.New("no session named")
	}
	for _, st := range snap.Sessions {
		if st.Session.ID == name || st.Session.Transcript == name {
			return st.Session.ID, nil
		}
	}
	return "", fmt.Errorf("no session %q here", name)
}
