package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
)

// helpIntro is the first paragraph of --help and the man page's DESCRIPTION.
const helpIntro = `ccwake keeps Claude Code sessions working through rate limits: it watches the
transcripts under ~/.claude/projects, waits the right time after a throttle, a
rate limit or a usage cap, and types "continue" + Enter into the stalled
session's tmux pane, only when that pane is positively the stalled Claude with
an empty prompt.`

// helpEnv lists the environment variables ccwake reads, besides CCWAKE_<FLAG>.
var helpEnv = [][2]string{
	{"CCWAKE_<FLAG>", "any flag, upper case with _ for -: CCWAKE_SINCE=3d, CCWAKE_CLAUDE_DIR=~/a:~/b"},
	{"CLAUDE_CONFIG_DIR", "the Claude root when no --claude-dir is given (else ~/.claude)"},
	{"TMUX", "inside tmux: the server ccwake types into when no --tmux-socket is given"},
	{"XDG_CONFIG_HOME", "config.toml is $XDG_CONFIG_HOME/ccwake/config.toml (default ~/.config)"},
	{"XDG_RUNTIME_DIR", "where the per-root lock files live (else /tmp/ccwake-<uid>)"},
	{"XDG_STATE_HOME", "the default log file is $XDG_STATE_HOME/ccwake/ccwake.log (default ~/.local/state)"},
	{"NO_COLOR", "any value turns the dashboard's colours off"},
}

// helpExamples are shown by --help and the man page.
var helpExamples = [][2]string{
	{"ccwake", "the dashboard, in a spare terminal"},
	{"ccwake --auto --log-file ~/ccwake.log", "headless, logging what it types"},
	{"ccwake --auto --dry-run", "log what it would type, type nothing"},
	{"ccwake status --since 3d --all", "every session of the last three days"},
	{"ccwake --print-config > ~/.config/ccwake/config.toml", "start a config file"},
	{"ccwake doctor", "check the setup"},
}

// writeHelp prints cmd's help: what it does, usage, commands, flags by
// section, environment and examples.
func writeHelp(w io.Writer, cmd *command) {
	var b strings.Builder
	if cmd.name == "" {
		b.WriteString(helpIntro + "\n\nUsage:\n")
		for _, c := range commands() {
			for _, s := range c.synopsis {
				fmt.Fprintf(&b, "  ccwake %s\n", s)
			}
		}
		b.WriteString("\nCommands:\n")
		for _, c := range commands() {
			if c.name != "" {
				twoCol(&b, 11, c.name, c.summary)
			}
		}
	} else {
		fmt.Fprintf(&b, "%s\n\nUsage:\n", strings.Join(wrap(commandName(cmd)+": "+cmd.summary, helpWidth), "\n"))
		for _, s := range cmd.synopsis {
			fmt.Fprintf(&b, "  ccwake %s\n", s)
		}
	}
	_, f := flagsOf(cmd)
	for _, sec := range f.sections {
		fmt.Fprintf(&b, "\n%s:\n", sec.title)
		for _, name := range sec.names {
			left, usage := flagLine(f.Lookup(name))
			lines := wrap(usage, helpWidth-helpColumn-3)
			if len(left) > helpColumn {
				fmt.Fprintf(&b, "  %s\n", left)
				left = ""
			}
			for i, l := range lines {
				if i > 0 {
					left = ""
				}
				fmt.Fprintf(&b, "  %-*s %s\n", helpColumn, left, l)
			}
		}
	}
	if f.Lookup("config") != nil {
		fmt.Fprintf(&b, "  %-*s %s\n", helpColumn, "-h, --help", "show this help")
		b.WriteString("\nEvery flag can also be set in the environment (CCWAKE_<FLAG>) or in the\n" +
			"config file (its long name as the key);\nflags > environment > config file > defaults.\n")
	}
	if cmd.name == "" {
		b.WriteString("\nEnvironment:\n")
		for _, e := range helpEnv {
			twoCol(&b, 18, e[0], e[1])
		}
		b.WriteString("\nExamples:\n")
		for _, e := range helpExamples {
			fmt.Fprintf(&b, "  %s\n      %s\n", e[0], e[1])
		}
		b.WriteString("\nMore: ccwake help COMMAND, ccwake man, https://github.com/ccwake/ccwake\n")
	}
	if cmd.name == "status" {
		b.WriteString(status.ExitHelp)
	}
	_, _ = io.WriteString(w, b.String())
}

// The help fits 80 columns; flag descriptions start at helpColumn+3.
const (
	helpWidth  = 80
	helpColumn = 28
)

// twoCol writes "  left  text" with text wrapped to the help's width.
func twoCol(b *strings.Builder, col int, left, text string) {
	for i, l := range wrap(text, helpWidth-col-3) {
		if i > 0 {
			left = ""
		}
		fmt.Fprintf(b, "  %-*s %s\n", col, left, l)
	}
}

// wrap breaks s into lines of at most width columns, at spaces.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// flagLine is a flag's "--name ARG" and its help with the default.
func flagLine(fl *flag.Flag) (left, usage string) {
	arg, usage := flagArg(fl)
	left = "--" + fl.Name
	if arg != "" {
		left += " " + arg
	}
	if d := shownDefault(fl); d != "" {
		usage += " (default " + d + ")"
	}
	return left, usage
}

// flagArg is the placeholder for a flag's value ("" for a bool): a
// `BACKQUOTED` word of its usage, else one named after its type.
func flagArg(fl *flag.Flag) (arg, usage string) {
	name, usage := flag.UnquoteUsage(fl)
	if strings.Contains(fl.Usage, "`") {
		return name, usage
	}
	switch fl.Value.(type) {
	case *durationValue:
		return "DURATION", usage
	case *stringList:
		return "DIR", usage
	}
	switch name {
	case "":
		return "", usage
	case "int", "uint", "float":
		return "N", usage
	}
	switch fl.Name {
	case "log-format":
		return "FORMAT", usage
	case "log-file", "config":
		return "FILE", usage
	case "tmux-socket":
		return "PATH", usage
	}
	return "TEXT", usage
}

// shownDefault is the default worth printing ("" for empty, false and 0).
func shownDefault(fl *flag.Flag) string {
	switch fl.DefValue {
	case "", "false", "0", "0s":
		return ""
	}
	if _, ok := fl.Value.(*durationValue); ok {
		return fl.DefValue
	}
	if _, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok {
		return fl.DefValue
	}
	if a, _ := flagArg(fl); a == "TEXT" || a == "FILE" || a == "PATH" {
		return fmt.Sprintf("%q", fl.DefValue)
	}
	return fl.DefValue
}
