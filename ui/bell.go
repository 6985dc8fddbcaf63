package ui

import tea "charm.land/bubbletea/v2"

// bellMsg says something wants the terminal bell (notify.Bell rang).
type bellMsg struct{}

// waitForBell blocks until ch delivers, then asks Update to ring. Update
// re-arms it; a closed or nil channel ends it. The BEL goes out through the
// program (tea.Raw) so it never lands inside a frame's escape sequence.
func waitForBell(ch <-chan struct{}) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return nil
		}
		return bellMsg{}
	}
}

// ring writes BEL and waits for the next one.
func (m Model) ring() (tea.Model, tea.Cmd) {
	return m, tea.Batch(tea.Raw("\a"), waitForBell(m.bell))
}
