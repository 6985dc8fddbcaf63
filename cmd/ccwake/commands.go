package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/paths"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/suggest"
)

// errHelp means -h/--help was asked for: help printed, exit status 0.
var errHelp = errors.New("help")

// errUsage marks a command-line or settings mistake: exit status 2.
var errUsage = errors.New("usage")

// errReported means the command already said what went wrong: exit 1, no
// more output.
var errReported = errors.New("reported")

// usageError is a mistake in how ccwake was called. It prints as one line,
// followed by where to read more.
type usageError struct {
	cmd string // "" for the main command
	msg string
}

func (e *usageError) Error() string { return e.msg }
func (e *usageError) Is(t error) bool {
	return t == errUsage
}

func usagef(cmd, format string, a ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, a...)}
}

// cli is one invocation's world: where output goes and the environment.
type cli struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is one mode of ccwake. Its flags function registers the flags it
// takes in titled sections; the same table drives parsing, --help, the
// config file, completions and the man page.
type command struct {
	name     string // "" for the main command (dashboard, --auto)
	summary  string
	synopsis []string // after "ccwake"
	flags    func(o *options, f *flagSet)
	args     []string // names of the positional arguments it takes; "[x]" is optional
	run      func(ctx context.Context, c *cli, o *options, args []string) error
}

// commands is the table of every mode.
func commands() []*command {
	return []*command{
		{
			name:    "",
			summary: "the dashboard (or, with --auto, headless): resume stalled sessions",
			synopsis: []string{"[--claude-dir DIR]... [flags]   dashboard; resumes sessions underneath",
				"--auto [--dry-run] [flags]      headless: one log line per action"},
			flags: func(o *options, f *flagSet) {
				f.section("Watching", o.watchFlags)
				f.section("Resuming", func(f *flagSet) { o.autoFlags(f); o.resumeFlags(f) })
				f.section("Output", o.logFlags)
				f.section("Notifications", o.notify.register)
				f.section("Machines", o.hostFlags)
				f.section("Settings", func(f *flagSet) {
					o.metaFlags(f)
					f.BoolVar(&o.version, "version", false, "print the version and exit")
				})
			},
			run: runMainCmd,
		},
		{
			name:     "status",
			summary:  "print the stalled sessions, their pane and when each would be resumed",
			synopsis: []string{"status [--json] [--all] [flags]"},
			flags: func(o *options, f *flagSet) {
				f.section("Watching", o.watchFlags)
				f.section("Resuming", o.resumeFlags)
				f.section("Output", o.statusFlags)
				f.section("Machines", o.hostFlags)
				f.section("Notifications", o.notify.register) // shown in --json's settings
				f.section("Settings", o.metaFlags)
			},
			run: runStatusCmd,
		},
		serveCommand(),
		{
			name:     "doctor",
			summary:  "check tmux, inotify, the roots, sessions files, the lock and the log file",
			synopsis: []string{"doctor [flags]"},
			flags: func(o *options, f *flagSet) {
				f.section("Watching", o.watchFlags)
				f.section("Resuming", func(f *flagSet) { o.autoFlags(f); o.resumeFlags(f) })
				f.section("Output", o.logFlags)
				f.section("Settings", func(f *flagSet) {
					o.metaFlags(f)
					f.DurationVar(&o.probeTimeout, "probe-timeout", 10*time.Second,
						"how long each backend program may take to answer (its version, its panes); 0: as long as it takes")
				})
			},
			run: runDoctor,
		},
		serviceCommand(),
		{
			name:     "log",
			summary:  "show the recent lines of the log file: what ccwake typed and why",
			synopsis: []string{"log [--lines N] [--log-file FILE]"},
			flags: func(o *options, f *flagSet) {
				f.section("Output", func(f *flagSet) { o.logFlags(f); o.historyFlags(f) })
				f.section("Settings", o.metaFlags)
			},
			run: runLog,
		},
		{
			name: "version", summary: "print the version and commit", synopsis: []string{"version"},
			run: func(_ context.Context, c *cli, _ *options, _ []string) error {
				_, err := fmt.Fprintln(c.stdout, versionLine())
				return err
			},
		},
		{
			name: "completion", summary: "print a shell completion script (bash, zsh or fish)",
			synopsis: []string{"completion bash|zsh|fish"}, args: []string{"SHELL"},
			run: runCompletion,
		},
		{
			name: "man", summary: "print the man page (roff): ccwake man | man -l -",
			synopsis: []string{"man"},
			run: func(_ context.Context, c *cli, _ *options, _ []string) error {
				_, err := io.WriteString(c.stdout, manPage())
				return err
			},
		},
		{
			name: "help", summary: "show the help of ccwake or of one command",
			synopsis: []string{"help [COMMAND]"}, args: []string{"[COMMAND]"},
			run: func(_ context.Context, c *cli, _ *options, args []string) error {
				name := ""
				if len(args) == 1 {
					name = args[0]
				}
				cmd := findCommand(name)
				if cmd == nil {
					return usagef("", "unknown command %q%s", name, suggest.DidYouMean(name, commandNames(), same))
				}
				writeHelp(c.stdout, cmd)
				return nil
			},
		},
	}
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// flagsOf returns cmd's flag set bound to a fresh options.
func flagsOf(cmd *command) (*options, *flagSet) {
	o := &options{}
	f := newFlagSet(commandName(cmd))
	f.SetOutput(io.Discard)
	f.Usage = func() {}
	if cmd.flags != nil {
		cmd.flags(o, f)
	}
	return o, f
}

func commandName(cmd *command) string {
	if cmd.name == "" {
		return "ccwake"
	}
	return "ccwake " + cmd.name
}

// isBoolFlag reports whether a flag of that name exists in any command and
// takes no value.
func flagKind(name string) (known, isBool bool) {
	for _, cmd := range commands() {
		_, f := flagsOf(cmd)
		if fl := f.Lookup(name); fl != nil {
			b, ok := fl.Value.(interface{ IsBoolFlag() bool })
			return true, ok && b.IsBoolFlag()
		}
	}
	return false, false
}

// splitCommand finds the subcommand: the first argument that is neither a
// flag nor a flag's value. Flags before it are kept, so
// `ccwake --claude-dir X status` is `ccwake status --claude-dir X`.
func splitCommand(args []string) (*command, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if known, isBool := flagKind(name); known && !isBool {
				i++ // its value
			}
			continue
		}
		if cmd := findCommand(a); cmd != nil && a != "" {
			rest := append(append([]string{}, args[:i]...), args[i+1:]...)
			return cmd, rest
		}
		break
	}
	return findCommand(""), args
}

