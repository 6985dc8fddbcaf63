package main

import (
	"log/slog"

	"github.com/ccwake/ccwake/notify"
)

// notifyOptions are the --notify-* flags of the dashboard and --auto.
type notifyOptions struct {
	cmd     string
	url     string
	format  string
	desktop bool
	bell    bool
}

func (n *notifyOptions) register(fs *flagSet) {
	fs.StringVar(&n.cmd, "notify-cmd", "", "run `CMD` with sh -c for each notification, its JSON on stdin")
	fs.StringVar(&n.url, "notify-url", "", "POST each notification to `URL`")
	fs.StringVar(&n.format, "notify-format", notify.FormatAuto, "body of --notify-url: auto (text for ntfy hosts, else json), json or text")
	fs.BoolVar(&n.desktop, "notify-desktop", false, "show notifications on the desktop (D-Bus on Linux, osascript on macOS)")
	fs.BoolVar(&n.bell, "notify-bell", true, "dashboard: ring the terminal bell when a session needs you (fatal, gave up, blocked)")
}

// sinks checks the flags and builds the channels they ask for; a bad URL or
// format fails at start, not at the first stall. bell, when not nil, gets a
// non-blocking send per ring (the dashboard writes the BEL).
func (n *notifyOptions) sinks(log *slog.Logger, bell chan<- struct{}) ([]notify.Sink, error) {
	var out []notify.Sink
	if n.bell && bell != nil {
		out = append(out, notify.Bell{Ring: func() {
			select {
			case bell <- struct{}{}:
			default: // one ring pending is enough
			}
		}})
	}
	if n.desktop {
		out = append(out, notify.NewDesktop(""))
	}
	if n.cmd != "" {
		out = append(out, notify.Command{Cmd: n.cmd, Logger: log})
	}
	if n.url != "" {
		u, err := notify.NewURL(n.url, n.format, nil)
		if err != nil {
			return nil, err
		}
		// A failed POST (5xx, refused, a restart) is tried again with backoff,
		// a few minutes at most, beside the other events, never in their way.
		out = append(out, notify.NewRetrying(u, notify.RetryConfig{Logger: log}))
	}
	return out, nil
}

// channels names the notification channels the flags turn on.
func (n notifyOptions) channels() []string {
	out := []string{}
	for _, c := range []struct {
		on   bool
		name string
	}{{n.bell, "bell"}, {n.desktop, "desktop"}, {n.cmd != "", "cmd"}, {n.url != "", "url"}} {
		if c.on {
			out = append(out, c.name)
		}
	}
	return out
}
