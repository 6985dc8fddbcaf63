package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/ccwake/ccwake/internal/termsafe"
	"github.com/ccwake/ccwake/resume"
)

// Options configures the dashboard. The zero value works.
type Options struct {
	// Now is the clock; nil means time.Now. Tests pin it so countdowns are
	// deterministic.
	Now func() time.Time
	// Loc is the zone clock times are shown in; nil means time.Local.
	Loc *time.Location
	// NoColor renders without colours (NO_COLOR, --no-color). Bold and
	// other attributes stay.
	NoColor bool
	// Recent is how long a resumed session keeps its row; 0 means 10m.
	Recent time.Duration
	// Home is shown as ~ in paths; "" means os.UserHomeDir.
	Home string
	// Logger receives the user's actions (retry, pause, …); nil discards.
	// The dashboard never prints logs to the terminal.
	Logger *slog.Logger
	// Program holds extra bubbletea options for Run (tests give it an input
	// and an output instead of the terminal).
	Program []tea.ProgramOption
	// Bell rings the terminal bell once per value received (notify.Bell
	// sends on it); nil never rings.
	Bell <-chan struct{}
	// Notify names the notification channels that are on ("bell",
	// "desktop", "cmd", "url"), for the header.
	Notify []string
}

// Model is the dashboard's bubbletea model.
type Model struct {
	eng    Engine
	log    *slog.Logger
	now    func() time.Time
	loc    *time.Location
	recent time.Duration
	home   string
	notify []string // notification channels on (Options.Notify)

	noColor bool
	styles  Styles
	keys    keyMap
	help    help.Model

	width, height int

	snap    resume.Snapshot
	closed  bool // the engine's Changes channel closed
	rows    []row
	table   tableModel
	details detailsModel
	filter  filterModel
	wake    waker
	bell    <-chan struct{}
	flash   string // one line of news (a jump that failed); the next key clears it
	flashOK bool
	zones   zones // the zones messages state resets in, loaded once
}

// New builds the dashboard for an engine.
func New(e Engine, opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Loc == nil {
		opts.Loc = time.Local
	}
	if opts.Recent <= 0 {
		opts.Recent = defaultRecent
	}
	if opts.Home == "" {
		opts.Home, _ = os.UserHomeDir()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	m := Model{
		eng: e, log: opts.Logger, now: opts.Now, loc: opts.Loc,
		recent: opts.Recent, home: opts.Home, notify: opts.Notify,
		noColor: opts.NoColor,
		styles:  NewStyles(opts.NoColor, true),
		keys:    defaultKeys(),
		help:    help.New(),
		wake:    waker{after: teaAfter},
		bell:    opts.Bell,
		zones:   zones{},
		width:   80, height: 24,
	}
	m.help.Styles = m.styles.Help
	m.help.ShortSeparator = "  " // the short help fits 80 columns
	return m.resize(m.width, m.height)
}

// Run shows the dashboard until the user quits or ctx ends. It returns nil
// when the user quits and ctx.Err() when ctx ended.
func Run(ctx context.Context, e Engine, opts Options) error {
	popts := append([]tea.ProgramOption{tea.WithContext(ctx)}, opts.Program...)
	if opts.NoColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err := tea.NewProgram(New(e, opts), popts...).Run()
	if ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}

// Init loads the first snapshot, starts waiting for changes, and asks the
// terminal for its background so the greys suit it.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{loadSnapshot(m.eng), waitForChange(m.eng, m.eng.Changes()), waitForBell(m.bell)}
	if !m.noColor {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// Update handles the window and the engine itself and hands keys and mouse
// to the part of the screen that owns them.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg.Width, msg.Height), nil
	case tea.BackgroundColorMsg:
		m.styles = NewStyles(m.noColor, msg.IsDark())
		m.help.Styles = m.styles.Help
		return m, nil
	case snapshotMsg:
		// Transcripts are anyone's text: nothing read from one reaches the
		// terminal with its control characters.
		m.snap = termsafe.Snapshot(msg.snap)
		var cmd tea.Cmd
		m, cmd = m.refresh()
		if msg.rearm {
			cmd = tea.Batch(cmd, waitForChange(m.eng, m.eng.Changes()))
		}
		return m, cmd
	case engineClosedMsg:
		m.closed = true
		return m, nil
	case bellMsg:
		return m.ring()
	case wakeMsg:
		var ok bool
		if m.wake, ok = m.wake.fired(msg); !ok {
			return m, nil
		}
		return m.refresh()
	case jumpedMsg:
		m.flash, m.flashOK = "jumped to "+shortID(msg.id), true
		if msg.err != nil {
			m.flash, m.flashOK = termsafe.String(msg.err.Error()), false
			m.log.Warn("dashboard: jump", "session", msg.id, "err", msg.err)
		}
		return m.relayout()
	case tea.KeyPressMsg:
		if m.flash != "" {
			m.flash = ""
			m = m.resize(m.width, m.height)
		}
		return m.key(msg)
	case tea.MouseWheelMsg:
		m.table = m.table.wheel(msg)
		return m, nil
	}
	return m, nil
}

