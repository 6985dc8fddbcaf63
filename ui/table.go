package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ccwake/ccwake/resume"
)

// tableModel is the session table. bubbles/table styles whole rows only and
// ccwake colours single cells (state badge, kind, countdown), so this is a
// small widget of its own: columns, rows, a cursor, a scroll offset.
type tableModel struct {
	cols   []column
	hosts  bool // the HOST column is laid out
	rows   []row
	cursor int
	offset int
	// moved says the user moved the cursor. Until then the selection
	// stays on the top row, the most urgent one, however the rows change
	// (the first snapshots come before every stall is classified); after,
	// it stays on the session the user picked as the rows re-sort.
	moved  bool
	width  int
	height int // lines, the column header included
}

// setSize lays the columns out for a new size.
func (t tableModel) setSize(width, height int) tableModel {
	t.width, t.height = width, max(height, 1)
	t.cols = layoutColumnsFor(width, t.hosts)
	return t.clamp()
}

// setRows replaces the rows: the selection stays on the most urgent row
// until the user moves it, then on the same session while it is there.
func (t tableModel) setRows(rows []row) tableModel {
	id := t.selectedID()
	t.rows = rows
	if h := anyHost(rows); h != t.hosts {
		t.hosts = h
		t.cols = layoutColumnsFor(t.width, h)
	}
	if !t.moved {
		t.cursor = 0
		return t.clamp()
	}
	for i, r := range rows {
		if r.st.Session.ID == id {
			t.cursor = i
			break
		}
	}
	return t.clamp()
}

// selected is the status under the cursor.
func (t tableModel) selected() (resume.Status, bool) {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return resume.Status{}, false
	}
	return t.rows[t.cursor].st, true
}

func (t tableModel) selectedID() string {
	st, _ := t.selected()
	return st.Session.ID
}

// visible is how many rows fit under the column header.
func (t tableModel) visible() int { return max(t.height-1, 1) }

// move moves the cursor by n rows and scrolls to keep it in view.
func (t tableModel) move(n int) tableModel {
	t.cursor += n
	t.moved = true
	return t.clamp()
}

func (t tableModel) clamp() tableModel {
	t.cursor = max(0, min(t.cursor, len(t.rows)-1))
	vis := t.visible()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+vis {
		t.offset = t.cursor - vis + 1
	}
	t.offset = max(0, min(t.offset, len(t.rows)-vis))
	return t
}

// update handles the navigation keys; ok is false for any other key.
func (t tableModel) update(msg tea.KeyPressMsg, k keyMap) (tableModel, bool) {
	switch {
	case key.Matches(msg, k.Up):
		return t.move(-1), true
	case key.Matches(msg, k.Down):
		return t.move(1), true
	case key.Matches(msg, k.PageUp):
		return t.move(-t.visible()), true
	case key.Matches(msg, k.PageDown):
		return t.move(t.visible()), true
	case key.Matches(msg, k.Top):
		return t.move(-len(t.rows)), true
	case key.Matches(msg, k.Bottom):
		return t.move(len(t.rows)), true
	}
	return t, false
}

// wheel scrolls by mouse: the cursor follows so the selection stays on
// screen.
func (t tableModel) wheel(msg tea.MouseWheelMsg) tableModel {
	switch msg.Button {
	case tea.MouseWheelUp:
		return t.move(-wheelStep)
	case tea.MouseWheelDown:
		return t.move(wheelStep)
	}
	return t
}

// view renders the column header and the visible rows; empty is shown when
// there are no rows.
func (t tableModel) view(s Styles, empty string) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", gutter))
	for i, c := range t.cols {
		if i > 0 {
			b.WriteString(strings.Repeat(" ", sep))
		}
		b.WriteString(s.ColHeader.Render(pad(specs[c.id].title, c.width)))
	}
	if len(t.rows) == 0 {
		b.WriteString("\n" + strings.Repeat(" ", gutter) + s.Faint.Render(cut(empty, t.width-gutter)))
		return b.String()
	}
	end := min(len(t.rows), t.offset+t.visible())
	for i := t.offset; i < end; i++ {
		b.WriteByte('\n')
		b.WriteString(t.rowView(s, i))
	}
	return b.String()
}

// rowView renders one row, each cell in its own style.
func (t tableModel) rowView(s Styles, i int) string {
	r := t.rows[i]
	sel := i == t.cursor
	over := func(st lipgloss.Style) lipgloss.Style {
		if sel {
			return st.Inherit(s.Selected)
		}
		return st
	}
	var b strings.Builder
	if sel {
		b.WriteString(s.Marker.Render("▶") + " ")
	} else {
		b.WriteString(strings.Repeat(" ", gutter))
	}
	for j, c := range t.cols {
		if j > 0 {
			b.WriteString(over(s.Cell).Render(strings.Repeat(" ", sep)))
		}
		b.WriteString(over(cellStyle(s, r, c.id)).Render(pad(fitCell(c.id, r.cells[c.id], c.width), c.width)))
	}
	return b.String()
}

// cellStyle picks a cell's colour: badges by phase, kinds by kind, the
// countdown brighter in its last minute.
func cellStyle(s Styles, r row, id colID) lipgloss.Style {
	switch id {
	case colState:
		return s.badge(r.st.Phase)
	case colKind:
		return s.kind(r.st.Session.Kind)
	case colWait:
		if t, ok := strings.CutPrefix(r.cells[colWait], "in "); ok && !strings.ContainsAny(t, "mh") {
			return s.WaitSoon // the last minute
		}
		return s.Wait
	}
	return s.Cell
}

// fitCell shortens a cell to w cells: a clock time drops its "resets "
// or "at " word (never "in ", which tells a countdown from a clock), and a pane column too narrow for the reason there is none just says
// so (the details view has the reason).
func fitCell(id colID, text string, w int) string {
	if ansi.StringWidth(text) <= w {
		return text
	}
	switch {
	case id == colWait:
		if word, rest, ok := strings.Cut(text, " "); ok && (word == "resets" || word == "at" || word == "probe") {
			text = rest
		}
	case id == colPane && !isPaneID(text):
		text = "no pane"
		if w < len(text) {
			text = "none"
		}
	}
	return cut(text, w)
}

// pad pads s with spaces to w cells.
func pad(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// isPaneID tells a pane id ("tmux:%3", "screen:1234.host/0", the bare
// tmux "%3" of older states) from the reason there is none.
func isPaneID(text string) bool {
	return strings.HasPrefix(text, "%") || strings.HasPrefix(text, "tmux:") || strings.HasPrefix(text, "screen:")
}
