package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
)

// Options are what `ccwake service` needs; the environment and the output
// are passed in, so tests can give another home and PATH.
type Options struct {
	Action  string // install, uninstall or print
	Stdout  io.Writer
	Getenv  func(string) string
	Version string // the version line written into the unit
}

// Actions are the actions Run knows, for the command line to check first.
var Actions = []string{"install", "uninstall", "print"}

// Run is `ccwake service ACTION`: ccwake --auto as a systemd user service
// (Linux) or a launchd agent (macOS), for the binary that runs the command,
// wherever it was installed.
func Run(ctx context.Context, o Options) error {
	h, err := NewHost(o.Stdout, o.Getenv)
	if err != nil {
		return err
	}
	h.version = o.Version
	switch o.Action {
	case "install":
		return h.install(ctx)
	case "uninstall":
		return h.uninstall(ctx)
	case "print":
		body, err := h.content()
		if err != nil {
			return err
		}
		_, err = o.Stdout.Write(body)
		return err
	}
	return fmt.Errorf("service: unknown action %q: want install, uninstall or print", o.Action)
}

// Host is everything install and uninstall depend on, so tests can
// give another OS, home and service manager.
type Host struct {
	goos       string
	home       string
	configHome string // $XDG_CONFIG_HOME, else ~/.config
	uid        int
	exe        string // the ccwake the service runs
	exeErr     error  // why exe is unknown
	path       string // $PATH the service runs with
	run        func(ctx context.Context, argv ...string) ([]byte, error)
	out        io.Writer
	version    string // ccwake's version line, for the unit's header
}

// NewHost is this machine as the service sees it: $HOME, $XDG_CONFIG_HOME,
// the running binary and $PATH from getenv; what it prints goes to stdout.
func NewHost(stdout io.Writer, getenv func(string) string) (*Host, error) {
	home := getenv("HOME")
	if home == "" || !filepath.IsAbs(home) {
		return nil, fmt.Errorf("service: $HOME %q is not an absolute directory", home)
	}
	h := &Host{goos: runtime.GOOS, home: home, configHome: getenv("XDG_CONFIG_HOME"), uid: os.Getuid(), out: stdout}
	if !filepath.IsAbs(h.configHome) {
		h.configHome = filepath.Join(home, ".config")
	}
	// Only install and print need the binary: doctor reads the state of
	// any ccwake (also one of go run) without it.
	h.exe, h.exeErr = RunningExe()
	pathEnv := getenv("PATH")
	if h.exeErr == nil {
		h.path = servicePath(h.goos, h.exe, func(name string) (string, error) { return lookPathIn(name, pathEnv) })
	}
	h.run = func(ctx context.Context, argv ...string) ([]byte, error) {
		bin, err := lookPathIn(argv[0], pathEnv)
		if err != nil {
			return nil, err
		}
		return mux.ExecRunner{Timeout: 30 * time.Second}.Run(ctx, append([]string{bin}, argv[1:]...)...)
	}
	return h, nil
}

// GOOS is the system the service is for.
func (h *Host) GOOS() string { return h.goos }

// RunningExe is the ccwake that runs, as serviceExe picks it.
func RunningExe() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("service: which ccwake runs: %w", err)
	}
	resolved, err := filepath.EvalSymlinks(exe)
	if err != nil {
		return "", fmt.Errorf("service: which ccwake runs: %w", err)
	}
	return serviceExe(exe, resolved, FileExists)
}

// FileExists says whether p names anything (doctor asks it of the unit's binary).
func FileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// lookPathIn finds an executable in a $PATH value (ours, from the cli's
// environment), as a shell would.
func lookPathIn(name, pathEnv string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	for _, dir := range filepath.SplitList(pathEnv) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w in $PATH", name, exec.ErrNotFound)
}

