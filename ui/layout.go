package ui

// layoutSizes is how many lines each part of the screen gets.
type layoutSizes struct {
	header, filter, body, table, log, footer int
}

// layout splits the height: header and footer take what they need, the
// table gets its rows, the event log what is left (at least minLogLines when
// there is room), and the table never less than its header and one row.
func (m Model) layout() layoutSizes {
	var l layoutSizes
	l.header = 2
	if len(m.snap.Hosts) > 0 {
		l.header++ // hostsLine
	}
	if m.snap.LockHeldBy != "" {
		l.header++
	}
	if m.snap.StateProblem != "" {
		l.header++
	}
	if m.closed {
		l.header++
	}
	if m.flash != "" {
		l.header++
	}
	if m.filter.active() {
		l.filter = 1
	}
	l.footer = 1 // the short help is one line (footerView)
	if m.help.ShowAll {
		l.footer = len(m.footerView())
	}
	l.body = max(m.height-l.header-l.filter-l.footer, 2)
	need := 1 + max(len(m.rows), 1)
	if l.body < minBodyForLog {
		l.table = l.body
		return l
	}
	logWant := 1 + max(min(len(m.snap.Log), minLogLines), 1)
	l.table = max(min(need, l.body-logWant), 2)
	l.log = l.body - l.table
	return l
}

// resize records the terminal size and fits the parts to it.
func (m Model) resize(w, h int) Model {
	m.width, m.height = w, h
	return m.fit()
}

// fit sizes the table and help to the terminal; the table's share depends
// on the rows, so it runs after they change too.
func (m Model) fit() Model {
	m.help.SetWidth(m.width)
	m.table = m.table.setSize(m.width, m.layout().table)
	return m
}
