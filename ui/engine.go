package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ccwake/ccwake/resume"
)

// Engine is all the dashboard needs from the resumer. *resume.Engine
// satisfies it; tests use a fake. Every method must be safe to call from any
// goroutine and must not block for long: the dashboard calls them from Cmds.
type Engine interface {
	// Snapshot is the resumer's state now.
	Snapshot() resume.Snapshot
	// Changes signals that the snapshot changed: a channel of capacity 1
	// with non-blocking sends, so bursts coalesce. Closed when the engine
	// stops.
	Changes() <-chan struct{}
	// Retry skips every wait of one session (the client's own auto-continue
	// countdown included), never the guards.
	Retry(id string)
	// Pause stops or restarts resuming one session.
	Pause(id string, paused bool)
	// Reopen starts one stalled session again (`claude --resume`) when no
	// live process holds it, then resumes it with every guard; with a live
	// pane it is a Retry.
	Reopen(id string)
	// Dismiss hides a session until it stalls again.
	Dismiss(id string)
	// SetAuto turns auto-resume on or off.
	SetAuto(on bool)
	// Jump brings the session's pane in front of the user (tmux
	// select-window, select-pane, switch-client); it types nothing. Its
	// error says why it cannot (not inside tmux, another server, no pane).
	Jump(ctx context.Context, id string) error
}

// jumpedMsg reports how a jump went; err nil is success.
type jumpedMsg struct {
	id  string
	err error
}

// jump runs Engine.Jump off the Update goroutine: the dashboard never runs
// tmux itself.
func jump(e Engine, id string) tea.Cmd {
	return func() tea.Msg {
		return jumpedMsg{id: id, err: e.Jump(context.Background(), id)}
	}
}

// snapshotMsg carries a fresh snapshot. rearm says it came from a change
// notification, so Update must wait for the next one.
type snapshotMsg struct {
	snap  resume.Snapshot
	rearm bool
}

// engineClosedMsg says the engine's Changes channel closed: it stopped.
type engineClosedMsg struct{}

// loadSnapshot reads the current snapshot once.
func loadSnapshot(e Engine) tea.Cmd {
	return func() tea.Msg { return snapshotMsg{snap: e.Snapshot()} }
}

// waitForChange blocks until the engine signals a change, then reads the
// snapshot in the same goroutine. Update re-arms it after each snapshot;
// when the channel closes it reports that once and is not re-armed.
func waitForChange(e Engine, ch <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return engineClosedMsg{}
		}
		return snapshotMsg{snap: e.Snapshot(), rearm: true}
	}
}

// call runs one engine method off the Update goroutine. The result comes
// back as a snapshot through Changes, like any other change.
func call(f func()) tea.Cmd {
	return func() tea.Msg {
		f()
		return nil
	}
}