// serviceExe picks the path the service runs: the running binary with its
// symlinks resolved (so $GOBIN, ~/bin, /usr/local/bin all work), except
// that a package manager's versioned directory is left for the stable link
// that points into it (Homebrew's opt/ or bin/ link survives an upgrade,
// Cellar/ccwake/1.2.3 does not). A binary of `go run` is refused: it is
// deleted when go run exits.
func serviceExe(exe, resolved string, exists func(string) bool) (string, error) {
	if strings.Contains(resolved, string(filepath.Separator)+"go-build") {
		return "", fmt.Errorf("service: this ccwake is go run's temporary build (%s): install it (make install) and run that one's service install", resolved)
	}
	for _, store := range []string{"/Cellar/", "/Caskroom/", "/nix/store/"} {
		i := strings.Index(resolved, store)
		if i < 0 {
			continue
		}
		if store == "/Cellar/" { // <prefix>/Cellar/<name>/<version>/bin/ccwake → <prefix>/opt/<name>/bin/ccwake
			parts := strings.SplitN(resolved[i+len(store):], "/", 3)
			if len(parts) == 3 {
				opt := filepath.Join(resolved[:i], "opt", parts[0], parts[2])
				if exists(opt) {
					return opt, nil
				}
			}
		}
		if exe != resolved && !strings.Contains(exe, store) {
			return exe, nil
		}
	}
	return resolved, nil
}

// servicePath is the $PATH the service gets: ccwake's own directory, the
// directories where the installing shell finds the programs ccwake runs
// (tmux, screen, kitty, claude for --reopen, lsof), then the system's. A
// service manager starts with a minimal $PATH that lacks Homebrew's and
// ~/.local/bin.
func servicePath(goos, exe string, lookPath func(string) (string, error)) string {
	var dirs []string
	add := func(d string) {
		for _, have := range dirs {
			if have == d {
				return
			}
		}
		dirs = append(dirs, d)
	}
	add(filepath.Dir(exe))
	for _, tool := range []string{"tmux", "screen", "kitty", "claude", "lsof"} {
		if p, err := lookPath(tool); err == nil {
			add(filepath.Dir(p))
		}
	}
	if goos == "darwin" {
		add("/opt/homebrew/bin")
	}
	for _, d := range []string{"/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"} {
		add(d)
	}
	return strings.Join(dirs, string(filepath.ListSeparator))
}

// file is where the unit or agent lives.
func (h *Host) file() (string, error) {
	switch h.goos {
	case "linux":
		return filepath.Join(h.configHome, "systemd", "user", systemdUnitName), nil
	case "darwin":
		return filepath.Join(h.home, "Library", "LaunchAgents", launchdLabel+".plist"), nil
	}
	return "", fmt.Errorf("service: %s has neither systemd nor launchd that ccwake knows: run ccwake --auto yourself", h.goos)
}

func (h *Host) logDir() string { return filepath.Join(h.home, "Library", "Logs") }

// content is the unit or agent for h.exe.
func (h *Host) content() ([]byte, error) {
	if h.exeErr != nil {
		return nil, h.exeErr
	}
	written := fmt.Sprintf("Written by `ccwake service install` (%s) for %s;", h.version, h.exe)
	switch h.goos {
	case "linux":
		return systemdUnit{
			Header: []string{written, "`ccwake service uninstall` removes it. Settings: ~/.config/ccwake/config.toml."},
			Exec:   systemdEscape(h.exe) + " --auto",
			Path:   strings.ReplaceAll(h.path, "%", "%%"),
		}.render(), nil
	case "darwin":
		return launchdAgent{
			Comment: []string{written, "`ccwake service uninstall` removes it. Settings: ~/.config/ccwake/config.toml."},
			Args:    []string{h.exe, "--auto", "--log-file", filepath.Join(h.logDir(), "ccwake.log")},
			Path:    h.path,
			Stdout:  filepath.Join(h.logDir(), "ccwake.launchd.log"),
		}.render(), nil
	}
	_, err := h.file()
	return nil, err
}

func (h *Host) install(ctx context.Context) error {
	path, err := h.file()
	if err != nil {
		return err
	}
	body, err := h.content()
	if err != nil {
		return err
	}
	if h.goos == "darwin" {
		if err := os.MkdirAll(h.logDir(), 0o755); err != nil {
			return fmt.Errorf("service install: %w", err)
		}
	}
	if err := writeFileAtomic(path, body); err != nil {
		return fmt.Errorf("service install: %w", err)
	}
	fmt.Fprintf(h.out, "wrote %s (runs %s --auto)\n", path, h.exe)
	switch h.goos {
	case "linux":
		for _, argv := range [][]string{
			{"systemctl", "--user", "daemon-reload"},
			{"systemctl", "--user", "enable", systemdUnitName},
			{"systemctl", "--user", "restart", systemdUnitName}, // starts it, or restarts it on a new binary
		} {
			if out, err := h.run(ctx, argv...); err != nil {
				return fmt.Errorf("service install: %w%s", err, trailing(out))
			}
		}
		fmt.Fprintln(h.out, "started: systemctl --user status ccwake; what it types: journalctl --user -u ccwake -f, or ccwake log")
	case "darwin":
		// A loaded agent keeps its old definition until booted out.
		_, _ = h.run(ctx, "launchctl", "bootout", h.launchdTarget())
		if out, err := h.run(ctx, "launchctl", "bootstrap", "gui/"+strconv.Itoa(h.uid), path); err != nil {
			return fmt.Errorf("service install: %w%s", err, trailing(out))
		}
		fmt.Fprintf(h.out, "started: launchctl print %s; what it types: ccwake log --log-file %s\n",
			h.launchdTarget(), filepath.Join(h.logDir(), "ccwake.log"))
	}
	return nil
}

