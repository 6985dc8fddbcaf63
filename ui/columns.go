package ui

// colID names a table column.
type colID int

const (
	colState colID = iota
	colHost        // only with rows of other machines (ccwake --host)
	colProject
	colSession
	colKind
	colWait
	colTries
	colPane
	colEvent
	numCols
)

// colSpec is a column's title and preferred width.
type colSpec struct {
	title string
	want  int
}

// specs lists every column in display order. The event column takes what is
// left over.
var specs = [numCols]colSpec{
	colState:   {"STATE", 8},
	colHost:    {"HOST", 12},
	colProject: {"PROJECT", projectWidth},
	colSession: {"SESSION", idWidth},
	colKind:    {"KIND", 10},
	colWait:    {"RESUME", 16},
	colTries:   {"TRIES", 5},
	colPane:    {"PANE", 12},
	colEvent:   {"LAST EVENT", 40},
}

// fitSteps is the order in which columns give way when the terminal is
// narrow: each step shrinks a column to a width, or drops it (width 0).
// State, project, kind and the countdown never drop: they are the point of
// the table. At 100 columns everything stays; at 80 the session id goes.
var fitSteps = []struct {
	id    colID
	width int
}{
	{colEvent, 24},
	{colPane, 7},
	{colHost, 8},
	{colProject, 16},
	{colEvent, 16},
	{colSession, 0},
	{colWait, 13},
	{colProject, 12},
	{colEvent, 12},
	{colKind, 8},
	{colTries, 0},
	{colPane, 0},
	{colEvent, 0},
}

// column is one laid-out column.
type column struct {
	id    colID
	width int
}

// gutter is the selection marker before each row; sep separates cells.
const (
	gutter = 2
	sep    = 1
)

// layoutColumns fits the columns into width: the event column takes the
// rest; when there is not enough, columns give way in fitSteps order.
func layoutColumns(width int) []column { return layoutColumnsFor(width, false) }

// layoutColumnsFor is layoutColumns with the HOST column when hosts is set.
func layoutColumnsFor(width int, hosts bool) []column {
	w := [numCols]int{}
	on := [numCols]bool{}
	for i := range specs {
		w[i], on[i] = specs[i].want, true
	}
	on[colHost] = hosts
	total := func() int {
		t, n := gutter, 0
		for i := range specs {
			if on[i] {
				t += w[i]
				n++
			}
		}
		return t + sep*(n-1)
	}
	// Give the event column whatever is left (it may grow past its want).
	w[colEvent] = max(specs[colEvent].want, specs[colEvent].want+width-total())
	for _, st := range fitSteps {
		over := total() - width
		if over <= 0 {
			break
		}
		if st.width == 0 {
			on[st.id] = false
		} else if w[st.id] > st.width {
			w[st.id] = max(st.width, w[st.id]-over)
		}
	}
	if over := total() - width; over > 0 { // absurdly narrow: squeeze the rest
		for i := numCols - 1; i >= 0 && over > 0; i-- {
			if on[i] {
				cut := min(over, w[i]-1)
				w[i] -= cut
				over -= cut
			}
		}
	}
	if on[colEvent] { // the event column soaks up any slack after drops
		w[colEvent] += max(0, width-total())
	}
	cols := make([]column, 0, numCols)
	for i := range specs {
		if on[i] {
			cols = append(cols, column{id: colID(i), width: w[i]})
		}
	}
	return cols
}
