package synth

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchTree is the tree a benchmark runs on: $CCWAKE_BENCH_TREE (make it
// with `go run ./watch/internal/synth/cmd/gentree`), else a small generated
// one (300 transcripts, 10 projects, 5 stalled, 60 MB), so that
// `go test -bench .` always works.
func BenchTree(tb testing.TB) string {
	tb.Helper()
	if dir := os.Getenv("CCWAKE_BENCH_TREE"); dir != "" {
		return dir
	}
	dir := filepath.Join(tb.TempDir(), "claude")
	_, err := Generate(Config{Dir: dir, Transcripts: 300, Projects: 10, Stalled: 5,
		TotalBytes: 60 << 20, Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}
