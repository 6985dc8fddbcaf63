// Command gentree writes a synthetic Claude config dir for the watch
// benchmarks, e.g. the full-size tree:
//
//	go run ./watch/internal/synth/cmd/gentree -dir /work/bench-tree -n 10000 -projects 300 -size 8G -stalled 50
//
// then CCWAKE_BENCH_TREE=/work/bench-tree go test -bench . ./watch/
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ccwake/ccwake/watch/internal/synth"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gentree:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "", "config root to create (required; must not exist)")
	n := flag.Int("n", 10000, "transcripts")
	projects := flag.Int("projects", 300, "project dirs")
	stalled := flag.Int("stalled", 50, "stalled transcripts")
	size := flag.String("size", "8G", "approximate total size (K, M, G suffixes)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *dir == "" {
		return fmt.Errorf("-dir is required")
	}
	if _, err := os.Stat(*dir); err == nil {
		return fmt.Errorf("%s exists; remove it or choose another -dir", *dir)
	}
	total, err := parseSize(*size)
	if err != nil {
		return err
	}
	start := time.Now()
	tree, err := synth.Generate(synth.Config{
		Dir: *dir, Transcripts: *n, Projects: *projects, Stalled: *stalled, TotalBytes: total,
		Now: time.Now(), Rand: rand.New(rand.NewPCG(*seed, *seed^0x5eed)),
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d transcripts, %d stalled, %.2f GB in %v\n", len(tree.Files), len(tree.Stalled), float64(tree.Bytes)/1e9, time.Since(start).Round(time.Millisecond))
	return nil
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %w", s, err)
	}
	return int64(v * float64(mult)), nil
}
