// Package serve runs one engine with its watcher, notifier and local
// socket (a Stack), for --auto, the dashboard and `serve --stdio`, and
// writes what it knows on the wire (Wire): the JSON lines a dashboard on
// another machine, an attached dashboard or `status --follow` read.
package serve

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/ccwake/ccwake/notify"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// Wire names this machine and ccwake's version in what is written.
type Wire struct {
	Host    string
	Version string
}

// Stdio speaks the protocol on stdin and stdout for the engine of st
// (started as --auto starts it): a hello, then an update line whenever the
// shown sessions change, and an answer to each command read from stdin. It
// ends when stdin closes (the ssh connection went) or ctx does.
func Stdio(ctx context.Context, st *Stack, stdin io.Reader, stdout io.Writer) error {
	ch, unsub := st.Hub.Subscribe()
	defer unsub()
	if err := st.server.Serve(ctx, stdin, stdout, ch); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// Server is the protocol server of eng. full is the local socket's: every
// action the engine keeps, so an attached dashboard shows the history it
// would show itself; else (ssh) the newest 5 per session and 50 in the log.
func (w Wire) Server(eng *resume.Engine, ids []string, full bool) *remote.Server {
	hist, logN := 5, 50
	if full {
		hist, logN = math.MaxInt, math.MaxInt
	}
	return &remote.Server{
		Src:   eng,
		Hello: remote.Hello{Version: w.Version, Host: w.Host, Proto: remote.Proto, PID: os.Getpid(), RootIDs: ids},
		Build: func(snap resume.Snapshot, now time.Time) remote.Update { return w.ServeUpdateN(snap, now, hist, logN) },
		Key:   remote.UpdateKey,
	}
}

// ServeUpdate is the snapshot's shown sessions: stalled ones, and any the
// resumer holds in a phase of its own (paused, resumed a moment ago, …).
func (w Wire) ServeUpdate(snap resume.Snapshot, now time.Time) remote.Update {
	return w.ServeUpdateN(snap, now, 5, 50)
}

// ServeUpdateN is serveUpdate with the newest hist actions per session and
// logN in the log.
func (w Wire) ServeUpdateN(snap resume.Snapshot, now time.Time, hist, logN int) remote.Update {
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
	u := w.UpdateN(snap, sts, now, hist)
	u.Log = snap.Log[max(0, len(snap.Log)-logN):]
	return u
}

// HostName names this machine on the wire.
func HostName() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "localhost"
	}
	return h
}

// Update is one Update line of statuses: the noteworthy sessions (stalled,
// or in a phase the dashboard shows) with their newest actions.
func (w Wire) Update(snap resume.Snapshot, sts []resume.Status, now time.Time) remote.Update {
	return w.UpdateN(snap, sts, now, 5)
}

// UpdateN is Update with the newest hist actions of each session.
func (w Wire) UpdateN(snap resume.Snapshot, sts []resume.Status, now time.Time, hist int) remote.Update {
	u := remote.Update{
		Host: w.Host, Version: w.Version, Time: *remote.Time(now),
		Auto: snap.Auto, DryRun: snap.DryRun, LockHeldBy: snap.LockHeldBy, Roots: snap.Roots,
		Transcripts: snap.Transcripts, ResumedDay: snap.ResumedDay,
		Sessions: make([]remote.Session, 0, len(sts)),
	}
	for _, st := range sts {
		u.Sessions = append(u.Sessions, remote.FromStatus(st, hist))
	}
	return u
}

// startNotifier polls src and tells the sinks until the returned stop is
// called (stop waits for deliveries in flight, each bounded by a timeout).
// With no sinks it does nothing.
func startNotifier(ctx context.Context, src notify.Source, sinks []notify.Sink, log *slog.Logger) (stop func()) {
	if len(sinks) == 0 {
		return func() {}
	}
	names := make([]string, len(sinks))
	for i, s := range sinks {
		names[i] = s.Name()
	}
	log.Info("notifications on", "channels", names)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = notify.New(notify.Config{Logger: log}, src, sinks...).Run(ctx)
	}()
	return func() { cancel(); <-done }
}
