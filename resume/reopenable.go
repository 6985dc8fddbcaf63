package resume

import (
	"fmt"
	"github.com/ccwake/ccwake/resume/mux"
	"strconv"

	"github.com/ccwake/ccwake/watch"
)

// What may be passed to `claude --resume`, and where it may run. A session
// id comes from a transcript's sessionId or its file name: both are text
// anyone who can write under the Claude root controls. Reopening passes on
// only an id of the shape Claude Code writes, as `--resume=<id>` so that
// no program reads it as an option of its own; and it runs only in a cwd
// that still exists, since tmux starts a window whose directory is gone in
// its server's directory instead, where `claude --resume` is the wrong
// project. Either refusal needs a human: waiting cures neither.

// ValidSessionID reports whether id has the shape of the ids Claude Code
// writes: a canonical lower-case UUID (8-4-4-4-12 hex digits), as in every
// transcript measured, and the only form the client's --resume accepts.
func ValidSessionID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// errBadSessionID refuses an id that is not of that shape.
func errBadSessionID(id string) error {
	if len(id) > 60 {
		id = id[:60] + "…"
	}
	return fmt.Errorf("its session id %s is not of the shape Claude Code writes (a lower-case UUID): "+
		"never passed to claude, which could read it as an option", strconv.QuoteToASCII(id))
}

// ErrCwdGone means the session's working directory no longer exists (or
// is no directory): reopening it elsewhere would resume the session in the
// wrong project.
var ErrCwdGone = mux.ErrCwdGone

// checkCwd says whether dir can be a reopened session's working directory.
func checkCwd(dir string) error { return mux.CheckCwd(dir) }

// CheckReopen says why s cannot be reopened as it was (nil: it can, when no
// process holds it): its id is not one Claude Code writes, or its cwd is
// unknown or gone. `ccwake status` shows it; the engine checks the same.
func CheckReopen(s watch.Session) error {
	if _, err := ReopenSpec(s, "claude", ""); err != nil {
		return err
	}
	return checkCwd(s.Cwd)
}