// refresh rebuilds the rows for the current snapshot, time and filter, and
// arms the countdown timer if a countdown is on screen.
func (m Model) refresh() (Model, tea.Cmd) {
	now := m.now()
	m.rows = buildRows(m.snap, rowCtx{now: now, loc: m.loc, recent: m.recent, filter: m.filter.text, zones: m.zones})
	m.table = m.table.setRows(m.rows)
	m = m.fit()
	var cmd tea.Cmd
	m.wake, cmd = m.wake.arm(m.rows, now)
	return m, cmd
}

// mode is who gets the keyboard.
func (m Model) mode() mode {
	switch {
	case m.filter.editing:
		return modeFilter
	case m.details.open:
		return modeDetails
	}
	return modeTable
}

// key routes a key: the filter input takes everything while open; then the
// global keys; then the details view or the table.
func (m Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.help.ShowAll {
		return m.helpKey(msg)
	}
	if m.mode() == modeFilter {
		if msg.String() == "ctrl+c" {
			return m, tea.Quit
		}
		m.filter = m.filter.update(msg, m.keys)
		return m.relayout()
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m.relayout()
	case key.Matches(msg, m.keys.Auto):
		return m, m.setAuto(!m.snap.Auto)
	case key.Matches(msg, m.keys.Retry):
		return m, m.act("retry", m.eng.Retry)
	case key.Matches(msg, m.keys.Reopen):
		return m, m.act("reopen", m.eng.Reopen)
	case key.Matches(msg, m.keys.Dismiss):
		return m, m.act("dismiss", m.eng.Dismiss)
	case key.Matches(msg, m.keys.Pause):
		return m, m.togglePause()
	case key.Matches(msg, m.keys.Jump):
		if id := m.selectedID(); id != "" {
			m.log.Info("dashboard: jump", "session", id)
			return m, jump(m.eng, id)
		}
		return m, nil
	}
	if m.details.open {
		h := m.layout().body
		m.details, _ = m.details.update(msg, m.keys, h)
		m.details = m.details.clamp(len(m.detailsContent()), h)
		return m.relayout()
	}
	switch {
	case key.Matches(msg, m.keys.Details):
		if id := m.selectedID(); id != "" {
			m.details = m.details.show(id)
		}
		return m.relayout()
	case key.Matches(msg, m.keys.Filter):
		m.filter = m.filter.start()
		return m.relayout()
	case key.Matches(msg, m.keys.Clear):
		m.filter = filterModel{}
		return m.relayout()
	}
	m.table, _ = m.table.update(msg, m.keys)
	return m, nil
}

// helpKey is the full help's keyboard: it is modal, like lazygit's and
// k9s's. Esc, ? and q close it; ctrl+c still quits; no other key reaches
// the table or the engine behind it.
func (m Model) helpKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case msg.String() == "ctrl+c":
		return m, tea.Quit
	case key.Matches(msg, m.keys.CloseHelp):
		m.help.ShowAll = false
		return m.relayout()
	}
	return m, nil
}

// relayout recomputes sizes (the filter line or help may have appeared) and
// rows (the filter may have changed).
func (m Model) relayout() (tea.Model, tea.Cmd) {
	m = m.resize(m.width, m.height)
	return m.refresh()
}

// selectedID is the session the actions apply to: the one in the details
// view, else the one under the cursor.
func (m Model) selectedID() string {
	if m.details.open {
		return m.details.id
	}
	return m.table.selectedID()
}

// act calls an engine method on the selected session.
func (m Model) act(what string, f func(id string)) tea.Cmd {
	id := m.selectedID()
	if id == "" {
		return nil
	}
	m.log.Info("dashboard: "+what, "session", id)
	return call(func() { f(id) })
}

