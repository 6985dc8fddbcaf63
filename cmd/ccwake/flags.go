package main

import (
	"errors"
	"flag"
	"strconv"
	"strings"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/durfmt"

	"github.com/ccwake/ccwake/watch"
)

// stringList is a repeatable string flag (--claude-dir A --claude-dir B).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// backoff is one kind's full-jitter exponential backoff: base·2^attempt, capped.
type backoff struct{ base, cap time.Duration }

// options holds every setting. Each flag is registered in exactly one
// section below; that one line gives it its help text, its environment
// variable (CCWAKE_<NAME>), its config-file key (<name>), its shell
// completion and its man-page entry.
type options struct {
	// meta: how the settings themselves are found
	config      string
	printConfig bool
	version     bool

	// watching
	roots      stringList
	since      time.Duration
	tmuxSocket string
	backends   string
	watch      watchValue

	// resuming
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
	stateDir    string
	reopen      bool
	claudeBin   string
	notify      notifyOptions

	// output
	logFormat string
	logFile   string
	json      bool // status
	all       bool // status
	wide      bool // status
	line      bool // status
	lines     int  // log

	// several machines (remote.go)
	hosts        stringList
	sshCommand   string
	remoteCCWake string
	follow       bool // status
	stdio        bool // serve
	serveStatus  bool // serve --status: read-only

	probeTimeout time.Duration // doctor: how long each backend program may take
}

// watchFlags say what to watch: every mode that reads transcripts has them.
func (o *options) watchFlags(f *flagSet) {
	f.Var(&o.roots, "claude-dir", "Claude config root to watch, the directory holding projects/ (repeatable; default $CLAUDE_CONFIG_DIR, else ~/.claude)")
	f.DurationVar(&o.since, "since", 7*24*time.Hour, "consider transcripts modified within this window, like 3d or 12h (weekly caps last days; 0: all)")
	f.StringVar(&o.tmuxSocket, "tmux-socket", "", "tmux server socket, like tmux -S (default: the server of $TMUX, else tmux's default)")
	f.StringVar(&o.backends, "backends", "", "terminal backends to find sessions in and type into, comma-separated: tmux, screen, kitty (default: each one installed)")
	o.watch = watchValue(watch.Auto)
	f.Var(&o.watch, "watch", "how changes are seen: inotify, or poll (stat recent transcripts every 0.5 s, the rest every 40 s; no descriptor per file); auto: inotify on Linux, poll elsewhere")
}

// watchValue is --watch: a watch.Backend, checked when set.
type watchValue watch.Backend

func (v *watchValue) String() string { return string(*v) }

func (v *watchValue) Set(s string) error {
	b, err := watch.ParseBackend(s)
	if err != nil {
		return err
	}
	*v = watchValue(b)
	return nil
}

// autoFlags switch the resumer on: only the long-running modes have them.
func (o *options) autoFlags(f *flagSet) {
	f.BoolVar(&o.auto, "auto", false, "run headless: resume stalled sessions and log one line per action")
	f.BoolVar(&o.dryRun, "dry-run", false, "decide and log, but never type")
	f.StringVar(&o.stateDir, "state-dir", "", "where earlier versions kept the record of what was typed; still read (default $XDG_STATE_HOME/ccwake, else ~/.local/state/ccwake). The record itself is per root under the passwd home")
}

// resumeFlags configure the engine: the wait policy and what to type.
func (o *options) resumeFlags(f *flagSet) {
	f.StringVar(&o.message, "message", "continue", "text typed into a stalled session (one line)")
	f.IntVar(&o.maxAttempts, "max-attempts", 6, "type the message at most this many times per stall, then give up")
	f.DurationVar(&o.resetMargin, "reset-margin", 60*time.Second, "wait this long past a usage cap's reset time")
	backoffFlags(f, &o.throttle, "throttle", "transient server throttles", time.Second, 30*time.Second)
	backoffFlags(f, &o.rateLimit, "rate-limit", "account rate limits and usage caps without a reset time", 15*time.Second, 5*time.Minute)
	backoffFlags(f, &o.overloaded, "overloaded", "529 overloaded", 2*time.Second, time.Minute)
	backoffFlags(f, &o.serverError, "server-error", "5xx, timeouts and connection errors", 2*time.Second, time.Minute)
	f.Int64Var(&o.seed, "seed", 0, "seed for the backoff jitter (0: random); for reproducible runs")
	f.DurationVar(&o.stagger, "stagger", 10*time.Second, "resume sessions behind the same usage cap this far apart, oldest stall first (0: all at once)")
	f.DurationVar(&o.capProbe, "cap-probe", 15*time.Minute, "first probe of a usage cap that states no reset; doubles per error up to the cap's window (5 h, weekly 7 d)")
	f.BoolVar(&o.reopen, "reopen", false, "reopen a stalled session no live Claude Code process holds: `claude --resume=<id>` in a new tmux window, then continue (once per stall; the dashboard's R does it for one)")
	f.StringVar(&o.claudeBin, "claude-bin", "claude", "the claude that --reopen and R run (looked up on $PATH at start)")
}

func backoffFlags(f *flagSet, b *backoff, name, what string, base, cap time.Duration) {
	f.DurationVar(&b.base, name+"-base", base, "backoff base for "+what)
	f.DurationVar(&b.cap, name+"-cap", cap, "backoff cap for "+what)
}

