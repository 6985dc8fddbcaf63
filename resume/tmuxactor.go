package resume

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

	"github.com/ccwake/ccwake/watch"
)

// TmuxConfig configures the tmux Actor. The zero value talks to tmux's
// default server with real commands and the host's process table.
type TmuxConfig struct {
	// Socket is --tmux-socket (tmux -S). "" means the server of TmuxEnv,
	// else tmux's default server.
	Socket string
	// TmuxEnv is the value of $TMUX ("<socket>,<pid>,<session>"), passed in
	// by main so the library reads no environment.
	TmuxEnv string
	// Runner runs tmux (and ps/lsof on macOS). nil: ExecRunner with CallTimeout.
	Runner Runner
	// Procs is the process table. nil: NewHostProcs(Runner).
	Procs ProcTable
	// CallTimeout bounds each external command. 0: DefaultTimeout (3 s).
	CallTimeout time.Duration
	// Pause is the wait between the text and Enter. 0: 300 ms (measured: a
	// separate Enter after ~300 ms submitted every time).
	Pause time.Duration
	// Sleep waits d or until ctx ends. nil: a timer. Tests inject their own.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger gets debug lines about matching. nil: discard.
	Logger *slog.Logger
}

// TmuxActor implements Actor with tmux.
type TmuxActor struct {
	tmux  *Tmux
	procs ProcTable
	pause time.Duration
	sleep func(ctx context.Context, d time.Duration) error
	log   *slog.Logger
}

var _ Actor = (*TmuxActor)(nil)