// parseCommandLine parses args with f and turns the std flag package's
// errors into one-line usage errors that say where a flag belongs.
func parseCommandLine(cmd *command, f *flagSet, args []string) ([]string, error) {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
			name = strings.TrimLeft(name, "-")
			typed := typedFlag(args, name)
			if other := ownerOf(name); other != nil {
				return nil, usagef(cmd.name, "%s belongs to `%s`, not `%s`", typed, commandName(other), commandName(cmd))
			}
			return nil, usagef(cmd.name, "unknown flag %s%s", typed, suggest.DidYouMean(name, flagNamesOf(f), func(n string) string { return "--" + n }))
		}
		msg = strings.Replace(msg, "for flag -", "for --", 1)
		return nil, usagef(cmd.name, "%s", msg)
	}
	rest := f.Args()
	min, max := 0, len(cmd.args)
	for _, a := range cmd.args {
		if !strings.HasPrefix(a, "[") {
			min++
		}
	}
	switch {
	case len(rest) > max && cmd.name == "":
		if hint := suggest.DidYouMean(rest[0], commandNames(), same); hint != "" {
			return nil, usagef("", "unknown command %q%s", rest[0], hint)
		}
		return nil, usagef("", "unknown command %q (commands: %s)", rest[0], strings.Join(commandNames(), ", "))
	case len(rest) > max:
		return nil, usagef(cmd.name, "unexpected argument %q", rest[max])
	case len(rest) < min:
		return nil, usagef(cmd.name, "missing %s", strings.Join(cmd.args, " "))
	}
	return rest, nil
}

// typedFlag is flag name as the user typed it ("-v", "--bogus"): the flag
// package reports every unknown flag with one dash.
func typedFlag(args []string, name string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		bare, _, _ := strings.Cut(a, "=")
		if strings.HasPrefix(bare, "-") && strings.TrimLeft(bare, "-") == name {
			return bare
		}
	}
	return "--" + name
}

// flagNamesOf is every flag f defines.
func flagNamesOf(f *flagSet) []string {
	var out []string
	f.VisitAll(func(fl *flag.Flag) { out = append(out, fl.Name) })
	return out
}

func same(s string) string { return s }

// ownerOf is the first command that defines flag name.
func ownerOf(name string) *command {
	for _, c := range commands() {
		if _, f := flagsOf(c); f.Lookup(name) != nil {
			return c
		}
	}
	return nil
}

func commandNames() []string {
	var out []string
	for _, c := range commands() {
		if c.name != "" {
			out = append(out, c.name)
		}
	}
	return out
}

// allFlagNames is every flag of every command, sorted.
func allFlagNames() map[string]bool {
	out := map[string]bool{}
	for _, c := range commands() {
		_, f := flagsOf(c)
		f.VisitAll(func(fl *flag.Flag) { out[fl.Name] = true })
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// execute runs one invocation: find the command, read its settings
// (flags > environment > config file > defaults), check them, run it.
func (c *cli) execute(ctx context.Context, args []string) error {
	cmd, rest := splitCommand(args)
	return c.exec(ctx, cmd, rest)
}

func (c *cli) exec(ctx context.Context, cmd *command, args []string) error {
	o, f := flagsOf(cmd)
	pos, err := parseCommandLine(cmd, f, args)
	if errors.Is(err, errHelp) {
		writeHelp(c.stdout, cmd)
		return nil
	}
	if err != nil {
		return err
	}
	st, err := c.loadSettings(cmd, f)
	if err != nil {
		return err
	}
	o.logFile = paths.ExpandHome(o.logFile, c.getenv)
	o.tmuxSocket = paths.ExpandHome(o.tmuxSocket, c.getenv)
	if err := validate(cmd, o, st, func(name string) bool { return f.Lookup(name) != nil }); err != nil {
		return err
	}
	if o.version {
		_, err := fmt.Fprintln(c.stdout, versionLine())
		return err
	}
	if f.metaOnly["all"] && o.all && !o.printConfig {
		return usagef(cmd.name, "--all goes with --print-config here (`ccwake status --all` lists every session)")
	}
	if o.printConfig {
		return printConfig(c.stdout, cmd, f, st, c.getenv, st.source["all"] == "command line")
	}
	return cmd.run(ctx, c, o, pos)
}
