package serve

import (
	"log/slog"
	"time"

	"github.com/ccwake/ccwake/notify"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/mux/tmux"
	"github.com/ccwake/ccwake/watch"
)

// Options are what Start needs, resolved by the command line: the roots,
// the policy, the record's place, the log and the notifiers. The clock and
// environment are passed in.
type Options struct {
	Roots  []string
	Since  time.Duration
	Watch  watch.Backend
	Loc    *time.Location
	Now    func() time.Time
	Getenv func(string) string

	Backends     []string // the terminal backends to find panes in
	BackendsErr  error    // why there are none (every Locate then says why)
	BackendsFlag string   // --backends as given, for the log
	TmuxSocket   string

	Engine     resume.Config // the policy; Start sets the roots, locks, Auto and the record
	DryRun     bool
	Reopen     bool // --reopen, for the log
	RecordBase string
	Record     func(root string) (string, error) // where root's record of what was typed is
	Legacy     []string                          // the record files of earlier versions
	// ReopenConfig is how reopening runs claude, given the tmux it uses.
	ReopenConfig func(*tmux.Tmux, *slog.Logger) (resume.ReopenConfig, error)

	Log        *slog.Logger
	LogFailed  <-chan error // the log file's first failure
	Sinks      []notify.Sink
	SocketDirs []string // where the local socket is served
	Wire       Wire
}
