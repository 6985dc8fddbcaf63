package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// compFlag is one flag as the completion scripts see it.
type compFlag struct {
	name  string
	desc  string
	value string // "" bool; "dir", "file", "words:<a b>" or "any"
}

// compCommand is one command's flags for the completion scripts.
type compCommand struct {
	name, desc string
	flags      []compFlag
}

// completionModel is every command and its flags, from the command table,
// so the scripts never fall behind a new flag.
func completionModel() []compCommand {
	var out []compCommand
	for _, cmd := range commands() {
		cc := compCommand{name: cmd.name, desc: cmd.summary}
		_, f := flagsOf(cmd)
		f.VisitAll(func(fl *flag.Flag) {
			arg, usage := flagArg(fl)
			cf := compFlag{name: fl.Name, desc: usage}
			switch {
			case arg == "":
			case arg == "DIR":
				cf.value = "dir"
			case arg == "FILE" || arg == "PATH":
				cf.value = "file"
			case fl.Name == "log-format":
				cf.value = "words:text json"
			case fl.Name == "watch":
				cf.value = "words:auto inotify poll"
			default:
				cf.value = "any"
			}
			cc.flags = append(cc.flags, cf)
		})
		cc.flags = append(cc.flags, compFlag{name: "help", desc: "show the help"})
		out = append(out, cc)
	}
	return out
}

var shells = []string{"bash", "zsh", "fish"}

// runCompletion is `ccwake completion SHELL`.
func runCompletion(_ context.Context, c *cli, _ *options, args []string) error {
	var script string
	switch args[0] {
	case "bash":
		script = bashCompletion()
	case "zsh":
		script = zshCompletion()
	case "fish":
		script = fishCompletion()
	default:
		return usagef("completion", "unknown shell %q: want %s", args[0], strings.Join(shells, ", "))
	}
	_, err := io.WriteString(c.stdout, script)
	return err
}

func subcommandNames(model []compCommand) []string {
	var names []string
	for _, c := range model {
		if c.name != "" {
			names = append(names, c.name)
		}
	}
	return names
}

// bashCompletion: source <(ccwake completion bash)
func bashCompletion() string {
	model := completionModel()
	var b strings.Builder
	b.WriteString("# bash completion for ccwake: source <(ccwake completion bash)\n")
	b.WriteString("_ccwake() {\n")
	b.WriteString("  local cur prev cmd i opts\n")
	b.WriteString("  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n  cmd=\"\"\n")
	fmt.Fprintf(&b, "  for ((i = 1; i < COMP_CWORD; i++)); do\n    case \"${COMP_WORDS[i]}\" in\n      %s) cmd=\"${COMP_WORDS[i]}\"; break ;;\n    esac\n  done\n",
		strings.Join(subcommandNames(model), "|"))
	byKind := map[string][]string{}
	for _, c := range model {
		for _, f := range c.flags {
			if f.value != "" {
				byKind[f.value] = append(byKind[f.value], "--"+f.name)
			}
		}
	}
	b.WriteString("  case \"$prev\" in\n")
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		pats := uniq(byKind[k])
		switch {
		case k == "dir":
			fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", strings.Join(pats, "|"))
		case k == "file":
			fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", strings.Join(pats, "|"))
		case strings.HasPrefix(k, "words:"):
			fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", strings.Join(pats, "|"), strings.TrimPrefix(k, "words:"))
		default:
			fmt.Fprintf(&b, "    %s) COMPREPLY=(); return ;;\n", strings.Join(pats, "|"))
		}
	}
	b.WriteString("  esac\n  case \"$cmd\" in\n")
	for _, c := range model {
		var words []string
		for _, f := range c.flags {
			words = append(words, "--"+f.name)
		}
		pat := c.name
		if c.name == "" {
			pat = "\"\""
			words = append(words, subcommandNames(model)...)
		}
		if c.name == "completion" {
			words = append(words, shells...)
		}
		if c.name == "help" {
			words = append(words, subcommandNames(model)...)
		}
		fmt.Fprintf(&b, "    %s) opts=%q ;;\n", pat, strings.Join(words, " "))
	}
	b.WriteString("  esac\n  COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n}\ncomplete -F _ccwake ccwake\n")
	return b.String()
}

