package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch/classify"
)

// Styles is every style the dashboard uses, built once per background (and
// again only if the terminal reports a different one). Colours are the
// terminal's own 16 where meaning matters, so they follow the user's theme;
// greys adapt to a dark or light background. With noColor nothing is
// coloured: badges and kinds are words, so nothing is lost.
type Styles struct {
	Title   lipgloss.Style
	Faint   lipgloss.Style
	Warn    lipgloss.Style
	Err     lipgloss.Style
	On, Off lipgloss.Style // auto-resume indicator

	ColHeader lipgloss.Style
	Cell      lipgloss.Style
	Selected  lipgloss.Style // laid over every cell of the selected row
	Marker    lipgloss.Style // the selection gutter
	Badge     map[resume.Phase]lipgloss.Style
	Kind      map[classify.Kind]lipgloss.Style
	Wait      lipgloss.Style
	WaitSoon  lipgloss.Style // under a minute

	Rule    lipgloss.Style // section titles ("events")
	LogTime lipgloss.Style
	LogWhat lipgloss.Style
	Label   lipgloss.Style // details: field names
	Filter  lipgloss.Style

	Help help.Styles
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(noColor, dark bool) Styles {
	ld := lipgloss.LightDark(dark)
	base := lipgloss.NewStyle()
	fg := func(c color.Color) lipgloss.Style {
		if noColor {
			return base
		}
		return base.Foreground(c)
	}
	red, green, yellow, blue := lipgloss.Red, lipgloss.Green, lipgloss.Yellow, lipgloss.Blue
	magenta, cyan := lipgloss.Magenta, lipgloss.Cyan
	grey := ld(lipgloss.Color("245"), lipgloss.Color("243"))
	orange := ld(lipgloss.Color("166"), lipgloss.Color("214"))

	s := Styles{
		Title:     fg(magenta).Bold(true),
		Faint:     fg(grey),
		Warn:      fg(orange).Bold(true),
		Err:       fg(red).Bold(true),
		On:        fg(green).Bold(true),
		Off:       fg(red).Bold(true),
		ColHeader: fg(grey).Bold(true),
		Cell:      base,
		Selected:  base.Bold(true),
		Marker:    fg(magenta).Bold(true),
		Wait:      fg(yellow),
		WaitSoon:  fg(yellow).Bold(true),
		Rule:      fg(grey),
		LogTime:   fg(grey),
		LogWhat:   base.Bold(true),
		Label:     fg(grey),
		Filter:    fg(magenta),
		Badge: map[resume.Phase]lipgloss.Style{
			resume.Resuming:    fg(green).Bold(true),
			resume.Blocked:     fg(orange).Bold(true),
			resume.Waiting:     fg(yellow).Bold(true),
			resume.Watching:    fg(yellow),
			resume.Idle:        fg(yellow),
			resume.Unconfirmed: fg(red),
			resume.Fatal:       fg(red).Bold(true),
			resume.GaveUp:      fg(red),
			resume.Paused:      fg(grey),
			resume.Resumed:     fg(green),
			resume.Dismissed:   fg(grey),
		},
		Kind: map[classify.Kind]lipgloss.Style{
			classify.Throttle:    fg(cyan),
			classify.RateLimit:   fg(blue),
			classify.UsageLimit:  fg(magenta),
			classify.Overloaded:  fg(orange),
			classify.ServerError: fg(yellow),
			classify.Fatal:       fg(red),
		},
	}
	if noColor {
		s.Help = help.Styles{}
	} else {
		s.Help = help.DefaultStyles(dark)
	}
	if !noColor {
		s.Selected = s.Selected.Background(ld(lipgloss.Color("254"), lipgloss.Color("236")))
	}
	return s
}

// badge returns the style of a phase badge.
func (s Styles) badge(p resume.Phase) lipgloss.Style {
	if st, ok := s.Badge[p]; ok {
		return st
	}
	return s.Cell
}

// kind returns the style of an error kind.
func (s Styles) kind(k classify.Kind) lipgloss.Style {
	if st, ok := s.Kind[k]; ok {
		return st
	}
	return s.Cell
}
