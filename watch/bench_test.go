package watch

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/internal/synth"
)

// BenchmarkScan is the cold start over a whole tree (what `ccwake status`
// does); it also reports the bytes read per transcript.
func BenchmarkScan(b *testing.B) {
	root := synth.BenchTree(b)
	cfg := Config{Roots: []string{root}, Since: 30 * 24 * time.Hour, Loc: time.UTC}
	// One counted pass for the bytes-read figures.
	fsys := newCountingFS()
	sessions, warns, err := scan(context.Background(), cfg, options{fsys: fsys})
	if err != nil || len(warns) > 0 {
		b.Fatalf("scan: %v %v", err, warns)
	}
	var total, most int64
	for _, s := range sessions {
		n := fsys.bytes(s.Transcript)
		total += n
		most = max(most, n)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Scan(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(sessions)), "transcripts")
	b.ReportMetric(float64(total)/float64(max(len(sessions), 1)), "B-read/file")
	b.ReportMetric(float64(most), "max-B-read/file")
}

// BenchmarkAppendLatency runs a watcher on the tree and measures how long an
// appended line takes to come out as a SessionChanged event. It writes only
// to a project dir of its own, removed afterwards. Run with -benchtime=100x
// for 100 appends.
func BenchmarkAppendLatency(b *testing.B) {
	root := synth.BenchTree(b)
	proj := filepath.Join(root, "projects", fmt.Sprintf("-bench-latency-%d", os.Getpid()))
	if err := os.MkdirAll(proj, 0o755); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(proj) })
	path := filepath.Join(proj, "latency.jsonl")
	if err := os.WriteFile(path, []byte(replyLine("r0", "2026-11-22T15:00:00.000Z")), 0o644); err != nil {
		b.Fatal(err)
	}
	w, err := New(Config{Roots: []string{root}, Since: 30 * 24 * time.Hour, Loc: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		for range w.Events() {
		}
		<-done
	}()
	waitEvent(b, w, func(e Event) bool { return e.Kind == Ready })

	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	base := time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := "a" + strconv.Itoa(i)
		at := base.Add(time.Duration(i) * time.Second).Format("2006-01-02T15:04:05.000Z")
		line := errorLine(id, at)
		if i%2 == 1 {
			line = userLine(id, at, "continue")
		}
		t0 := time.Now()
		if _, err := f.WriteString(line); err != nil {
			b.Fatal(err)
		}
		waitEvent(b, w, func(e Event) bool { return e.Kind == SessionChanged && e.Session.LastUUID == id })
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
}

// BenchmarkIdleCPU runs a watcher on the tree and measures the CPU time the
// process uses while nothing changes, over $CCWAKE_BENCH_IDLE (default 1s).
// Waiting is the measurement here, not sequencing.
func BenchmarkIdleCPU(b *testing.B) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		b.Skip("needs /proc/self/stat")
	}
	idle := time.Second
	if v := os.Getenv("CCWAKE_BENCH_IDLE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		idle = d
	}
	root := synth.BenchTree(b)
	for b.Loop() {
		w, err := New(Config{Roots: []string{root}, Since: 30 * 24 * time.Hour, Loc: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { w.Run(ctx) })
		waitEvent(b, w, func(e Event) bool { return e.Kind == Ready })
		t0 := cpuTicks(b)
		time.Sleep(idle)
		used := cpuTicks(b) - t0
		cancel()
		for range w.Events() {
		}
		wg.Wait()
		// Clock ticks are 10 ms on Linux (USER_HZ 100).
		b.ReportMetric(float64(used)*10/idle.Seconds(), "cpu-ms/s")
	}
}

// cpuTicks is utime+stime of this process from /proc/self/stat.
func cpuTicks(b *testing.B) int64 {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		b.Fatal(err)
	}
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	u, _ := strconv.ParseInt(fields[11], 10, 64) // field 14 overall
	k, _ := strconv.ParseInt(fields[12], 10, 64) // field 15
	return u + k
}

func waitEvent(b *testing.B, w *Watcher, ok func(Event) bool) {
	b.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case e, open := <-w.Events():
			if !open {
				b.Fatal("events closed")
			}
			if ok(e) {
				return
			}
		case <-deadline:
			b.Fatal("no event within 2 minutes")
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// The generated tree scans to exactly the stalled sessions the generator
// wrote, reading at most the budget of each file.
func TestSynthTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "claude")
	tree, err := synth.Generate(synth.Config{Dir: dir, Transcripts: 120, Projects: 7, Stalled: 9,
		TotalBytes: 30 << 20, MegaTail: 0.1, Rand: rand.New(rand.NewPCG(3, 4))})
	if err != nil {
		t.Fatal(err)
	}
	fsys := newCountingFS()
	sessions, warns, err := scan(context.Background(), Config{Roots: []string{dir}, Since: 48 * time.Hour, Loc: time.UTC}, options{fsys: fsys})
	if err != nil || len(warns) > 0 {
		t.Fatalf("scan: %v %v", err, warns)
	}
	if len(sessions) != len(tree.Files) {
		t.Errorf("%d sessions, want %d", len(sessions), len(tree.Files))
	}
	var stalled []string
	for _, s := range sessions {
		if s.State == Stalled {
			stalled = append(stalled, s.Transcript)
		}
		if n := fsys.bytes(s.Transcript); n > coldBudget {
			t.Errorf("%s: read %d bytes", s.Transcript, n)
		}
		if s.LastError != "" {
			t.Errorf("%s: %s", s.Transcript, s.LastError)
		}
	}
	sort.Strings(stalled)
	if !slices.Equal(stalled, tree.Stalled) {
		t.Errorf("stalled %v, want %v", stalled, tree.Stalled)
	}
}