func (h *Host) launchdTarget() string {
	return "gui/" + strconv.Itoa(h.uid) + "/" + launchdLabel
}

func (h *Host) uninstall(ctx context.Context) error {
	path, err := h.file()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(h.out, "not installed: no %s\n", path)
		return nil
	}
	var stopErr error
	switch h.goos {
	case "linux":
		if out, err := h.run(ctx, "systemctl", "--user", "disable", "--now", systemdUnitName); err != nil {
			stopErr = fmt.Errorf("%w%s", err, trailing(out))
		}
	case "darwin":
		if out, err := h.run(ctx, "launchctl", "bootout", h.launchdTarget()); err != nil {
			stopErr = fmt.Errorf("%w%s", err, trailing(out))
		}
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("service uninstall: %w", err)
	}
	fmt.Fprintf(h.out, "removed %s\n", path)
	if h.goos == "linux" {
		if out, err := h.run(ctx, "systemctl", "--user", "daemon-reload"); err != nil && stopErr == nil {
			stopErr = fmt.Errorf("%w%s", err, trailing(out))
		}
	}
	if stopErr != nil {
		return fmt.Errorf("service uninstall: removed %s, but stopping it failed (was it running?): %w", path, stopErr)
	}
	return nil
}

// State says whether the service is installed and runs, for doctor.
type State struct {
	File      string // the unit or agent; "" when not installed
	Exe       string // the ccwake it runs, when it could be read
	Running   bool
	Detail    string // the service manager's word on it
	Supported bool
}

func (h *Host) State(ctx context.Context) State {
	path, err := h.file()
	if err != nil {
		return State{}
	}
	st := State{Supported: true}
	body, err := os.ReadFile(path)
	if err != nil {
		return st
	}
	st.File = path
	switch h.goos {
	case "linux":
		st.Exe = UnitExe(string(body))
		out, err := h.run(ctx, "systemctl", "--user", "is-active", systemdUnitName)
		st.Detail = strings.TrimSpace(string(out))
		st.Running = err == nil && st.Detail == "active"
		if st.Detail == "" && err != nil {
			st.Detail = err.Error()
		}
	case "darwin":
		if i := strings.Index(string(body), "<array>"); i >= 0 {
			st.Exe = xmlFirstString(string(body[i:]))
		}
		out, err := h.run(ctx, "launchctl", "print", h.launchdTarget())
		if err != nil {
			st.Detail = "not loaded"
			break
		}
		st.Detail = launchdState(string(out))
		st.Running = st.Detail == "running"
	}
	return st
}

// UnitExe is the program of a unit's ExecStart= (unquoted, %% undone).
func UnitExe(unit string) string {
	for _, l := range strings.Split(unit, "\n") {
		v, ok := strings.CutPrefix(l, "ExecStart=")
		if !ok {
			continue
		}
		if strings.HasPrefix(v, `"`) {
			end := 1
			for end < len(v) && v[end] != '"' {
				if v[end] == '\\' {
					end++
				}
				end++
			}
			if end > len(v) {
				end = len(v)
			}
			v = strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(v[1:end])
		} else {
			v, _, _ = strings.Cut(v, " ")
		}
		return strings.ReplaceAll(v, "%%", "%")
	}
	return ""
}

// xmlFirstString is the text of the first <string> element in s.
func xmlFirstString(s string) string {
	_, after, ok := strings.Cut(s, "<string>")
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, "</string>")
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(v)
}

// launchdState reads "state = running" from `launchctl print`.
func launchdState(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "state = "); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// writeFileAtomic writes path through a temporary file in its directory.
func writeFileAtomic(path string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ccwake-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// trailing formats a command's output after an error, if any.
func trailing(out []byte) string {
	if s := strings.TrimSpace(string(out)); s != "" {
		return ": " + s
	}
	return ""
}
