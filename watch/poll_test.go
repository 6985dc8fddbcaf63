package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/fsnotify/fsnotify"
)

// openFDs counts this process's open descriptors.
func openFDs(t testing.TB) int {
	t.Helper()
	dir := "/proc/self/fd"
	if runtime.GOOS != "linux" {
		dir = "/dev/fd"
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("cannot count descriptors: %v", err)
	}
	return len(ents) - 1 // the descriptor ReadDir itself had open
}

// maxFDs is the descriptor budget of a whole ccwake process watching
// 10,000 transcripts (issue 19): macOS allows one process a few thousand.
const maxFDs = 64

func TestParseAndResolveBackend(t *testing.T) {
	for _, c := range []struct {
		in, goos string
		want     Backend
		err      bool
	}{
		{"", "linux", Inotify, false},
		{"auto", "linux", Inotify, false},
		{"auto", "darwin", Poll, false},
		{"auto", "freebsd", Poll, false},
		{"poll", "linux", Poll, false},
		{"poll", "darwin", Poll, false},
		{"inotify", "linux", Inotify, false},
		{"inotify", "darwin", "", true},
		{"kqueue", "linux", "", true},
	} {
		b, err := ParseBackend(c.in)
		if err == nil {
			var why string
			b, why, err = b.resolveOn(c.goos)
			if err == nil && why == "" {
				t.Errorf("%q on %s: no reason given", c.in, c.goos)
			}
		}
		if (err != nil) != c.err || b != c.want {
			t.Errorf("%q on %s: %q, %v; want %q (error %v)", c.in, c.goos, b, err, c.want, c.err)
		}
	}
}

// The backend asked for is the one that runs: --watch poll gives the
// poller, and Backend says so.
func TestWatcherRunsTheChosenBackend(t *testing.T) {
	root, _ := newRoot(t)
	for _, b := range testBackends(t) {
		w, err := newWatcher(Config{Roots: []string{root}, Watch: b}, options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, why := w.Backend(); got != b || why == "" {
			t.Errorf("Watch %s: Backend() = %s, %q", b, got, why)
		}
		n, err := w.opt.newNotifier()
		if err != nil {
			t.Fatal(err)
		}
		if _, isPoll := n.(*poller); isPoll != (b == Poll) {
			t.Errorf("Watch %s: notifier %T", b, n)
		}
		n.Close()
	}
}

// bigTree writes n small transcripts over dirs project dirs, all of them
// modified days ago but the first recent ones; it returns their paths.
func bigTree(t testing.TB, root string, n, dirs, recent int) []string {
	t.Helper()
	old := time.Now().Add(-3 * 24 * time.Hour)
	paths := make([]string, n)
	for d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, "projects", fmt.Sprintf("-p%03d", d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		p := filepath.Join(root, "projects", fmt.Sprintf("-p%03d", i%dirs), fmt.Sprintf("s%05d.jsonl", i))
		writeFile(t, p, []byte(userLine("u"+fmt.Sprint(i), ts+"1.000Z", "hi")+replyLine("r"+fmt.Sprint(i), ts+"2.000Z")))
		if i >= recent {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
		paths[i] = p
	}
	return paths
}

// On 10,000 transcripts (10 written just now, the rest days ago) the whole
// process holds at most 64 descriptors, under each backend, and a stall in
// a recent transcript and in an old one both get through. The poller runs
// at its default tick here, with a short sweep: BenchmarkPoll10k measures
// the default's latencies.
func TestTenThousandTranscriptsBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 10,000 files")
	}
	root := filepath.Join(t.TempDir(), "root")
	paths := bigTree(t, root, 10_000, 300, 10)
	for k, b := range testBackends(t) {
		t.Run(string(b), func(t *testing.T) { // not parallel: descriptors are counted per process
			recent := 0 // 10, and the old ones an earlier subtest wrote to
			for _, path := range paths {
				if info, err := os.Stat(path); err == nil && time.Since(info.ModTime()) < time.Hour {
					recent++
				}
			}
			o := options{watch: b, poll: pollConfig{sweep: 3 * time.Second}}
			var p *poller
			if b == Poll {
				o.newNotifier = func() (notifier, error) {
					p = newPoller(osFS{}, time.Now, o.poll, isTranscript)
					return p, nil
				}
			}
			r := launchCfg(t, Config{Roots: []string{root}, Since: 24 * time.Hour, Loc: time.UTC}, o)
			r.waitFor(t, "Ready", time.Minute, func(e Event) bool { return e.Kind == Ready })
			if n := openFDs(t); n > maxFDs {
				t.Errorf("after the start: %d descriptors open, budget %d", n, maxFDs)
			}
			if n := r.w.Transcripts(); n != len(paths) {
				t.Fatalf("following %d transcripts, want %d", n, len(paths))
			}
			if p != nil {
				dirs, files, _, hot := p.stats()
				if files != len(paths) || dirs != 301 || hot != recent {
					t.Errorf("poller: %d dirs, %d files, %d hot; want 301, %d, %d", dirs, files, hot, len(paths), recent)
				}
			}
			for _, c := range []struct {
				what string
				path string
			}{{"recent", paths[3+k]}, {"old", paths[7777+k]}} {
				id := "e-" + c.what + "-" + string(b)
				appendFile(t, c.path, []byte(errorLine(id, ts+"3.000Z")))
				e := r.waitFor(t, "the stall in the "+c.what+" transcript", time.Minute, changedTo(c.path, id))
				if e.Session.State != Stalled {
					t.Errorf("%s: %+v", c.what, e.Session)
				}
				if n := openFDs(t); n > maxFDs {
					t.Errorf("after the %s stall: %d descriptors open, budget %d", c.what, n, maxFDs)
				}
			}
		})
	}
}

