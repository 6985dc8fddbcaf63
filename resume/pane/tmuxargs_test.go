package pane

import "strings"

// The tmux commands the actor's unit tests expect on the fake runner,
// spelled out here (resume/mux/tmux builds them; its own tests pin them
// down): a change of tmux's argv shows in both places.

func tmuxArgv(socket string, args ...string) []string {
	a := []string{"tmux"}
	if socket != "" {
		a = append(a, "-S", socket)
	}
	return append(a, args...)
}

func paneFormat() string {
	fields := []string{"pane_id", "pane_pid", "pane_current_command", "pane_dead", "pane_in_mode",
		"pane_mode", "pane_input_off", "pane_tty", "session_name", "window_id"}
	for i, name := range fields {
		fields[i] = "#{" + name + "}"
	}
	return strings.Join(fields, "\t")
}

func listPanesArgs() []string { return []string{"list-panes", "-a", "-F", paneFormat()} }

func paneInfoArgs(pane string) []string {
	return []string{"display-message", "-p", "-t", pane, paneFormat()}
}

func captureArgs(pane string) []string { return []string{"capture-pane", "-p", "-t", pane} }

func styledCaptureArgs(pane string) []string { return []string{"capture-pane", "-p", "-e", "-t", pane} }
