package main

import (
	"fmt"
	"strings"
)

// manPage renders ccwake(1) in roff from the same command table as --help:
// ccwake man | man -l -   or   ccwake man > /usr/local/share/man/man1/ccwake.1
func manPage() string {
	var b strings.Builder
	b.WriteString(".TH CCWAKE 1 \"\" \"ccwake\" \"User Commands\"\n")
	b.WriteString(".SH NAME\nccwake \\- keep Claude Code sessions working through rate limits\n")
	b.WriteString(".SH SYNOPSIS\n")
	for _, c := range commands() {
		for _, s := range c.synopsis {
			syn, _, _ := strings.Cut(s, "   ")
			fmt.Fprintf(&b, ".B ccwake\n%s\n.br\n", roffEscape(strings.TrimSpace(syn)))
		}
	}
	b.WriteString(".SH DESCRIPTION\n" + roffEscape(strings.ReplaceAll(helpIntro, "\n", " ")) + "\n")
	b.WriteString(".SH COMMANDS\n")
	for _, c := range commands() {
		if c.name == "" {
			continue
		}
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", c.name, roffEscape(c.summary))
	}
	b.WriteString(".SH OPTIONS\n")
	seen := map[string]bool{}
	for _, c := range commands() {
		_, f := flagsOf(c)
		for _, sec := range f.sections {
			var names []string
			for _, n := range sec.names {
				if !seen[n] {
					names = append(names, n)
					seen[n] = true
				}
			}
			if len(names) == 0 {
				continue
			}
			title := sec.title
			if c.name != "" {
				title += " (" + c.name + ")"
			}
			fmt.Fprintf(&b, ".SS %s\n", roffEscape(title))
			for _, n := range names {
				left, usage := flagLine(f.Lookup(n))
				fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roffEscape(left), roffEscape(usage))
			}
		}
	}
	b.WriteString(".TP\n.B \\-h, \\-\\-help\nshow the help\n")
	b.WriteString(".SH CONFIGURATION\nEvery flag can be set in the environment as CCWAKE_<FLAG> " +
		"(upper case, \\- as _) or in the TOML file $XDG_CONFIG_HOME/ccwake/config.toml " +
		"(default ~/.config/ccwake/config.toml) with its long name as the key. " +
		"Flags win over the environment, the environment over the file. " +
		"\\fBccwake \\-\\-print\\-config\\fR prints the effective settings as a config file.\n")
	b.WriteString(".SH ENVIRONMENT\n")
	for _, e := range helpEnv {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roffEscape(e[0]), roffEscape(e[1]))
	}
	b.WriteString(".SH EXIT STATUS\n0 success, 1 failure (for doctor: a check failed), 2 a usage or settings mistake.\n")
	b.WriteString(".SH EXAMPLES\n")
	for _, e := range helpExamples {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roffEscape(e[0]), roffEscape(e[1]))
	}
	b.WriteString(".SH SEE ALSO\n.BR tmux (1)\n")
	return b.String()
}

// roffEscape escapes backslashes and hyphens, and a leading dot or quote.
func roffEscape(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}