// Deleted transcripts and directories are forgotten by the poller as by
// the watcher: after rounds of sessions coming and going, it holds what
// is on disk and no more.
func TestPollerForgetsWhatIsGone(t *testing.T) {
	root, proj := newRoot(t)
	var p *poller
	o := backendOptions(Poll)
	o.newNotifier = func() (notifier, error) {
		p = newPoller(osFS{}, time.Now, o.poll, isTranscript)
		return p, nil
	}
	keep := filepath.Join(proj, "keep.jsonl")
	writeFile(t, keep, []byte(replyLine("k", ts+"1.000Z")))
	r := start(t, root, o)
	d0, f0, _, _ := p.stats()
	for round := range 3 {
		var made []string
		for i := range 20 {
			dir := filepath.Join(root, "projects", fmt.Sprintf("-round%d-%d", round, i%4))
			if err := os.MkdirAll(filepath.Join(dir, "sub", "subagents"), 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, fmt.Sprintf("s%d.jsonl", i))
			id := fmt.Sprintf("r%d-%d", round, i)
			writeFile(t, path, []byte(replyLine(id, ts+"1.000Z")))
			r.wait(t, "new "+path, changedTo(path, id))
			made = append(made, path)
		}
		for i, path := range made {
			if i%2 == 0 {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range 4 {
			if err := os.RemoveAll(filepath.Join(root, "projects", fmt.Sprintf("-round%d-%d", round, i))); err != nil {
				t.Fatal(err)
			}
		}
		gone := map[string]bool{}
		r.wait(t, "every one gone", func(e Event) bool {
			if e.Kind == SessionGone {
				gone[e.Session.Transcript] = true
			}
			return len(gone) == len(made)
		})
		// The poller may notice the dirs gone a tick after the files.
		testkit.WaitFor(t, fmt.Sprintf("round %d: the poller to hold %d dirs, %d files", round, d0, f0), func() bool {
			d, f, _, _ := p.stats()
			return d == d0 && f == f0
		}, func() string { d, f, _, _ := p.stats(); return fmt.Sprintf("it holds %d dirs, %d files", d, f) })
		if n := r.w.Transcripts(); n != 1 {
			t.Fatalf("round %d: watcher follows %d transcripts, want 1", round, n)
		}
	}
}

// Hot and cold: recently written transcripts are stat'ed every tick, old
// ones only by the sweep; the hot set is capped, the newest writes kept;
// an old transcript that is written to becomes hot.
func TestPollerHotAndCold(t *testing.T) {
	_, proj := newRoot(t)
	now := time.Now()
	mk := func(name string, age time.Duration) string {
		p := filepath.Join(proj, name)
		writeFile(t, p, []byte(replyLine(name, ts+"1.000Z")))
		at := now.Add(-age)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("a.jsonl", 3*time.Minute)
	mk("b.jsonl", 2*time.Minute)
	mk("c.jsonl", time.Minute)
	old := mk("old.jsonl", 72*time.Hour)
	mk("notes.md", 0) // not a transcript: not followed
	// A tick that never comes: the test ticks by hand.
	p := newPoller(osFS{}, time.Now, pollConfig{tick: time.Hour, sweep: 2 * time.Hour, maxHot: 2}, isTranscript)
	defer p.Close()
	if err := p.Add(proj); err != nil {
		t.Fatal(err)
	}
	hotNames := func() []string {
		p.mu.Lock()
		defer p.mu.Unlock()
		var out []string
		for n := range p.hotFiles {
			out = append(out, filepath.Base(n.path))
		}
		slices.Sort(out)
		return out
	}
	if got := hotNames(); !slices.Equal(got, []string{"b.jsonl", "c.jsonl"}) {
		t.Errorf("hot %v, want the two newest", got)
	}
	if _, files, _, _ := p.stats(); files != 4 {
		t.Errorf("%d files followed, want the 4 transcripts", files)
	}
	appendFile(t, old, []byte(errorLine("e1", ts+"2.000Z")))
	// The sweep gets to every file within sweep/tick ticks.
	var evs []fsnotify.Event
	for range 2 {
		evs = append(evs, p.tick()...)
	}
	if !slices.ContainsFunc(evs, func(e fsnotify.Event) bool { return e.Name == old && e.Has(fsnotify.Write) }) {
		t.Errorf("events %v: no write of the old transcript", evs)
	}
	if got := hotNames(); !slices.Equal(got, []string{"c.jsonl", "old.jsonl"}) {
		t.Errorf("hot %v after the old one was written", got)
	}
}

// Taking a node out of the sweep in the middle of a pass never makes the
// pass skip another one.
func TestPollerUnlinkKeepsThePass(t *testing.T) {
	for remove := range 8 {
		for next := range 9 {
			p := &poller{}
			for i := range 8 {
				p.insert(&pnode{path: fmt.Sprint(i)})
			}
			p.next = next
			var unvisited []string
			for _, n := range p.nodes[next:] {
				if n.path != fmt.Sprint(remove) {
					unvisited = append(unvisited, n.path)
				}
			}
			p.unlink(p.nodes[remove])
			var after []string
			for i, n := range p.nodes {
				if n.idx != i {
					t.Fatalf("remove %d at %d: node %s has idx %d at %d", remove, next, n.path, n.idx, i)
				}
				if i >= p.next {
					after = append(after, n.path)
				}
			}
			slices.Sort(unvisited)
			slices.Sort(after)
			if !slices.Equal(unvisited, after) || len(p.nodes) != 7 {
				t.Errorf("remove %d at %d: unvisited %v, want %v", remove, next, after, unvisited)
			}
		}
	}
}

// A directory listed while its modification time was recent is listed
// again: an entry made within the same timestamp tick leaves the time as
// the listing saw it (here the time is put back by hand, as a coarse
// clock would leave it).
func TestPollerRelistsRacyDir(t *testing.T) {
	_, proj := newRoot(t)
	p := newPoller(osFS{}, time.Now, pollConfig{tick: time.Hour, sweep: 2 * time.Hour}, isTranscript)
	defer p.Close()
	info, err := os.Stat(proj)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Add(proj); err != nil { // the dir was made just now: racy
		t.Fatal(err)
	}
	path := filepath.Join(proj, "new.jsonl")
	writeFile(t, path, []byte(replyLine("r", ts+"1.000Z")))
	if err := os.Chtimes(proj, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	evs := p.tick()
	if !slices.ContainsFunc(evs, func(e fsnotify.Event) bool { return e.Name == path && e.Has(fsnotify.Create) }) {
		t.Errorf("events %v: the new transcript was not found", evs)
	}
}
