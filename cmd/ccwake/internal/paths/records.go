package paths

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ccwake/ccwake/resume/statefile"
)

// The record of what was typed (reopened, dismissed, paused) is kept per
// Claude root where every instance that can take the root's lock finds it:
// statefile.RootPath under the per-user base the passwd database gives
// (statefile.UserBase), never $HOME, $XDG_STATE_HOME or --state-dir, which
// differ between a desktop session, cron and a systemd unit. The state dir
// of earlier versions (--state-dir, $XDG_STATE_HOME/ccwake) is still read:
// its state.json is merged into each root's record (LegacyRecords).

// RecordBase is this user's base directory for records.
func RecordBase() (string, error) {
	return statefile.UserBase(os.Getuid(), statefile.PasswdHome)
}

// RecordPaths is Config.StatePath: root's record under base, refused when
// base is unknown (baseErr) or the record would lie inside a Claude root
// (ccwake never writes there).
func RecordPaths(base string, baseErr error, roots []string) func(string) (string, error) {
	return func(root string) (string, error) {
		if baseErr != nil {
			return "", fmt.Errorf("no place for the record of what was typed: %w", baseErr)
		}
		p, err := statefile.RootPath(base, root)
		if err != nil {
			return "", err
		}
		if r, ok := InsideRoot(p, roots); ok {
			return "", fmt.Errorf("the record %s would be inside the Claude root %s: ccwake never writes there", p, r)
		}
		return p, nil
	}
}

// LegacyRecords are the record files earlier versions wrote in stateDir.
func LegacyRecords(stateDir string) []string {
	if stateDir == "" {
		return nil
	}
	return []string{filepath.Join(stateDir, "state.json")}
}