// NewTmuxActor builds the actor from cfg, filling in defaults.
func NewTmuxActor(cfg TmuxConfig) *TmuxActor {
	if cfg.Runner == nil {
		cfg.Runner = ExecRunner{Timeout: cfg.CallTimeout}
	}
	if cfg.Procs == nil {
		cfg.Procs = NewHostProcs(cfg.Runner)
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
	return &TmuxActor{
		tmux:  NewTmux(cfg.Runner, ResolveSocket(cfg.Socket, cfg.TmuxEnv)),
		procs: cfg.Procs,
		pause: cfg.Pause,
		sleep: cfg.Sleep,
		log:   cfg.Logger,
	}
}

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

// Tmux exposes the client (for status lines such as which server is used).
func (a *TmuxActor) Tmux() *Tmux { return a.tmux }

// candidate is one Claude Code process found in one pane.
type candidate struct {
	pane Pane
	pid  int
}

// Locate finds the pane that runs s. Exact first: a sessions/<pid>.json
// naming the session whose process is alive (same procStart) and sits in a
// pane of our server. Otherwise every pane's process tree is searched for a
// Claude Code process in the session's cwd; several such panes are told
// apart only by the screen showing this stall as the last message. It never
// guesses: anything else is an error saying why.
func (a *TmuxActor) Locate(ctx context.Context, s watch.Session) (Target, error) {
	panes, err := a.tmux.ListPanes(ctx)
	if err != nil {
		return Target{}, fmt.Errorf("locate: %w", err)
	}
	list, err := a.procs.List(ctx)
	if err != nil {
		return Target{}, fmt.Errorf("locate: %w", err)
	}
	tree := newProcTree(list)

	if t, ok, err := a.locateBySessionFile(ctx, s, panes, tree); ok || err != nil {
		return t, err
	}

	cands := a.treeCandidates(ctx, s, panes, tree)
	switch len(cands) {
	case 0:
		return Target{}, fmt.Errorf("no tmux pane (%s) runs Claude Code in %s", a.tmux.where(), s.Cwd)
	case 1:
		c := cands[0]
		return Target{Pane: c.pane.ID, PID: c.pid, How: "process tree + cwd"}, nil
	}
	return a.pickByScreen(ctx, s, cands, "process tree + cwd", "run Claude in "+s.Cwd)
}

// pickByScreen chooses among several panes the one whose screen shows this
// stall as its last message. Anything but exactly one is an error: two
// panes that look the same are never guessed between.
func (a *TmuxActor) pickByScreen(ctx context.Context, s watch.Session, cands []candidate, how, what string) (Target, error) {
	var shown []candidate
	for _, c := range cands {
		text, err := a.tmux.Capture(ctx, c.pane.ID)
		if err != nil {
			a.log.Debug("capture candidate", "pane", c.pane.ID, "err", err)
			continue
		}
		if ClassifyScreen(text, s.Message).StallShown {
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
func (a *TmuxActor) locateBySessionFile(ctx context.Context, s watch.Session, panes []Pane, tree *procTree) (Target, bool, error) {
	files, err := FindSessionFiles(s.Root, s.ID)
	if err != nil {
		a.log.Debug("sessions files", "err", err)
		return Target{}, false, nil
	}
	var outside []string
	var found []candidate
	how := "sessions file + process tree"
	for _, f := range files {
		p, ok := tree.byPID[f.PID]
		if !ok || !startMatches(f.ProcStart, p.Start) {
			continue // process gone or PID reused: a stale file
		}
		in := false
		for _, pane := range panes {
			if pane.Dead || !tree.contains(pane.PID, f.PID) {
				continue
			}
			in = true
			found = append(found, candidate{pane: pane, pid: f.PID})
			how = "sessions/" + strconv.Itoa(f.PID) + ".json + process tree"
			if _, _, id, err := ParseTmuxField(f.Tmux); err == nil && id == pane.ID {
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
		return Target{}, false, fmt.Errorf("it runs as pid %s, which is in no pane of the tmux server (%s)",
			strings.Join(outside, ", "), a.tmux.where())
	}
	return Target{}, false, nil
}

// treeCandidates returns, per live pane, the top-most Claude Code process
// whose cwd is the session's and whose sessions file (if any) does not name
// another session.
func (a *TmuxActor) treeCandidates(ctx context.Context, s watch.Session, panes []Pane, tree *procTree) []candidate {
	var out []candidate
	for _, pane := range panes {
		if pane.Dead {
			continue
		}
		for _, pid := range tree.descendants(pane.PID) {
			p := tree.byPID[pid]
			if !looksLikeClaude(ctx, a.procs, p) {
				continue
			}
			cwd, err := a.procs.Cwd(ctx, pid)
			if err != nil || !sameDir(cwd, s.Cwd) {
				continue
			}
			if other := a.runsOtherSession(ctx, s, pid); other != "" {
				a.log.Debug("pane runs another session", "pane", pane.ID, "pid", pid, "session", other)
				continue
			}
			out = append(out, candidate{pane: pane, pid: pid})
			break
		}
	}
	return out
}

// Check runs the pane guards, then reads the screen.
func (a *TmuxActor) Check(ctx context.Context, t Target, s watch.Session) Verdict {
	pane, err := a.paneGuards(ctx, t)
	if err != nil {
		return Verdict{Reason: err.Error()}
	}
	if cwd, err := a.procs.Cwd(ctx, t.PID); err != nil || !sameDir(cwd, s.Cwd) {
		return Verdict{Reason: fmt.Sprintf("Claude (pid %d) in pane %s is not in %s any more", t.PID, pane.ID, s.Cwd)}
	}
	// /clear or /resume switch the session inside one process: re-read the
	// sessions file rather than trusting what Locate saw.
	if other := a.runsOtherSession(ctx, s, t.PID); other != "" {
		return Verdict{Reason: fmt.Sprintf("pane %s now runs session %s", pane.ID, other)}
	}
	text, err := a.tmux.Capture(ctx, t.Pane)
	if err != nil {
		return Verdict{Reason: err.Error()}
	}
	info := ClassifyScreen(text, s.Message)
	if info.Screen == ScreenDraft || info.Beneath == ScreenDraft {
		// The input line may hold Claude Code's dim hint, not a draft: only a
		// styled capture tells. Any doubt keeps the draft guard.
		if styled, err := a.tmux.CaptureStyled(ctx, t.Pane); err == nil && placeholderOnly(styled) {
			info = info.withoutDraft()
		}
	}
	return Verdict{OK: info.Screen == ScreenReady, Screen: info.Screen, Beneath: info.Beneath, Reason: screenReason(t.Pane, info), StallShown: info.StallShown}
}

// runsOtherSession returns the session id in sessions/<pid>.json when that
// file belongs to this incarnation of pid and names another session.
func (a *TmuxActor) runsOtherSession(ctx context.Context, s watch.Session, pid int) string {
	if s.Root == "" {
		return ""
	}
	sf, err := ReadSessionFile(SessionFilePath(s.Root, pid))
	if err != nil || sf.SessionID == s.ID {
		return ""
	}
	if p, err := a.procs.Get(ctx, pid); err == nil && sf.ProcStart != "" && p.Start != "" && sf.ProcStart != p.Start {
		return "" // stale file of an earlier process with this pid
	}
	return sf.SessionID
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
func (a *TmuxActor) paneGuards(ctx context.Context, t Target) (Pane, error) {
	pane, err := a.tmux.PaneInfo(ctx, t.Pane)
	if err != nil {
		if errors.Is(err, ErrNoPane) {
			return Pane{}, fmt.Errorf("pane %s is gone: %w", t.Pane, err)
		}
		return Pane{}, err
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
	if !looksLikeClaude(ctx, a.procs, claude) {
		return pane, fmt.Errorf("pid %d in pane %s is no longer Claude Code (%s)", t.PID, pane.ID, claude.Comm)
	}
	if !a.inPane(ctx, pane.PID, t.PID) {
		return pane, fmt.Errorf("Claude (pid %d) is not in pane %s any more", t.PID, pane.ID)
	}
	if !isClaudeName(pane.Command) {
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
	return pane, nil
}

// inPane walks up from pid to the pane's first process.
func (a *TmuxActor) inPane(ctx context.Context, panePID, pid int) bool {
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
func (a *TmuxActor) Type(ctx context.Context, t Target, msg string) error {
	if msg == "" || strings.IndexFunc(msg, unicode.IsControl) >= 0 {
		return fmt.Errorf("type into pane %s: message %q is empty or has control characters", t.Pane, msg)
	}
	if _, err := a.paneGuards(ctx, t); err != nil {
		return fmt.Errorf("type into pane %s: nothing typed: %w", t.Pane, err)
	}
	if err := a.tmux.SendLiteral(ctx, t.Pane, msg); err != nil {
		return err
	}
	if err := a.sleep(ctx, a.pause); err != nil {
		return fmt.Errorf("type into pane %s: %q typed, Enter not sent: %w", t.Pane, msg, err)
	}
	if _, err := a.paneGuards(ctx, t); err != nil {
		return fmt.Errorf("type into pane %s: %q typed, Enter not sent: %w", t.Pane, msg, err)
	}
	return a.tmux.SendKey(ctx, t.Pane, "Enter")
}

// Enter sends one Enter after the pane guards pass.
func (a *TmuxActor) Enter(ctx context.Context, t Target) error {
	if _, err := a.paneGuards(ctx, t); err != nil {
		return fmt.Errorf("enter in pane %s: %w", t.Pane, err)
	}
	return a.tmux.SendKey(ctx, t.Pane, "Enter")
}

// Escape sends one Escape after the pane guards pass.
func (a *TmuxActor) Escape(ctx context.Context, t Target) error {
	if _, err := a.paneGuards(ctx, t); err != nil {
		return fmt.Errorf("escape in pane %s: %w", t.Pane, err)
	}
	return a.tmux.SendKey(ctx, t.Pane, "Escape")
}

// InputHolds reports whether the input line holds exactly msg.
func (a *TmuxActor) InputHolds(ctx context.Context, t Target, msg string) (bool, error) {
	text, err := a.tmux.Capture(ctx, t.Pane)
	if err != nil {
		return false, err
	}
	info := ClassifyScreen(text, "")
	return info.InputBox && info.Draft == normSpace(msg), nil
}
