package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Every width from tiny to wide: the columns fill the line exactly, and the
// state, project, kind and countdown columns are always there.
func TestLayoutColumnsFits(t *testing.T) {
	for w := 40; w <= 240; w++ {
		cols := layoutColumns(w)
		total, have := gutter-sep, map[colID]bool{}
		for _, c := range cols {
			total += c.width + sep
			have[c.id] = true
			if c.width < 1 {
				t.Fatalf("width %d: column %s has width %d", w, specs[c.id].title, c.width)
			}
		}
		if total > w {
			t.Fatalf("width %d: columns take %d", w, total)
		}
		if have[colEvent] && total != w {
			t.Fatalf("width %d: columns take %d, want the event column to fill the line", w, total)
		}
		for _, id := range []colID{colState, colProject, colKind, colWait} {
			if !have[id] {
				t.Fatalf("width %d: column %s dropped", w, specs[id].title)
			}
		}
	}
}

func TestLayoutColumnsAt(t *testing.T) {
	tests := []struct {
		width int
		want  string
	}{
		{120, "STATE:8 PROJECT:20 SESSION:8 KIND:10 RESUME:16 TRIES:5 PANE:12 LAST EVENT:32"},
		{100, "STATE:8 PROJECT:16 SESSION:8 KIND:10 RESUME:16 TRIES:5 PANE:7 LAST EVENT:21"},
		{80, "STATE:8 PROJECT:13 KIND:10 RESUME:13 TRIES:5 PANE:7 LAST EVENT:16"},
		{60, "STATE:8 PROJECT:12 KIND:8 RESUME:13 LAST EVENT:13"},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range layoutColumns(tt.width) {
			got = append(got, fmt.Sprintf("%s:%d", specs[c.id].title, c.width))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("layoutColumns(%d) = %s\nwant %s", tt.width, g, tt.want)
		}
	}
}

// No line of any screen is wider than the terminal, at any size down to
// 80×24 and below, in every view.
func TestRenderFitsTerminal(t *testing.T) {
	for _, size := range [][2]int{{200, 60}, {120, 40}, {100, 30}, {80, 24}, {64, 16}, {40, 10}} {
		for _, keys := range [][]tea.Msg{nil, {enter}, {press('?')}, {press('/'), press('s')}} {
			m, _ := recorded(t, busySnapshot(), testNow)
			m = step(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m = step(t, m, snapshotMsg{snap: busySnapshot()})
			for _, k := range keys {
				m = step(t, m, k)
			}
			lines := strings.Split(m.View().Content, "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d keys %v: %d lines, want %d", size[0], size[1], keys, len(lines), size[1])
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%dx%d keys %v: line %d is %d wide: %q", size[0], size[1], keys, i, w, ansi.Strip(l))
				}
			}
		}
	}
}
