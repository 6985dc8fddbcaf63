package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
)

// footerView is the key help at the bottom. The short form always ends with
// "? help  q quit" and, when the table's rows overflow it, the position
// ("3/12"): the other keys give way first when the terminal is narrow. The
// full help (?) is bubbles' own columns plus what the states mean.
func (m Model) footerView() []string { return m.footer(m.position) }

// footer is footerView with the position asked of position, which runs
// only when the short form shows (render passes the one it already knows).
func (m Model) footer(position func() string) []string {
	km := m.keys.helpFor(m.mode(), m.filter.text != "")
	if m.help.ShowAll {
		// The full help is modal: its "?" entry says how to close it, and
		// q closes it rather than quitting.
		full := km.FullHelp()
		for i, col := range full {
			var out []key.Binding
			for _, b := range col {
				switch b.Help().Key {
				case m.keys.Help.Help().Key:
					out = append(out, m.keys.CloseHelp)
				case m.keys.Quit.Help().Key:
				default:
					out = append(out, b)
				}
			}
			full[i] = out
		}
		return strings.Split(m.help.FullHelpView(full), "\n") // the legend takes the body (render)
	}
	var rest, fixed []key.Binding
	for _, b := range km.ShortHelp() {
		if b.Help().Key == m.keys.Help.Help().Key || b.Help().Key == m.keys.Quit.Help().Key {
			fixed = append(fixed, b)
		} else {
			rest = append(rest, b)
		}
	}
	h := m.help
	h.SetWidth(0)
	right := h.ShortHelpView(fixed)
	if pos := position(); pos != "" && ansi.StringWidth(pos)+2+ansi.StringWidth(right) <= m.width {
		right = m.styles.Faint.Render(pos) + "  " + right
	}
	// As many of the other keys as fit, in order, before the fixed ones.
	left := ""
	for n := len(rest); n > 0; n-- {
		if l := h.ShortHelpView(rest[:n]); ansi.StringWidth(l)+2+ansi.StringWidth(right) <= m.width {
			left = l
			break
		}
	}
	if left == "" {
		return []string{cut(right, m.width)}
	}
	return []string{left + strings.Repeat(" ", max(2, m.width-ansi.StringWidth(left)-ansi.StringWidth(right))) + right}
}

// position is "cursor/rows" when the table's rows do not all fit on screen.
// In the details view it is the lines shown when they do not all fit.
func (m Model) position() string {
	if m.details.open {
		return m.details.position(len(m.detailsContent()), m.layout().body)
	}
	if len(m.rows) <= m.table.visible() {
		return ""
	}
	return fmt.Sprintf("%d/%d", m.table.cursor+1, len(m.rows))
}

// position is "lines a-b/total" when the total lines of the details do not
// all fit in h.
func (d detailsModel) position(total, h int) string {
	if total <= h {
		return ""
	}
	return fmt.Sprintf("lines %d-%d/%d", d.offset+1, min(d.offset+h, total), total)
}

// legend explains the states (from resume's phase table) and the columns;
// the full help (?) shows it in place of the table.
func (m Model) legend() []string {
	s := m.styles
	lines := []string{s.Label.Render("states")}
	seen := map[string]bool{}
	for _, p := range resume.Phases() {
		i := p.Info()
		if seen[i.Label] {
			continue
		}
		seen[i.Label] = true
		lines = append(lines, "  "+s.badge(p).Render(pad(i.Label, 9))+" "+i.Help)
	}
	lines = append(lines, s.Label.Render("columns"))
	for _, c := range columnHelp {
		lines = append(lines, "  "+pad(c[0], 10)+" "+c[1])
	}
	return lines
}

// columnHelp says what each table column shows.
var columnHelp = [][2]string{
	{"RESUME", "in 58m within the hour, due, else the clock time (stated zone)"},
	{"TRIES", "API errors in this stall / --max-attempts"},
	{"PANE", "the tmux pane matched to the session, or why there is none"},
	{"LAST EVENT", "the guard holding it, else its newest action, else its error"},
}
