package watch

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/internal/synth"
)

// BenchmarkPoll10k is issue 19's figure, under each backend at its
// defaults: a synthetic tree of 10,000 transcripts over 300 project dirs,
// 10 of them written a minute ago and the rest three days ago. It reports
// the process's open descriptors once the watcher is running, the idle CPU
// over $CCWAKE_BENCH_IDLE (default 10s) as a percentage of one core, and
// the worst time from appending an error line to seeing the stall, over
// 5 recent and 3 old transcripts (the sweep visits each old one every
// 40 s: its figure depends on where the sweep is when the line is written). Run with -benchtime 1x: one op is one
// whole measurement (it waits through the sweeps, up to a minute).
func BenchmarkPoll10k(b *testing.B) {
	idle := 10 * time.Second
	if v := os.Getenv("CCWAKE_BENCH_IDLE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		idle = d
	}
	root := filepath.Join(b.TempDir(), "claude")
	tree, err := synth.Generate(synth.Config{Dir: root, Transcripts: 10_000, Projects: 300,
		TotalBytes: 10_000 * 16 << 10, MaxBytes: 8 << 20, Rand: rand.New(rand.NewPCG(19, 1))})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	recent, old := tree.Files[:10], tree.Files[10:]
	for i, p := range tree.Files {
		at := now.Add(-72 * time.Hour)
		if i < len(recent) {
			at = now.Add(-time.Minute)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			b.Fatal(err)
		}
	}
	// The project dirs too: a directory's time moves only when an entry
	// comes or goes, and these sessions started days ago.
	dirs, _ := filepath.Glob(filepath.Join(root, "projects", "*"))
	for _, d := range append(dirs, filepath.Join(root, "projects")) {
		at := now.Add(-72 * time.Hour)
		if err := os.Chtimes(d, at, at); err != nil {
			b.Fatal(err)
		}
	}
	for k, backend := range testBackends(b) {
		b.Run(string(backend), func(b *testing.B) {
			for b.Loop() {
				// Old ones spread over the tree, so that the sweep's
				// position does not favour them, and not the ones an
				// earlier run wrote to (they are recent now).
				picks := []string{old[1234+k], old[5678+k], old[len(old)-3-k]}
				fds, cpu, recentMax, oldMax := pollRun(b, root, backend, idle, recent[:5], picks)
				b.ReportMetric(float64(fds), "open-fds")
				b.ReportMetric(cpu, "idle-%core")
				b.ReportMetric(ms(recentMax), "recent-max-ms")
				b.ReportMetric(ms(oldMax), "old-max-ms")
			}
		})
	}
}

// pollRun runs one watcher and measures it.
func pollRun(b *testing.B, root string, backend Backend, idle time.Duration, recent, old []string) (fds int, cpuPct float64, recentMax, oldMax time.Duration) {
	w, err := New(Config{Roots: []string{root}, Since: 7 * 24 * time.Hour, Loc: time.UTC, Watch: backend})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	defer func() {
		cancel()
		for range w.Events() {
		}
		wg.Wait()
	}()
	waitEvent(b, w, func(e Event) bool { return e.Kind == Ready })
	time.Sleep(time.Second) // the cold start's garbage collected, the first ticks past
	fds = openFDs(b)
	t0 := cpuTime(b)
	if prof := os.Getenv("CCWAKE_BENCH_PROF"); prof != "" {
		f, err := os.Create(prof + "." + string(backend))
		if err != nil {
			b.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer f.Close()
	}
	time.Sleep(idle) // the measurement itself
	pprof.StopCPUProfile()
	cpuPct = 100 * (cpuTime(b) - t0).Seconds() / idle.Seconds()

	stallLatency := func(path string, i int) time.Duration {
		id := "bench-" + strconv.Itoa(i) + "-" + string(backend)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		start := time.Now()
		if _, err := f.WriteString(errorLine(id, "2026-11-22T16:00:00.000Z")); err != nil {
			b.Fatal(err)
		}
		waitEvent(b, w, func(e Event) bool {
			return e.Kind == SessionChanged && e.Session.Transcript == path && e.Session.LastUUID == id
		})
		return time.Since(start)
	}
	var lr, lo []time.Duration
	for i, p := range recent {
		lr = append(lr, stallLatency(p, i))
	}
	for i, p := range old {
		lo = append(lo, stallLatency(p, i))
	}
	fds = max(fds, openFDs(b))
	return fds, cpuPct, slices.Max(lr), slices.Max(lo)
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