// logFlags say where the log goes.
func (o *options) logFlags(f *flagSet) {
	f.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	f.StringVar(&o.logFile, "log-file", "", "append logs to this file, rotated at 5 MiB, 3 kept; off: none (default $XDG_STATE_HOME/ccwake/ccwake.log)")
}

// historyFlags shape `ccwake log` output.
func (o *options) historyFlags(f *flagSet) {
	f.IntVar(&o.lines, "lines", 40, "show this many of the most recent log lines (0: all)")
}

// statusFlags shape `ccwake status` output.
func (o *options) statusFlags(f *flagSet) {
	f.BoolVar(&o.json, "json", false, "print one JSON object instead of a table")
	f.BoolVar(&o.all, "all", false, "list every session seen within --since, not only stalled ones (with --print-config: every setting)")
	f.BoolVar(&o.wide, "wide", false, "every column, nothing cut (the default when stdout is not a terminal and $COLUMNS is unset)")
	f.BoolVar(&o.line, "line", false, "one short line for a tmux status bar, empty when nothing is stalled")
	f.BoolVar(&o.follow, "follow", false, "with --json: one JSON line per change of the stalled sessions or their plans, until stdin closes; never types")
}

// metaFlags are about the settings themselves; never read from the config file.
func (o *options) metaFlags(f *flagSet) {
	f.StringVar(&o.config, "config", "", "read settings from this TOML file (default $XDG_CONFIG_HOME/ccwake/config.toml)")
	f.BoolVar(&o.printConfig, "print-config", false, "print the settings that differ from the defaults as a config file and exit (--all: every setting)")
	if f.Lookup("all") == nil { // status has its own --all, which does this too
		f.BoolVar(&o.all, "all", false, "with --print-config: print every setting, the defaults too")
		f.metaOnly = map[string]bool{"all": true}
	}
}

// flagSet is a flag.FlagSet whose flags are grouped in titled sections for
// --help and the man page. Its DurationVar accepts days ("3d") and refuses
// negative durations, for every duration flag alike.
type flagSet struct {
	*flag.FlagSet
	sections []section
	added    []string // names in registration order (VisitAll sorts them)
	// metaOnly are flags about the command line itself (the main
	// command's --all for --print-config): never read from the
	// environment or the config file, never printed as settings.
	metaOnly map[string]bool
}

// section is one titled group of flags, in registration order.
type section struct {
	title string
	names []string
}

func newFlagSet(name string) *flagSet {
	return &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
}

// section registers the flags that add adds under title.
func (f *flagSet) section(title string, add func(*flagSet)) {
	before := map[string]bool{}
	f.VisitAll(func(fl *flag.Flag) { before[fl.Name] = true })
	add(f)
	s := section{title: title}
	for _, n := range f.order(before) {
		s.names = append(s.names, n)
	}
	if len(s.names) > 0 {
		f.sections = append(f.sections, s)
	}
}

// order returns the names registered since before: in registration order
// where a method below saw them, then any others by name.
func (f *flagSet) order(before map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range f.added {
		if !before[n] && !seen[n] {
			out = append(out, n)
			seen[n] = true
		}
	}
	f.VisitAll(func(fl *flag.Flag) {
		if !before[fl.Name] && !seen[fl.Name] {
			out = append(out, fl.Name)
		}
	})
	return out
}

// The methods below are flag.FlagSet's, remembering the order.

func (f *flagSet) Var(v flag.Value, name, usage string) {
	f.FlagSet.Var(v, name, usage)
	f.added = append(f.added, name)
}

func (f *flagSet) BoolVar(p *bool, name string, value bool, usage string) {
	f.FlagSet.BoolVar(p, name, value, usage)
	f.added = append(f.added, name)
}

func (f *flagSet) StringVar(p *string, name, value, usage string) {
	f.FlagSet.StringVar(p, name, value, usage)
	f.added = append(f.added, name)
}

func (f *flagSet) IntVar(p *int, name string, value int, usage string) {
	f.FlagSet.IntVar(p, name, value, usage)
	f.added = append(f.added, name)
}

func (f *flagSet) Int64Var(p *int64, name string, value int64, usage string) {
	f.FlagSet.Int64Var(p, name, value, usage)
	f.added = append(f.added, name)
}

// DurationVar defines a duration flag that also accepts days ("3d", "1d12h")
// and refuses negative values.
func (f *flagSet) DurationVar(p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	f.Var((*durationValue)(p), name, usage)
}

// durationValue is a non-negative time.Duration that also reads days.
type durationValue time.Duration

func (d *durationValue) String() string { return durfmt.Format(time.Duration(*d)) }

func (d *durationValue) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

// parseDuration is time.ParseDuration plus a "d" (24h) unit, refusing
// negative values: no setting of ccwake means anything by one.
func parseDuration(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	var b strings.Builder
	num := ""
	for _, r := range in {
		switch {
		case r >= '0' && r <= '9' || r == '.':
			num += string(r)
		case r == 'd' && num != "":
			days, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, errors.New("want a number with a unit, like 90s, 5m, 12h or 3d")
			}
			b.WriteString(strconv.FormatFloat(days*24, 'f', -1, 64) + "h")
			num = ""
		default:
			b.WriteString(num)
			b.WriteRune(r)
			num = ""
		}
	}
	b.WriteString(num)
	d, err := time.ParseDuration(b.String())
	if err != nil {
		return 0, errors.New("want a number with a unit, like 90s, 5m, 12h or 3d")
	}
	if d < 0 {
		return 0, errors.New("must not be negative")
	}
	return d, nil
}
