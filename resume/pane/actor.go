package pane

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/ccwake/ccwake/resume/mux"
	"github.com/ccwake/ccwake/resume/mux/tmux"
	"github.com/ccwake/ccwake/resume/procs"
	"github.com/ccwake/ccwake/watch"
)

// Config configures the Actor. The zero value talks to tmux's
// default server with real commands and the host's process table.
type Config struct {
	// Socket is --tmux-socket (tmux -S). "" means the server of TmuxEnv,
	// else tmux's default server.
	Socket string
	// TmuxEnv is the value of $TMUX ("<socket>,<pid>,<session>"), passed in
	// by main so the library reads no environment.
	TmuxEnv string
	// Runner runs tmux (and lsof on macOS). nil: mux.ExecRunner with CallTimeout.
	Runner mux.Runner
	// Procs is the process table. nil: procs.NewHost(Runner).
	Procs procs.Table
	// CallTimeout bounds each external command. 0: mux.DefaultTimeout (3 s).
	CallTimeout time.Duration
	// Pause is the wait between the text and Enter. 0: 300 ms (measured: a
	// separate Enter after ~300 ms submitted every time).
	Pause time.Duration
	// Sleep waits d or until ctx ends. nil: a timer. Tests inject their own.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger gets debug lines about matching. nil: discard.
	Logger *slog.Logger
	// Backends names the terminal backends to search and type into, in
	// order: "tmux", "screen", "kitty". nil: tmux only.
	Backends []string
	// ScreenDir is $SCREENDIR for the screen backend ("" = screen's default).
	ScreenDir string
	// KittyListenOn is kitty's remote-control socket ("unix:/path", as in
	// $KITTY_LISTEN_ON), passed in by main.
	KittyListenOn string
	// Now is the clock of the pane listing's WaveTTL. nil: time.Now.
	Now func() time.Time
}

// Actor finds a session's pane, reads it and types into it, in whichever
// backend runs it (tmux, screen, kitty; Config.Backends), with every guard
// re-checked between the text and the Enter. It is what resume.Actor
// stands for outside tests.
type Actor struct {
	tmux    *tmux.Tmux
	tmuxEnv string // ccwake's own $TMUX: where Focus may switch the user's view
	procs   procs.Table
	pause   time.Duration
	sleep   func(ctx context.Context, d time.Duration) error
	log     *slog.Logger
	// backends are searched in order; pane ids are qualified by their name.
	backends []mux.Backend
	wave     wave
	now      func() time.Time
	initErr  error
}

