package notify

import (
	"log/slog"
	"os"
	"time"

	"github.com/ccwake/ccwake/resume"
)

// Defaults, in one place. Each is a Config field; zero takes the default.
const (
	// DefaultLongWait: a stall whose next resume is this far away is worth
	// telling (usage caps; not the backoffs of throttles and rate limits,
	// which cap at 5 minutes by default).
	DefaultLongWait = 10 * time.Minute
	// DefaultBlockedAfter: a guard refusing this long (draft, dialog, no
	// pane) needs a human.
	DefaultBlockedAfter = 5 * time.Minute
	// DefaultBacklog: stalls whose newest error is older than this before
	// start raise nothing.
	DefaultBacklog = time.Hour
	// DefaultPoll: how often the snapshot is read. Notifications are for
	// humans; a second late is fine.
	DefaultPoll = time.Second
	// DefaultRateMax notifications per DefaultRateWindow at most; the rest
	// are coalesced into one summary.
	DefaultRateMax    = 5
	DefaultRateWindow = time.Minute
	// DefaultTimeout bounds one delivery (a command, a POST, a D-Bus call).
	DefaultTimeout = 10 * time.Second
	// DefaultQueue is how many notifications may wait for delivery; more are
	// dropped with a warning so a hung sink never holds the notifier up.
	DefaultQueue = 32

	// DefaultAttempts: how often a failed POST is tried in all (Retrying).
	// With DefaultBackoff and DefaultMaxBackoff the waits between are 5s,
	// 10s, 20s, 40s, 60s: a server restarting is caught, and an event is
	// given up within about three minutes (plus the attempts' timeouts).
	DefaultAttempts = 6
	// DefaultBackoff is the first wait before trying again; each next one
	// doubles, up to DefaultMaxBackoff.
	DefaultBackoff    = 5 * time.Second
	DefaultMaxBackoff = time.Minute
	// MaxRetryAfter caps a server's Retry-After: minutes, not hours.
	MaxRetryAfter = 5 * time.Minute
	// DefaultInFlight: attempts of one Retrying sink run at once, so a
	// server that accepts and never answers holds up only these.
	DefaultInFlight = 4
)

// Config tunes the Notifier and its Detector.
type Config struct {
	LongWait     time.Duration
	BlockedAfter time.Duration
	Backlog      time.Duration
	Poll         time.Duration
	RateMax      int
	RateWindow   time.Duration
	Queue        int
	Timeout      time.Duration // one delivery

	Host string         // the "host" field; default os.Hostname
	Loc  *time.Location // zone for times in messages; default time.Local

	Clock  resume.Clock // default the wall clock
	Logger *slog.Logger // delivery failures and drops; default discard
}

func (c Config) withDefaults() Config {
	dur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	dur(&c.LongWait, DefaultLongWait)
	dur(&c.BlockedAfter, DefaultBlockedAfter)
	dur(&c.Backlog, DefaultBacklog)
	dur(&c.Poll, DefaultPoll)
	dur(&c.RateWindow, DefaultRateWindow)
	dur(&c.Timeout, DefaultTimeout)
	if c.RateMax <= 0 {
		c.RateMax = DefaultRateMax
	}
	if c.Queue <= 0 {
		c.Queue = DefaultQueue
	}
	if c.Host == "" {
		c.Host, _ = os.Hostname()
	}
	if c.Loc == nil {
		c.Loc = time.Local
	}
	if c.Clock == nil {
		c.Clock = resume.RealClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
