package main

import (
	"github.com/ccwake/ccwake/cmd/ccwake/internal/logfile"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/paths"

	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// settings says where each setting came from, for --print-config and for
// error messages that name the place to fix.
type settings struct {
	file      string            // the config file considered ("" when there is no $HOME)
	fileFound bool              // it exists and was read
	source    map[string]string // flag name → "command line", "$CCWAKE_X" or "config file"
}

// metaSetting reports the flags that are about the settings themselves:
// never read from the config file or printed by --print-config.
func metaSetting(name string) bool {
	return name == "config" || name == "print-config" || name == "version"
}

// envName is the environment variable of a flag: CCWAKE_ and the name in
// upper case with - as _ (claude-dir → CCWAKE_CLAUDE_DIR).
func envName(flagName string) string {
	return "CCWAKE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// isList reports whether a flag is repeatable; its environment variable
// holds a path list (A:B) and its config key an array.
func isList(fl *flag.Flag) bool {
	_, ok := fl.Value.(*stringList)
	return ok
}

// defaultConfigPath is $XDG_CONFIG_HOME/ccwake/config.toml, else
// ~/.config/ccwake/config.toml; "" without either.
func defaultConfigPath(getenv func(string) string) string {
	if x := getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "ccwake", "config.toml")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "ccwake", "config.toml")
	}
	return ""
}

// loadSettings fills every flag the command line left alone from the
// environment, else from the config file: flags > env > file > defaults.
func (c *cli) loadSettings(cmd *command, f *flagSet) (*settings, error) {
	st := &settings{source: map[string]string{}}
	f.Visit(func(fl *flag.Flag) { st.source[fl.Name] = "command line" })

	var err error
	f.VisitAll(func(fl *flag.Flag) {
		if err != nil || st.source[fl.Name] != "" || fl.Name == "print-config" || fl.Name == "version" || f.metaOnly[fl.Name] {
			return
		}
		name := envName(fl.Name)
		v := c.getenv(name)
		if v == "" {
			return
		}
		values := []string{v}
		if isList(fl) {
			values = filepath.SplitList(v)
		}
		for _, one := range values {
			if serr := fl.Value.Set(one); serr != nil {
				err = usagef(cmd.name, "$%s=%q: %v", name, v, serr)
				return
			}
		}
		st.source[fl.Name] = "$" + name
	})
	if err != nil {
		return nil, err
	}

	explicit := f.Lookup("config") != nil && f.Lookup("config").Value.String() != ""
	if explicit {
		st.file = paths.ExpandHome(f.Lookup("config").Value.String(), c.getenv)
	} else {
		st.file = defaultConfigPath(c.getenv)
	}
	if st.file == "" {
		return st, nil
	}
	var doc map[string]any
	if _, err := toml.DecodeFile(st.file, &doc); err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return st, nil // no config file is the normal case
		}
		return nil, usagef(cmd.name, "config file %s: %v", st.file, err)
	}
	st.fileFound = true
	known := allFlagNames()
	for _, key := range sortedKeys(keysOf(doc)) {
		if !known[key] {
			return nil, usagef(cmd.name, "config file %s: unknown setting %q (settings are the long flag names, like since or claude-dir)", st.file, key)
		}
		if metaSetting(key) {
			return nil, usagef(cmd.name, "config file %s: %q cannot be set in the config file", st.file, key)
		}
		fl := f.Lookup(key)
		if fl == nil || st.source[key] != "" || f.metaOnly[key] {
			continue // another command's setting, or overridden by a flag or the environment
		}
		values, verr := tomlValues(doc[key], isList(fl))
		if verr == nil {
			for _, v := range values {
				if verr = fl.Value.Set(v); verr != nil {
					break
				}
			}
		}
		if verr != nil {
			return nil, usagef(cmd.name, "config file %s: %s: %v", st.file, key, verr)
		}
		st.source[key] = "config file"
	}
	return st, nil
}

func keysOf(m map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// tomlValues turns one TOML value into the strings a flag.Value reads.
func tomlValues(v any, list bool) ([]string, error) {
	switch x := v.(type) {
	case []any:
		if !list {
			return nil, errors.New("want a single value, not an array")
		}
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("want an array of strings, got %v", e)
			}
			out = append(out, s)
		}
		return out, nil
	case string:
		return []string{x}, nil
	case bool, int64, float64:
		return []string{fmt.Sprint(x)}, nil
	case map[string]any:
		return nil, errors.New("want a value, not a table")
	default:
		return nil, fmt.Errorf("unsupported value %v", v)
	}
}

// printConfig writes the settings of cmd as a config file, each with where
// it came from: those that differ from the defaults, or every one with all.
// A saved config then holds only what the user chose: this machine's
// paths and today's defaults stay out of it, so a later ccwake's better
// defaults and another machine's paths still apply.
func printConfig(w io.Writer, cmd *command, f *flagSet, st *settings, getenv func(string) string, all bool) error {
	var b strings.Builder
	if all {
		fmt.Fprintf(&b, "# every setting of `%s`: flags > environment > config file > defaults\n", commandName(cmd))
	} else {
		fmt.Fprintf(&b, "# settings of `%s` that differ from the defaults (--all prints every one)\n", commandName(cmd))
	}
	switch {
	case st.file == "":
		b.WriteString("# config file: none ($XDG_CONFIG_HOME and $HOME are unset)\n")
	case st.fileFound:
		fmt.Fprintf(&b, "# config file: %s\n", st.file)
	default:
		fmt.Fprintf(&b, "# config file: %s (not found; save this output there to start one)\n", st.file)
	}
	_, defaults := flagsOf(cmd)
	printed := 0
	for _, sec := range f.sections {
		var lines [][2]string
		for _, name := range sec.names {
			if metaSetting(name) || f.metaOnly[name] {
				continue
			}
			fl := f.Lookup(name)
			src := st.source[name]
			val := tomlValue(fl)
			def := tomlValue(defaults.Lookup(name))
			if name == "claude-dir" {
				roots, why := paths.DefaultRoots(getenv)
				def = tomlArray(roots)
				if src == "" {
					val, src = def, "default: "+why
				}
			}
			if name == "log-file" {
				def = tomlString(logfile.DefaultPath(getenv))
				if src == "" {
					val, src = def, "default: $XDG_STATE_HOME/ccwake/ccwake.log"
				}
			}
			if src == "" {
				src = "default"
			}
			if !all && (strings.HasPrefix(src, "default") || val == def) {
				continue
			}
			lines = append(lines, [2]string{name + " = " + val, src})
		}
		printed += len(lines)
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n# %s\n", sec.title)
		width := 0
		for _, l := range lines {
			width = max(width, len(l[0]))
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "%-*s  # %s\n", width, l[0], l[1])
		}
	}
	if printed == 0 {
		b.WriteString("\n# every setting is at its default\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tomlValue renders a flag's current value as TOML.
func tomlValue(fl *flag.Flag) string {
	switch v := fl.Value.(type) {
	case *stringList:
		return tomlArray(*v)
	case *durationValue:
		return tomlString(v.String())
	}
	getter, ok := fl.Value.(flag.Getter)
	if !ok {
		return tomlString(fl.Value.String())
	}
	switch x := getter.Get().(type) {
	case bool:
		return strconv.FormatBool(x)
	case int, int64, uint, uint64, float64:
		return fmt.Sprint(x)
	default:
		return tomlString(fl.Value.String())
	}
}

func tomlArray(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
