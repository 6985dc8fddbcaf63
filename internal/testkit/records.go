package testkit

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// Records lists the per-root record directories under base (statefile's
// <base>/roots/<fsid>-<inode>), so a test binary that runs the real ccwake
// can remove afterwards the records its own runs left (ForgetRecords).
func Records(base string) map[string]bool {
	out := map[string]bool{}
	ents, _ := os.ReadDir(filepath.Join(base, "roots"))
	for _, e := range ents {
		out[e.Name()] = true
	}
	return out
}

// ForgetRecords removes the record directories under base that were not
// there before (Records) and whose Claude root is gone: a test's temporary
// root. A record of a root that still exists is never touched, so a real
// ccwake's record made meanwhile stays whatever happens.
func ForgetRecords(base string, before map[string]bool) {
	for name := range Records(base) {
		if before[name] {
			continue
		}
		dir := filepath.Join(base, "roots", name)
		b, err := os.ReadFile(filepath.Join(dir, "state.json"))
		if err != nil {
			b, err = os.ReadFile(filepath.Join(dir, "state.json.bak"))
		}
		var rec struct {
			Root string `json:"root"`
		}
		if err != nil || json.Unmarshal(b, &rec) != nil || rec.Root == "" {
			continue
		}
		if _, err := os.Lstat(rec.Root); os.IsNotExist(err) {
			_ = os.RemoveAll(dir)
		}
	}
}
