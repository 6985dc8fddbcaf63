// Package testkit is ccwake's one test kit: one fake clock (Clock: stepped, or running with the wall clock), one
// poll helper (WaitFor), and the real terminal worlds the integration tests
// drive — a private tmux server (Tmux), a private GNU screen (Screen), a
// kitty under its own Xvfb (Kitty), the fake Claude Code of
// testdata/fakeclaude (FakeClaude, StartClaude) and, on top, a World that
// reads like lazygit's integration tests:
//
//	w := testkit.NewWorld(t)
//	c := w.Claude(testkit.ClaudeOpts{})
//	… start ccwake on w.Root and w.Tmux.Sock …
//	c.Stall("429")
//	c.ExpectTyped(1)
//
// Every server lives on its own socket or directory and is ended by that
// socket or by pid on cleanup, never by name, so tests that each make their
// own world may run in parallel. Only _test files import this package.
package testkit
