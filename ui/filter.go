package ui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// filterModel is the "/" filter: a one-line input that narrows the table
// to rows whose project, session, kind or state contains the text.
type filterModel struct {
	editing bool
	text    string
}

// active reports whether the filter line is on screen.
func (f filterModel) active() bool { return f.editing || f.text != "" }

// start opens the input, keeping any text so it can be edited.
func (f filterModel) start() filterModel {
	f.editing = true
	return f
}

// update edits the text: enter keeps it, esc clears it, backspace deletes.
func (f filterModel) update(msg tea.KeyPressMsg, k keyMap) filterModel {
	switch {
	case key.Matches(msg, k.Accept):
		f.editing = false
	case key.Matches(msg, k.Clear):
		return filterModel{}
	case msg.Code == tea.KeyBackspace:
		if r := []rune(f.text); len(r) > 0 {
			f.text = string(r[:len(r)-1])
		}
	case msg.Text != "":
		f.text += msg.Text
	}
	return f
}

// view renders the filter line with how many rows it lets through.
func (f filterModel) view(s Styles, shown, width int) string {
	cursor := ""
	if f.editing {
		cursor = "▏"
	}
	return cut(s.Filter.Render("/ ")+f.text+cursor+s.Faint.Render(countText(shown)), width)
}

func countText(n int) string {
	if n == 1 {
		return "   1 session"
	}
	return "   " + strconv.Itoa(n) + " sessions"
}
