// Package ui is the ccwake dashboard: a bubbletea v2 program that shows what
// the resumer is doing and lets a human nudge it (retry now, pause, dismiss,
// auto-resume on/off).
//
// It sits at the end of the pipeline (watch → classify → decide → act → show)
// and sees the resumer only through the small Engine interface below, so it
// never touches tmux or transcripts itself.
//
// Layout of the package, one job per file:
//
//	ui.go        Model, New, Run; the root Update routes each message to its owner
//	engine.go    Engine interface; the "wait for next change" Cmd; engine calls
//	wake.go      countdown timers: armed only while a countdown is on screen
//	keys.go      keyMap (help.KeyMap) and the per-mode help
//	styles.go    Styles, built once per background
//	rows.go      which sessions show, in what order, and their cell texts
//	format.go    small pure formatters (countdown, kind, project, pane)
//	layout.go    how many lines each part of the screen gets
//	columns.go   column widths for a terminal width
//	table.go     the session table (own widget: per-cell colours)
//	header.go    the header lines
//	eventlog.go  the recent-actions log under the table
//	events.go    actions and reasons in people's words, not the engine's names
//	zone.go      the zone a message states its reset in
//	details.go   the details view of one session
//	filter.go    the "/" filter line
//	constants.go every tuning constant
package ui