// zshCompletion: ccwake completion zsh > "${fpath[1]}/_ccwake"
func zshCompletion() string {
	model := completionModel()
	var b strings.Builder
	b.WriteString("#compdef ccwake\n# zsh completion for ccwake: ccwake completion zsh > \"${fpath[1]}/_ccwake\"\n\n")
	b.WriteString("_ccwake() {\n  local -a cmds\n  local cmd=\"\" w\n  cmds=(\n")
	for _, c := range model {
		if c.name != "" {
			fmt.Fprintf(&b, "    %s\n", zshQuote(c.name+":"+c.desc))
		}
	}
	b.WriteString("  )\n  for w in \"${words[2,CURRENT-1][@]}\"; do\n    case $w in\n")
	fmt.Fprintf(&b, "      %s) cmd=$w; break ;;\n", strings.Join(subcommandNames(model), "|"))
	b.WriteString("    esac\n  done\n  case $cmd in\n")
	for _, c := range model {
		pat := c.name
		if pat == "" {
			pat = "''"
		}
		fmt.Fprintf(&b, "    %s)\n      _arguments -s \\\n", pat)
		for _, f := range c.flags {
			spec := "--" + f.name + "[" + zshEscape(f.desc) + "]"
			switch {
			case f.value == "dir":
				spec += ":directory:_files -/"
			case f.value == "file":
				spec += ":file:_files"
			case strings.HasPrefix(f.value, "words:"):
				spec += ":value:(" + strings.TrimPrefix(f.value, "words:") + ")"
			case f.value == "any":
				spec += ":value: "
			}
			fmt.Fprintf(&b, "        %s \\\n", zshQuote(spec))
		}
		switch c.name {
		case "":
			b.WriteString("        '1:command:->cmds'\n      [[ $state == cmds ]] && _describe command cmds\n      ;;\n")
		// Positional 1 is the command itself.
		case "completion":
			fmt.Fprintf(&b, "        '1: :(completion)' '2:shell:(%s)'\n      ;;\n", strings.Join(shells, " "))
		case "help":
			fmt.Fprintf(&b, "        '1: :(help)' '2:command:(%s)'\n      ;;\n", strings.Join(subcommandNames(model), " "))
		default:
			fmt.Fprintf(&b, "        '1: :(%s)'\n      ;;\n", c.name)
		}
	}
	b.WriteString("  esac\n}\n\n_ccwake \"$@\"\n")
	return b.String()
}

// fishCompletion: ccwake completion fish > ~/.config/fish/completions/ccwake.fish
func fishCompletion() string {
	model := completionModel()
	subs := strings.Join(subcommandNames(model), " ")
	var b strings.Builder
	b.WriteString("# fish completion for ccwake: ccwake completion fish > ~/.config/fish/completions/ccwake.fish\n")
	b.WriteString("complete -c ccwake -f\n")
	for _, c := range model {
		if c.name != "" {
			fmt.Fprintf(&b, "complete -c ccwake -n 'not __fish_seen_subcommand_from %s' -a %s -d %s\n", subs, c.name, fishQuote(c.desc))
		}
	}
	for _, c := range model {
		cond := "not __fish_seen_subcommand_from " + subs
		if c.name != "" {
			cond = "__fish_seen_subcommand_from " + c.name
		}
		for _, f := range c.flags {
			line := fmt.Sprintf("complete -c ccwake -n '%s' -l %s", cond, f.name)
			switch {
			case f.value == "dir":
				line += " -r -a '(__fish_complete_directories)'"
			case f.value == "file":
				line += " -r -F"
			case strings.HasPrefix(f.value, "words:"):
				line += " -x -a " + fishQuote(strings.TrimPrefix(f.value, "words:"))
			case f.value == "any":
				line += " -x"
			}
			b.WriteString(line + " -d " + fishQuote(f.desc) + "\n")
		}
		if c.name == "completion" {
			fmt.Fprintf(&b, "complete -c ccwake -n '__fish_seen_subcommand_from completion' -a %s\n", fishQuote(strings.Join(shells, " ")))
		}
	}
	return b.String()
}

func uniq(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// zshQuote single-quotes s for zsh.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// zshEscape makes s safe inside an _arguments [description].
func zshEscape(s string) string {
	return strings.NewReplacer("[", "(", "]", ")", ":", " -", "\\", "\\\\").Replace(s)
}

// fishQuote single-quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
