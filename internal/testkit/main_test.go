package testkit

import (
	"os"
	"testing"
)

// TestMain removes the fake Claude the World test builds.
func TestMain(m *testing.M) { os.Exit(Main(m)) }
