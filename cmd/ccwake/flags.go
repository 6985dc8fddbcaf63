package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// errUsage marks a command-line mistake: exit status 2, usage already printed.
var errUsage = errors.New("usage")

// errHelp means -h/--help was asked for: usage printed, exit status 0.
var errHelp = errors.New("help")

// stringList is a repeatable string flag (--claude-dir A --claude-dir B).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// backoff is one kind's full-jitter exponential backoff: base·2^attempt, capped.
type backoff struct{ base, cap time.Duration }

// options holds every flag; each subcommand registers the ones it uses.
type options struct {
	roots      stringList
	since      time.Duration
	tmuxSocket string

	// status
	json bool
	all  bool

	// resumer
	auto        bool
	dryRun      bool
	message     string
	maxAttempts int
	resetMargin time.Duration
	throttle    backoff
	rateLimit   backoff
	overloaded  backoff
	serverError backoff
	seed        int64
	stagger     time.Duration
	capProbe    time.Duration

	logFormat string
	logFile   string
	stateDir  string
}

// commonFlags are shared by every mode.
func (o *options) commonFlags(fs *flag.FlagSet) {
	fs.Var(&o.roots, "claude-dir", "Claude config root to watch (repeatable; default $CLAUDE_CONFIG_DIR, else ~/.claude)")
	fs.DurationVar(&o.since, "since", 168*time.Hour, "consider transcripts modified within this window (weekly caps last days)")
	fs.StringVar(&o.tmuxSocket, "tmux-socket", "", "tmux server socket (like tmux -S; default: the server of $TMUX, else tmux's default)")
}

// resumeFlags configure the engine: the wait policy and how to type.
func (o *options) resumeFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.message, "message", "continue", "text typed into a stalled session")
	fs.IntVar(&o.maxAttempts, "max-attempts", 6, "type continue at most this many times per stall, then give up")
	fs.DurationVar(&o.resetMargin, "reset-margin", 60*time.Second, "wait this long past a usage cap's reset time")
	backoffFlags(fs, &o.throttle, "throttle", "transient server throttles", time.Second, 30*time.Second)
	backoffFlags(fs, &o.rateLimit, "rate-limit", "account rate limits", 15*time.Second, 5*time.Minute)
	backoffFlags(fs, &o.overloaded, "overloaded", "529 overloaded", 2*time.Second, time.Minute)
	backoffFlags(fs, &o.serverError, "server-error", "5xx, timeouts and connection errors", 2*time.Second, time.Minute)
	fs.Int64Var(&o.seed, "seed", 0, "seed for the backoff jitter (0: random); for reproducible runs")
	fs.DurationVar(&o.stagger, "stagger", 10*time.Second, "resume sessions behind the same usage cap this far apart, oldest stall first (0: all at once)")
	fs.DurationVar(&o.capProbe, "cap-probe", 15*time.Minute, "first probe of a usage cap that states no reset; doubles per error up to the cap's window (5 h, weekly 7 d)")
}

func backoffFlags(fs *flag.FlagSet, b *backoff, name, what string, base, cap time.Duration) {
	fs.DurationVar(&b.base, name+"-base", base, "backoff base for "+what)
	fs.DurationVar(&b.cap, name+"-cap", cap, "backoff cap for "+what)
}

// parseArgs is what every mode does first: register the shared flags and
// the mode's own (extra), parse args, and resolve the Claude roots.
func (o *options) parseArgs(name, usage string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	o.commonFlags(fs)
	o.resumeFlags(fs)
	extra(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, stderr); err != nil {
		return nil, err
	}
	return resolveRoots(o.roots, os.Getenv)
}

// parse parses args with fs and turns flag errors into errUsage.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ccwake: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}