// togglePause pauses the selected session, or unpauses it when paused.
func (m Model) togglePause() tea.Cmd {
	id := m.selectedID()
	if id == "" {
		return nil
	}
	paused := true
	if st, ok := m.status(id); ok && st.Phase == resume.Paused {
		paused = false
	}
	m.log.Info("dashboard: pause", "session", id, "paused", paused)
	e := m.eng
	return call(func() { e.Pause(id, paused) })
}

// setAuto turns auto-resume on or off.
func (m Model) setAuto(on bool) tea.Cmd {
	m.log.Info("dashboard: auto-resume", "on", on)
	e := m.eng
	return call(func() { e.SetAuto(on) })
}

// status finds a session in the snapshot.
func (m Model) status(id string) (resume.Status, bool) {
	for _, st := range m.snap.Sessions {
		if st.Session.ID == id {
			return st, true
		}
	}
	return resume.Status{}, false
}

// View renders the whole screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "ccwake"
	return v
}

// render builds the screen text: header, filter line, table or details,
// event log, help.
func (m Model) render() string {
	l := m.layout()
	s := m.styles
	position := m.position
	lines := headerView(headerData{snap: m.snap, home: m.home, notify: m.notify, closed: m.closed, flash: m.flash, flashOK: m.flashOK}, s, m.width)
	if m.filter.active() {
		lines = append(lines, m.filter.view(s, len(m.rows), m.width))
	}
	if m.help.ShowAll && m.mode() != modeFilter {
		lines = append(lines, m.legend()...) // what the states and columns mean
	} else if m.details.open {
		// Built once a frame: the footer's position counts the same lines.
		c := m.detailsCtx()
		st, ok := m.status(m.details.id)
		content := m.details.content(st, ok, s, c)
		lines = append(lines, m.details.view(content, c)...)
		position = func() string { return m.details.position(len(content), c.height) }
	} else {
		lines = append(lines, strings.Split(m.table.view(s, m.emptyText()), "\n")...)
		lines = append(lines, logView(m.events(), m.filter.text != "", s, m.eventWho(), m.now(), m.loc, m.width, l.log)...)
	}
	foot := m.footer(position)
	foot = foot[:min(len(foot), m.height)]
	body := max(m.height-len(foot), 0)
	for len(lines) < body {
		lines = append(lines, "")
	}
	lines = append(lines[:body:body], foot...) // a tiny terminal loses body lines, never the keys
	for i, l := range lines {                  // no part may wrap the terminal's lines
		lines[i] = cut(l, m.width)
	}
	return strings.Join(lines, "\n")
}

// events is the event log's actions: all of them, or with a "/" filter
// those of the sessions it lets through and those whose words match.
func (m Model) events() []resume.Action {
	if m.filter.text == "" {
		return m.snap.Log
	}
	ids := make(map[string]bool, len(m.rows))
	for _, r := range m.rows {
		ids[r.st.Session.ID] = true
	}
	var out []resume.Action
	for _, a := range m.snap.Log {
		if eventMatches(a, m.filter.text, ids) {
			out = append(out, a)
		}
	}
	return out
}

// eventWho names events' sessions by id while the table shows ids, else
// by project, so every event can be matched to its row.
func (m Model) eventWho() eventWho {
	w := eventWho{projects: make(map[string]string, len(m.snap.Sessions)), width: idWidth}
	for _, c := range m.table.cols {
		switch c.id {
		case colSession:
			return eventWho{}
		case colProject:
			w.width = c.width
		}
	}
	for _, st := range m.snap.Sessions {
		w.projects[st.Session.ID] = project(st.Session.Cwd)
	}
	return w
}

// detailsCtx is the context the details view renders in now.
func (m Model) detailsCtx() detailsCtx {
	return detailsCtx{now: m.now(), loc: m.loc, home: m.home, width: m.width, height: m.layout().body, zones: m.zones}
}

// detailsContent is every line of the open details view.
func (m Model) detailsContent() []string {
	st, ok := m.status(m.details.id)
	return m.details.content(st, ok, m.styles, m.detailsCtx())
}

// emptyText is what the table says with no rows.
func (m Model) emptyText() string {
	if m.filter.text != "" {
		return "no session matches " + fmt.Sprintf("%q", m.filter.text)
	}
	return "no stalled sessions: all quiet"
}
