package paths

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A record path inside a Claude root is refused: ccwake never writes there.
func TestRecordPathsInsideRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), ".claude")
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	base, err := RecordBase()
	rec, err := RecordPaths(base, err, []string{root})(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RecordPaths(base, nil, []string{filepath.Dir(filepath.Dir(rec))})(root); err == nil ||
		!strings.Contains(err.Error(), "inside the Claude root") {
		t.Errorf("a record inside a root: %v", err)
	}
}
