package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ccwake/ccwake/resume/statefile"
)

// The record of what was typed (reopened, dismissed, paused) is kept per
// Claude root where every instance that can take the root's lock finds it:
// statefile.RootPath under the per-user base the passwd database gives
// (statefile.UserBase), never $HOME, $XDG_STATE_HOME or --state-dir, which
// differ between a desktop session, cron and a systemd unit. The state dir
// of earlier versions (--state-dir, $XDG_STATE_HOME/ccwake) is still read:
// its state.json is merged into each root's record (legacyRecords).

// recordBase is this user's base directory for records.
func recordBase() (string, error) {
	return statefile.UserBase(os.Getuid(), statefile.PasswdHome)
}

// recordPaths is Config.StatePath: root's record under base, refused when
// base is unknown (baseErr) or the record would lie inside a Claude root
// (ccwake never writes there).
func recordPaths(base string, baseErr error, roots []string) func(string) (string, error) {
	return func(root string) (string, error) {
		if baseErr != nil {
			return "", fmt.Errorf("no place for the record of what was typed: %w", baseErr)
		}
		p, err := statefile.RootPath(base, root)
		if err != nil {
			return "", err
		}
		if r, ok := insideRoot(p, roots); ok {
			return "", fmt.Errorf("the record %s would be inside the Claude root %s: ccwake never writes there", p, r)
		}
		return p, nil
	}
}

// legacyRecords are the record files earlier versions wrote in stateDir.
func legacyRecords(stateDir string) []string {
	if stateDir == "" {
		return nil
	}
	return []string{filepath.Join(stateDir, "state.json")}
}

// checkRecord is doctor's look at a root's record: where it is, and FAIL
// when it cannot be used (nothing is typed) or was lost (older stalls are
// left to a human).
func (d *doctor) checkRecord(root string, roots, legacy []string) {
	base, err := recordBase()
	path, err := recordPaths(base, err, roots)(root)
	if err != nil {
		d.fail("record %s: %v: nothing is typed under it", root, err)
		return
	}
	st, err := statefile.Open(path, statefile.Options{Legacy: legacy})
	if err != nil {
		d.fail("record %s: %v: nothing is typed under %s until it can be read (remove it if it is not ccwake's)", path, err, root)
		return
	}
	h, why := st.Health()
	data := st.Data()
	switch {
	case !data.Lost.IsZero():
		how := "it could not be read back; the file has been rewritten since"
		if why != nil {
			how = why.Error()
		}
		d.fail("record %s: what it recorded was lost at %s (%s): stalls from before then are never typed for, "+
			"check those sessions yourself; this clears at %s", path, data.Lost.Local().Format(time.DateTime), how,
			data.Lost.Add(statefile.DefaultLimits.MaxAge).Local().Format(time.DateTime))
	case h == statefile.Recovered:
		d.warn("record %s: %v (nothing lost; the next write repairs it)", path, why)
	default:
		d.ok("record %s: %d typed, %d reopened, %d pending for %s", path, len(data.Typed), len(data.Reopened), len(data.Pending), root)
	}
}
