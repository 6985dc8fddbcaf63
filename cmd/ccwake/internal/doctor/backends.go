package doctor

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/pane"
)

// backendCheck is what doctor found for one terminal backend.
type backendCheck struct {
	name    string
	used    bool // in --backends (or installed, without the flag)
	path    string
	version string
	where   string // the server it asked
	panes   int
	sess    int  // screen: sessions
	server  bool // a server answered
	noServ  bool // none runs (mux.ErrNoServer)
	err     error
	missing bool // not in $PATH
}

// backendHints say how to get each backend and how to run Claude in it.
var backendHints = map[string]struct{ install, run string }{
	"tmux":   {"apt install tmux, brew install tmux, dnf install tmux", "run claude inside tmux (or pass --tmux-socket) for ccwake to resume it"},
	"screen": {"apt install screen, brew install screen", "run claude in a screen window (same $SCREENDIR as ccwake) for ccwake to resume it"},
	"kitty":  {"apt install kitty, brew install --cask kitty", "for ccwake to resume claude in kitty, start kitty with allow_remote_control yes and listen_on unix:/tmp/kitty, and run ccwake where $KITTY_LISTEN_ON is set"},
}

// checkBackends prints one line per terminal backend ccwake knows (tmux,
// screen, kitty): installed or not, used or not (--backends), and whether
// its server answers with how many panes. Not installed is fine unless
// --backends asks for it or no backend is installed at all. A backend
// without a running server is a warning only when no used backend has one:
// then ccwake has nowhere to type.
func (d *doctor) checkBackends(ctx context.Context, o *Options) {
	asked := strings.TrimSpace(o.Backends) != ""
	var used []string
	if asked {
		for _, n := range strings.Split(o.Backends, ",") {
			switch n = strings.TrimSpace(n); {
			case n == "":
			case !slices.Contains(o.KnownBackends, n):
				d.fail("--backends: unknown backend %q (known: %s)", n, strings.Join(o.KnownBackends, ", "))
			default:
				used = append(used, n)
			}
		}
	}
	var checks []backendCheck
	anyServer, installed := false, 0
	for _, name := range o.KnownBackends {
		bc := backendCheck{name: name, used: !asked || slices.Contains(used, name)}
		path, err := exec.LookPath(name)
		if err != nil {
			bc.missing = true
			checks = append(checks, bc)
			continue
		}
		installed++
		bc.path, bc.version = path, backendVersion(ctx, path, name, o.ProbeTimeout)
		if bc.used {
			d.probeBackend(ctx, o, &bc)
			anyServer = anyServer || bc.server
		}
		checks = append(checks, bc)
	}
	for _, bc := range checks {
		h := backendHints[bc.name]
		switch {
		case bc.missing && asked && bc.used:
			d.fail("%s: not in $PATH, but --backends names it: install it (%s) or drop it from --backends", bc.name, h.install)
		case bc.missing:
			d.ok("%s: not installed (optional: %s)", bc.name, h.install)
		case !bc.used:
			d.ok("%s: %s (%s): not used (--backends %s)", bc.name, bc.path, bc.version, o.Backends)
		case bc.server:
			d.ok("%s: %s (%s); %s", bc.name, bc.path, bc.version, bc.found())
		case bc.noServ && anyServer:
			d.ok("%s: %s (%s); %s: one started later is found", bc.name, bc.path, bc.version, bc.none())
		case bc.noServ:
			d.warn("%s: %s (%s); %s: %s", bc.name, bc.path, bc.version, bc.none(), h.run)
		default:
			d.fail("%s: %s (%s); %s: %v", bc.name, bc.path, bc.version, bc.where, bc.err)
		}
	}
	if installed == 0 {
		d.fail("terminal backends: none of %s is in $PATH: install one; ccwake types only into their panes and windows",
			strings.Join(o.KnownBackends, ", "))
	}
}

// none says that no server of the backend answered, and where it asked.
func (bc backendCheck) none() string {
	switch bc.name {
	case "screen":
		return "no session in " + bc.where
	case "kitty":
		if bc.where == "" {
			return "$KITTY_LISTEN_ON is unset"
		}
		return "no kitty answers at " + bc.where
	}
	return "no server running on " + bc.where
}

// found says what a backend's server holds.
func (bc backendCheck) found() string {
	switch bc.name {
	case "screen":
		return fmt.Sprintf("%d session(s), %d window(s) (%s)", bc.sess, bc.panes, bc.where)
	case "kitty":
		return fmt.Sprintf("%d window(s) at %s", bc.panes, bc.where)
	}
	return fmt.Sprintf("server on %s: %d pane(s)", bc.where, bc.panes)
}

// probeBackend lists one backend's panes through the actor ccwake uses.
func (d *doctor) probeBackend(ctx context.Context, o *Options, bc *backendCheck) {
	ctx, cancel := withProbeTimeout(ctx, o.ProbeTimeout)
	defer cancel()
	a := pane.New(pane.Config{Socket: o.TmuxSocket, TmuxEnv: o.Getenv("TMUX"), Backends: []string{bc.name},
		KittyListenOn: o.Getenv("KITTY_LISTEN_ON")})
	switch bc.name {
	case "tmux":
		bc.where = a.Tmux().Socket()
		if bc.where == "" {
			bc.where = "tmux's default socket"
		}
	case "screen":
		bc.where = "screen's default socket directory"
		if dir := o.Getenv("SCREENDIR"); dir != "" {
			bc.where = "SCREENDIR " + dir
		}
	case "kitty":
		bc.where = o.Getenv("KITTY_LISTEN_ON")
	}
	panes, err := a.Panes(ctx)
	switch {
	case errors.Is(err, mux.ErrNoServer):
		bc.noServ = true
	case err != nil:
		bc.err = err
	default:
		bc.server, bc.panes = true, len(panes)
		seen := map[string]bool{}
		for _, p := range panes {
			seen[p.Session] = true
		}
		bc.sess = len(seen)
	}
}

// backendVersion is the first line of the program's version output
// ("tmux 3.3a", "Screen version 4.09.00 (GNU) 30-Jan-22", "kitty 0.26.5
// created by Kovid Goyal"); screen may exit non-zero after printing it.
// kitty starts Python to answer: seconds on a loaded machine.
func backendVersion(ctx context.Context, path, name string, timeout time.Duration) string {
	ctx, cancel := withProbeTimeout(ctx, timeout)
	defer cancel()
	flag := "--version"
	switch name {
	case "tmux":
		flag = "-V"
	case "screen":
		flag = "-v"
	}
	out, err := exec.CommandContext(ctx, path, flag).Output()
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	first, _, _ = strings.Cut(first, " created by ") // kitty's
	if first == "" {
		if err == nil {
			err = errors.New("no output")
		}
		return "version unknown: " + err.Error()
	}
	return first
}

// withProbeTimeout bounds one backend probe by --probe-timeout (0: no
// bound but ctx's own), so a wedged program cannot hold doctor up.
func withProbeTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
