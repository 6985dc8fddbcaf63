package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// keyMap is every key binding of the dashboard, in one struct so a key and
// its help text cannot drift apart.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding

	Retry   key.Binding
	Reopen  key.Binding
	Auto    key.Binding
	Pause   key.Binding
	Dismiss key.Binding
	Details key.Binding
	Jump    key.Binding
	Back    key.Binding
	Filter  key.Binding
	Accept  key.Binding // filter: keep the text, leave the input
	Clear   key.Binding // filter: drop the text
	Help    key.Binding
	Quit    key.Binding
	// CloseHelp closes the full help, which takes every key while open.
	CloseHelp key.Binding
}

func defaultKeys() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:        b("↑/k", "up", "up", "k"),
		Down:      b("↓/j", "down", "down", "j"),
		PageUp:    b("pgup", "page up", "pgup", "ctrl+u"),
		PageDown:  b("pgdn", "page down", "pgdown", "ctrl+d"),
		Top:       b("home/g", "top", "home", "g"),
		Bottom:    b("end/G", "bottom", "end", "G"),
		Retry:     b("r", "retry", "r"),
		Reopen:    b("R", "reopen", "R"),
		Auto:      b("a", "auto", "a"),
		Pause:     b("p", "pause", "p"),
		Dismiss:   b("x", "dismiss", "x"),
		Details:   b("enter", "details", "enter"),
		Jump:      b("o", "jump", "o"),
		Back:      b("esc/enter", "back", "esc", "enter"),
		Filter:    b("/", "filter", "/"),
		Accept:    b("enter", "keep filter", "enter"),
		Clear:     b("esc", "clear filter", "esc"),
		Help:      b("?", "help", "?"),
		Quit:      b("q", "quit", "q", "ctrl+c"),
		CloseHelp: b("esc/?/q", "close help", "esc", "?", "q"),
	}
}

// bindings is a help.KeyMap assembled for one mode: the global keys plus
// the active view's keys, as soft-serve composes its footer.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }

// mode is which part of the dashboard has the keyboard.
type mode int

const (
	modeTable mode = iota
	modeDetails
	modeFilter
)

// helpFor is the footer's key map in a mode; filtered says a filter
// narrows the table (esc clears it).
func (k keyMap) helpFor(m mode, filtered bool) help.KeyMap {
	switch m {
	case modeFilter:
		return bindings{
			short: []key.Binding{k.Accept, k.Clear},
			full:  [][]key.Binding{{k.Accept, k.Clear}},
		}
	case modeDetails:
		return bindings{
			short: []key.Binding{k.Back, k.Retry, k.Pause, k.Dismiss, k.Jump, k.Help, k.Quit},
			full:  [][]key.Binding{{k.Back}, {k.Retry, k.Reopen, k.Pause, k.Dismiss, k.Jump}, {k.Auto, k.Help, k.Quit}},
		}
	}
	if filtered {
		return bindings{
			short: []key.Binding{k.Retry, k.Pause, k.Dismiss, k.Details, k.Jump, k.Filter, k.Clear, k.Help, k.Quit},
			full: [][]key.Binding{
				{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
				{k.Retry, k.Reopen, k.Pause, k.Dismiss, k.Details, k.Jump},
				{k.Auto, k.Filter, k.Clear, k.Help, k.Quit},
			},
		}
	}
	return bindings{
		short: []key.Binding{k.Retry, k.Auto, k.Pause, k.Dismiss, k.Details, k.Jump, k.Filter, k.Help, k.Quit},
		full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.Retry, k.Reopen, k.Pause, k.Dismiss, k.Details, k.Jump},
			{k.Auto, k.Filter, k.Help, k.Quit},
		},
	}
}