// New builds the actor from cfg, filling in defaults.
func New(cfg Config) *Actor {
	if cfg.Runner == nil {
		cfg.Runner = mux.ExecRunner{Timeout: cfg.CallTimeout}
	}
	if cfg.Procs == nil {
		cfg.Procs = procs.NewHost(cfg.Runner)
	}
	if cfg.Pause <= 0 {
		cfg.Pause = 300 * time.Millisecond
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &Actor{
		now:     cfg.Now,
		tmux:    tmux.New(cfg.Runner, tmux.ResolveSocket(cfg.Socket, cfg.TmuxEnv)),
		tmuxEnv: cfg.TmuxEnv,
		procs:   cfg.Procs,
		pause:   cfg.Pause,
		sleep:   cfg.Sleep,
		log:     cfg.Logger,
	}
	a.backends, a.initErr = newBackends(cfg, a.tmux, cfg.Procs)
	return a
}

// Err says why the configuration cannot work (an unknown backend name).
func (a *Actor) Err() error { return a.initErr }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Tmux exposes the tmux client (for status lines such as which server is used).
func (a *Actor) Tmux() *tmux.Tmux { return a.tmux }

// candidate is one Claude Code process found in one pane.
type candidate struct {
	pane mux.Pane
	pid  int
	id   procs.Identity
}

// Locate finds the pane that runs s, on evidence that names s:
//
//  1. a sessions/<pid>.json in the process's own Claude root naming the
//     session, written by this process (same procStart), in a pane of our
//     server;
//  2. else a Claude process in the session's cwd whose root is the
//     transcript's root and whose sessions file names no other session
//     (releases before 2.1.145 write none). When another session of that
//     root and cwd is stalled too, or the process's root is unknown, the
//     error on screen says nothing (throttle texts are the same in every
//     session): the screen must show this session's own last prompt above
//     the stall, and no other stalled session's.
//
// A process of another root, or whose sessions file names another session,
// is never a candidate. Anything else is an error saying why.
func (a *Actor) Locate(ctx context.Context, s watch.Session) (Target, error) {
	if a.initErr != nil {
		return Target{}, a.initErr
	}
	panes, list, err := a.listing(ctx)
	if err != nil {
		return Target{}, fmt.Errorf("locate: %w", err)
	}
	tree := procs.NewTree(list)

	if t, ok, err := a.locateBySessionFile(ctx, s, panes, tree); ok || err != nil {
		return t, err
	}

	cands, refused := a.treeCandidates(ctx, s, panes, tree)
	if len(cands) == 0 {
		msg := fmt.Sprintf("no %s runs Claude Code in %s", a.paneWords(), s.Cwd)
		if len(refused) > 0 {
			msg += " for this session (" + strings.Join(refused, "; ") + ")"
		}
		return Target{}, notInPane(msg)
	}
	return a.pickUnnamed(ctx, s, cands)
}

// pickUnnamed chooses among processes that name no session. With no other
// stalled session of the same root and cwd, a pane there that shows a stall
// shows this one; otherwise only this session's own last prompt on screen
// tells.
func (a *Actor) pickUnnamed(ctx context.Context, s watch.Session, cands []candidate) (Target, error) {
	const how = "process tree + cwd"
	var need []string // why the screen must show this session's prompt
	peers, known := stalledPeers(s.Transcript, s.ID)
	switch {
	case !known:
		need = append(need, "the other sessions in "+s.Cwd+" cannot be read")
	case len(peers) > 0:
		need = append(need, fmt.Sprintf("%d other stalled session(s) in %s (%s)", len(peers), s.Cwd, peerIDs(peers)))
	}
	for _, c := range cands {
		if !c.id.SameRoot {
			need = append(need, fmt.Sprintf("the Claude root of pid %d is unknown", c.pid))
		}
	}
	if len(need) == 0 {
		if len(cands) == 1 {
			c := cands[0]
			return Target{Pane: c.pane.ID, PID: c.pid, How: how}, nil
		}
		return a.pickByScreen(ctx, s, cands, how, "run Claude in "+s.Cwd)
	}
	why := strings.Join(need, "; ")
	own, err := readTail(s.Transcript)
	if err != nil || own.prompt == "" {
		if err == nil {
			err = errors.New("no prompt in its last entries")
		}
		return Target{}, fmt.Errorf("%d pane(s) run Claude in %s without naming a session and %s, so only this session's last prompt on screen could tell, and it is not known: %w",
			len(cands), s.Cwd, why, err)
	}
	var shown []candidate
	var notes []string
	for _, c := range cands {
		text, err := a.capture(ctx, c.pane.ID)
		if err != nil {
			notes = append(notes, err.Error())
			continue
		}
		onScreen := lastPromptOnScreen(text)
		if !ClassifyStall(text, stallOf(s)).StallShown || !promptMatches(onScreen, own.prompt) {
			notes = append(notes, fmt.Sprintf("pane %s shows another prompt or no stall", c.pane.ID))
			continue
		}
		if other := clash(peers, onScreen); other != "" {
			notes = append(notes, fmt.Sprintf("pane %s shows a prompt session %s has too", c.pane.ID, other))
			continue
		}
		shown = append(shown, c)
	}
	switch len(shown) {
	case 1:
		c := shown[0]
		return Target{Pane: c.pane.ID, PID: c.pid, How: fmt.Sprintf("%s + its last prompt on screen (1 of %d panes)", how, len(cands))}, nil
	case 0:
		return Target{}, fmt.Errorf("%d pane(s) run Claude in %s without naming a session, %s, and none shows this session's last prompt %q above the stall alone (%s)",
			len(cands), s.Cwd, why, shorten(normSpace(own.prompt), 40), strings.Join(notes, "; "))
	}
	return Target{}, fmt.Errorf("%d panes show this session's last prompt above the stall; cannot tell which", len(shown))
}

// clash returns the id of a stalled peer whose last prompt the screen's
// prompt matches as well (or whose prompt is unknown): the screen cannot
// tell it from ours.
func clash(peers []tailView, onScreen string) string {
	for _, p := range peers {
		if p.prompt == "" || promptMatches(onScreen, p.prompt) {
			return p.id
		}
	}
	return ""
}

func peerIDs(peers []tailView) string {
	ids := make([]string, 0, min(len(peers), 3))
	for i, p := range peers {
		if i == 3 {
			ids = append(ids, "…")
			break
		}
		ids = append(ids, p.id)
	}
	return strings.Join(ids, ", ")
}

// pickByScreen chooses among several panes the one whose screen shows this
// stall as its last message. Anything but exactly one is an error: two
// panes that look the same are never guessed between. Only for panes that
// can show no other session's stall.
func (a *Actor) pickByScreen(ctx context.Context, s watch.Session, cands []candidate, how, what string) (Target, error) {
	var shown []candidate
	for _, c := range cands {
		text, err := a.capture(ctx, c.pane.ID)
		if err != nil {
			a.log.Debug("capture candidate", "pane", c.pane.ID, "err", err)
			continue
		}
		if ClassifyStall(text, stallOf(s)).StallShown {
			shown = append(shown, c)
		}
	}
	switch len(shown) {
	case 1:
		c := shown[0]
		return Target{Pane: c.pane.ID, PID: c.pid, How: fmt.Sprintf("%s + screen (1 of %d panes)", how, len(cands))}, nil
	case 0:
		return Target{}, fmt.Errorf("%d panes %s and none shows this stall", len(cands), what)
	}
	return Target{}, fmt.Errorf("%d panes %s; cannot tell which", len(shown), what)
}

// locateBySessionFile is the exact path. ok=false with a nil error means
// "no usable sessions file: search the process tree".
func (a *Actor) locateBySessionFile(ctx context.Context, s watch.Session, panes []mux.Pane, tree *procs.Tree) (Target, bool, error) {
	files, err := procs.FindSessionFiles(s.Root, s.ID)
	if err != nil {
		a.log.Debug("sessions files", "err", err)
		return Target{}, false, nil
	}
	var outside []string
	var found []candidate
	how := "sessions file + process tree"
	for _, f := range files {
		p, ok := tree.Get(f.PID)
		if !ok || !procs.StartMatches(f.ProcStart, p.Start) {
			continue // process gone or PID reused: a stale file
		}
		// The file must be the process's own: a process of another root
		// keeps its sessions files there, not here.
		if id := procs.RootOf(ctx, a.procs, f.PID, s.Root); id.RootKnown && !id.SameRoot {
			a.log.Debug("sessions file of a process of another root", "pid", f.PID, "root", id.Root)
			continue
		}
		in := false
		for _, pane := range panes {
			if pane.Dead || !tree.Contains(pane.PID, f.PID) {
				continue
			}
			in = true
			found = append(found, candidate{pane: pane, pid: f.PID})
			how = "sessions/" + strconv.Itoa(f.PID) + ".json + process tree"
			if _, _, id, err := procs.ParseTmuxField(f.Tmux); err == nil && mux.Qualify("tmux", id) == pane.ID {
				how = "sessions/" + strconv.Itoa(f.PID) + ".json tmux field"
			}
			break
		}
		if !in {
			outside = append(outside, strconv.Itoa(f.PID))
		}
	}
	switch {
	case len(found) == 1:
		return Target{Pane: found[0].pane.ID, PID: found[0].pid, How: how}, true, nil
	case len(found) > 1: // the session is open in two panes (claude --resume twice)
		t, err := a.pickByScreen(ctx, s, found, "sessions files", "have this session open")
		return t, true, err
	case len(outside) > 0:
		return Target{}, false, notInPane(fmt.Sprintf("it runs as pid %s, which is in no %s",
			strings.Join(outside, ", "), a.paneWords()))
	}
	return Target{}, false, nil
}

// treeCandidates returns, per live pane, the top-most Claude Code process
// in the session's cwd that may run it: not of another Claude root, and
// with no sessions file naming another session. refused says which
// processes in the cwd were ruled out and why.
func (a *Actor) treeCandidates(ctx context.Context, s watch.Session, panes []mux.Pane, tree *procs.Tree) (out []candidate, refused []string) {
	for _, pane := range panes {
		if pane.Dead {
			continue
		}
		for _, pid := range tree.Descendants(pane.PID) {
			p, _ := tree.Get(pid)
			if !procs.LooksLikeClaude(ctx, a.procs, p) {
				continue
			}
			cwd, err := a.procs.Cwd(ctx, pid)
			if err != nil || !procs.SameDir(cwd, s.Cwd) {
				continue
			}
			id := procs.Identify(ctx, a.procs, pid, s.Root, p.Start)
			if id.RootKnown && !id.SameRoot {
				refused = append(refused, fmt.Sprintf("pid %d in pane %s runs under Claude root %s", pid, pane.ID, id.Root))
				continue
			}
			if other := id.OtherSession(s.ID); other != "" {
				refused = append(refused, fmt.Sprintf("pid %d in pane %s runs session %s", pid, pane.ID, other))
				continue
			}
			out = append(out, candidate{pane: pane, pid: pid, id: id})
			break
		}
	}
	return out, refused
}

// Check runs the pane guards, then reads the screen.
func (a *Actor) Check(ctx context.Context, t Target, s watch.Session) Verdict {
	pane, err := a.paneGuards(ctx, t)
	if err != nil {
		return Verdict{Reason: err.Error()}
	}
	if cwd, err := a.procs.Cwd(ctx, t.PID); err != nil || !procs.SameDir(cwd, s.Cwd) {
		return Verdict{Reason: fmt.Sprintf("Claude (pid %d) in pane %s is not in %s any more", t.PID, pane.ID, s.Cwd)}
	}
	// /clear or /resume switch the session inside one process: re-read the
	// sessions file rather than trusting what Locate saw.
	if other := a.runsOtherSession(ctx, s, t.PID); other != "" {
		return Verdict{Reason: fmt.Sprintf("pane %s now runs session %s", pane.ID, other)}
	}
	text, err := a.capture(ctx, t.Pane)
	if err != nil {
		return Verdict{Reason: err.Error()}
	}
	info := ClassifyStall(text, stallOf(s))
	if info.Screen == ScreenDraft || info.Beneath == ScreenDraft {
		// The input line may hold Claude Code's hint, not a draft. Any doubt
		// keeps the draft guard.
		if a.onlyHint(ctx, t.Pane, info.Draft) {
			info = info.withoutDraft()
		}
	}
	reason := screenReason(t.Pane, info)
	if s.Agent {
		reason = agentReason(reason, info)
	}
	return Verdict{OK: info.Screen == ScreenReady, Screen: info.Screen, Beneath: info.Beneath, Reason: reason, StallShown: info.StallShown}
}

// runsOtherSession returns the session id in pid's sessions file (in its
// own root) when that file may be this incarnation's and names another
// session.
func (a *Actor) runsOtherSession(ctx context.Context, s watch.Session, pid int) string {
	var start string
	if p, err := a.procs.Get(ctx, pid); err == nil {
		start = p.Start
	}
	return procs.Identify(ctx, a.procs, pid, s.Root, start).OtherSession(s.ID)
}

// screenReason says in words what the screen shows.
func screenReason(pane string, info ScreenInfo) string {
	switch info.Screen {
	case ScreenReady:
		return "ready: the stall is the last message and the input line is empty"
	case ScreenDraft:
		return fmt.Sprintf("user typing: %q", shorten(info.Draft, 10))
	case ScreenDialog:
		return fmt.Sprintf("pane %s shows a dialog: Enter would pick an option", pane)
	case ScreenUsageDialog:
		return fmt.Sprintf("pane %s shows the usage-limit dialog (What do you want to do?)", pane)
	case ScreenAutoWait:
		return "Claude Code waits out the limit by itself (Continuing automatically …)"
	case ScreenBusy:
		return "Claude is busy (esc to interrupt)"
	case ScreenVimNormal:
		return "the prompt is in vim NORMAL mode: Enter would be a motion"
	case ScreenNoStall:
		if info.Last == "" {
			return "the stall is not on screen"
		}
		return fmt.Sprintf("the stall is not the last message on screen (last: %q)", shorten(info.Last, 40))
	}
	return fmt.Sprintf("pane %s does not look like Claude Code's prompt", pane)
}

// agentReason words the two screen verdicts that differ for an agent's
// cap: what was shown, and what was missing.
func agentReason(reason string, info ScreenInfo) string {
	switch info.Screen {
	case ScreenReady:
		return "ready: the agent's cap is in the last message and the input line is empty"
	case ScreenNoStall:
		return fmt.Sprintf("an agent hit the cap, but the last message on screen does not show it (last: %q)", shorten(info.Last, 40))
	}
	return reason
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// paneGuards checks what keys depend on: the pane exists, is alive, not in
// a mode, takes input, and the located Claude process is still in it and in
// the foreground of its terminal. It returns the pane's state.
func (a *Actor) paneGuards(ctx context.Context, t Target) (mux.Pane, error) {
	pane, err := a.paneInfo(ctx, t.Pane)
	if err != nil {
		if errors.Is(err, mux.ErrNoPane) {
			return mux.Pane{}, fmt.Errorf("pane %s is gone: %w", t.Pane, err)
		}
		return mux.Pane{}, err
	}
	switch {
	case pane.Dead:
		return pane, fmt.Errorf("pane %s is dead", pane.ID)
	case pane.InMode && (pane.Mode == "copy-mode" || pane.Mode == ""):
		return pane, fmt.Errorf("pane %s is in copy mode", pane.ID)
	case pane.InMode:
		return pane, fmt.Errorf("pane %s is in %s", pane.ID, pane.Mode)
	case pane.InputOff:
		return pane, fmt.Errorf("pane %s has input off", pane.ID)
	}
	claude, err := a.procs.Get(ctx, t.PID)
	if err != nil {
		return pane, fmt.Errorf("Claude (pid %d) in pane %s is gone", t.PID, pane.ID)
	}
	if !procs.LooksLikeClaude(ctx, a.procs, claude) {
		return pane, fmt.Errorf("pid %d in pane %s is no longer Claude Code (%s)", t.PID, pane.ID, claude.Comm)
	}
	if !a.inPane(ctx, pane.PID, t.PID) {
		return pane, fmt.Errorf("Claude (pid %d) is not in pane %s any more", t.PID, pane.ID)
	}
	if pane.Command != "" && !procs.IsClaudeName(pane.Command) { // screen tells no command: the group check below decides
		return pane, fmt.Errorf("pane %s has %s in the foreground, not Claude Code", pane.ID, pane.Command)
	}
	// A Ctrl-Z'd Claude leaves the shell in front: compare the terminal's
	// foreground process group with Claude's group.
	shell, err := a.procs.Get(ctx, pane.PID)
	if err != nil {
		return pane, fmt.Errorf("pane %s: %w", pane.ID, err)
	}
	if shell.TPGID != claude.PGID {
		return pane, fmt.Errorf("Claude (pid %d) is not the foreground process of pane %s (suspended?)", t.PID, pane.ID)
	}
	if err := a.noForegroundChild(ctx, claude, pane); err != nil {
		return pane, err
	}
	return pane, nil
}

// noForegroundChild refuses when Claude runs a program on the terminal in
// its own process group: Ctrl-G opens $EDITOR like that. The terminal's
// foreground group is then still Claude's and tmux still names Claude, yet
// keys reach the program, whose screen may look like Claude's. A
// descendant of Claude in the foreground group that has a terminal on
// stdin, stdout or stderr (or whose descriptors cannot be read) is such a
// program. Descendants with pipes only (tool commands, git, rg, MCP
// servers) read no keys and do not count.
func (a *Actor) noForegroundChild(ctx context.Context, claude procs.Proc, pane mux.Pane) error {
	list, err := a.procs.List(ctx)
	if err != nil {
		return fmt.Errorf("pane %s: %w", pane.ID, err)
	}
	tree := procs.NewTree(list)
	for _, p := range list {
		if p.PID == claude.PID || p.PGID != claude.PGID || !tree.Contains(claude.PID, p.PID) {
			continue
		}
		fds, err := a.procs.Stdio(ctx, p.PID)
		if err != nil {
			if _, gone := a.procs.Get(ctx, p.PID); gone != nil {
				continue // exited meanwhile
			}
			return fmt.Errorf("Claude (pid %d) runs %s (pid %d) in the foreground of pane %s, and whether it reads the terminal is unknown: %w",
				claude.PID, p.Comm, p.PID, pane.ID, err)
		}
		for _, f := range fds {
			if procs.IsTerminal(f, pane.TTY) {
				return fmt.Errorf("Claude (pid %d) runs %s (pid %d) in the foreground of pane %s", claude.PID, p.Comm, p.PID, pane.ID)
			}
		}
	}
	return nil
}

// inPane walks up from pid to the pane's first process.
func (a *Actor) inPane(ctx context.Context, panePID, pid int) bool {
	for range 256 {
		if pid == panePID {
			return true
		}
		p, err := a.procs.Get(ctx, pid)
		if err != nil || p.PPID <= 0 || p.PPID == pid {
			return false
		}
		pid = p.PPID
	}
	return false
}

// Type sends msg literally, waits the pause, re-checks the pane guards and
// only then sends Enter as a separate call. Keys are never C-c.
func (a *Actor) Type(ctx context.Context, t Target, msg string) error {
	if msg == "" || strings.IndexFunc(msg, unicode.IsControl) >= 0 {
		return fmt.Errorf("type into pane %s: message %q is empty or has control characters", t.Pane, msg)
	}
	if _, err := a.paneGuards(ctx, t); err != nil {
		return fmt.Errorf("type into pane %s: nothing typed: %w", t.Pane, err)
	}
	if err := a.sendLiteral(ctx, t.Pane, msg); err != nil {
		return err
	}
	if err := a.sleep(ctx, a.pause); err != nil {
		return fmt.Errorf("type into pane %s: %q typed, Enter not sent: %w", t.Pane, msg, err)
	}
	if _, err := a.paneGuards(ctx, t); err != nil {
		return fmt.Errorf("type into pane %s: %q typed, Enter not sent: %w", t.Pane, msg, err)
	}
	if err := a.onlyOurText(ctx, t, msg); err != nil {
		return fmt.Errorf("type into pane %s: %q typed, Enter not sent: %w", t.Pane, msg, err)
	}
	return a.sendKey(ctx, t.Pane, mux.KeyEnter)
}

// ErrHumanInput means the input line held other text than ccwake typed
// right before its Enter: a human typed too, and Enter would submit their
// words. Nothing is submitted.
var ErrHumanInput = errors.New("a human typed into the prompt; not submitting")

// onlyOurText re-reads the input line right before Enter: Enter may submit
// only exactly msg. Anything else is a human's keystrokes (ErrHumanInput)
// or a screen that lost the text.
func (a *Actor) onlyOurText(ctx context.Context, t Target, msg string) error {
	text, err := a.capture(ctx, t.Pane)
	if err != nil {
		return err
	}
	info := ClassifyScreen(text, "")
	switch {
	case !info.InputBox:
		return errors.New("the input line is not on screen")
	case info.Draft == normSpace(msg):
		return nil
	case info.Draft == "":
		return errors.New("the input line is empty: the text did not arrive")
	}
	// Claude Code's hint means the line is empty, not a human's draft.
	if a.onlyHint(ctx, t.Pane, info.Draft) {
		return errors.New("the input line is empty: the text did not arrive")
	}
	return fmt.Errorf("the input line holds %q: %w", shorten(info.Draft, 40), ErrHumanInput)
}

// Enter sends one Enter after the pane guards pass.
func (a *Actor) Enter(ctx context.Context, t Target) error {
	if _, err := a.paneGuards(ctx, t); err != nil {
		return fmt.Errorf("enter in pane %s: %w", t.Pane, err)
	}
	return a.sendKey(ctx, t.Pane, mux.KeyEnter)
}

// Escape sends one Escape after the pane guards pass.
func (a *Actor) Escape(ctx context.Context, t Target) error {
	if _, err := a.paneGuards(ctx, t); err != nil {
		return fmt.Errorf("escape in pane %s: %w", t.Pane, err)
	}
	return a.sendKey(ctx, t.Pane, mux.KeyEscape)
}

// InputHolds reports whether the input line holds exactly msg.
func (a *Actor) InputHolds(ctx context.Context, t Target, msg string) (bool, error) {
	text, err := a.capture(ctx, t.Pane)
	if err != nil {
		return false, err
	}
	info := ClassifyScreen(text, "")
	return info.InputBox && info.Draft == normSpace(msg), nil
}
