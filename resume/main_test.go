package resume

import (
	"os"
	"testing"

	"github.com/ccwake/ccwake/internal/testkit"
)

// TestMain removes the fake Claude the integration tests share (built once
// per test process by testkit).
func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
