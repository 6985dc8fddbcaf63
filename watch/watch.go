// Package watch finds Claude Code transcripts under one or more config roots,
// follows them as they grow and keeps each session's state current.
//
// It watches directories (never single files) with fsnotify, reads only new
// bytes of each file, and at start reads each transcript backwards from its
// end only as far as needed to know whether the session is stalled.
//
// Two backends tell it what changed (Config.Watch, --watch). Inotify, the
// default on Linux: fsnotify with one watch per directory (root/projects and
// each project dir), counted against fs.inotify.max_user_watches; when
// watches run out, the directories that could not be watched are polled
// every two seconds and a Warning says so. Poll, the default elsewhere
// (fsnotify's kqueue would hold a descriptor per transcript): a poller stats
// recently written transcripts every half second and sweeps the rest, and
// feeds the same events to the same code (see poller).
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"
)

// Config says what to watch.
type Config struct {
	Roots []string      // Claude config roots; transcripts are <root>/projects/<slug>/<id>.jsonl
	Since time.Duration // cold start considers transcripts modified within this window; 0: all
	// Loc is the zone for reset times printed without one (time.Local in production).
	Loc    *time.Location
	Now    func() time.Time // injected clock; time.Now when nil
	Logger *slog.Logger     // nil: discard
	// Watch is how changes are learnt (--watch): Auto (""), Inotify or
	// Poll. Scan ignores it.
	Watch Backend
}

// EventKind says what an Event reports.
type EventKind uint8

const (
	SessionChanged EventKind = iota + 1 // Session holds the new view of a transcript
	SessionGone                         // the transcript was deleted; Session holds its last view
	Warning                             // Err says what went wrong; the watcher keeps going
	Ready                               // the cold start is complete
)

// Event is what the watcher streams to the resumer.
type Event struct {
	Kind    EventKind
	Session Session
	Err     error
	Time    time.Time
}

// ErrNoRoot is returned when a configured root does not exist.
var ErrNoRoot = errors.New("watch: claude root not found")

// options are the seams tests and benchmarks turn; the zero value is the
// real thing.
type options struct {
	fsys        fileSystem
	newNotifier func() (notifier, error)
	// watch, when set, overrides Config.Watch: the tests run their
	// watchers under each backend.
	watch     Backend
	poll      pollConfig // the poll backend's timing
	pollEvery time.Duration
	budget    int // cold-start bytes per file
	workers   int // cold-start parallelism
	// freeMemory runs after a line of hugeLine bytes or more was held and
	// dropped: debug.FreeOSMemory, a GC that returns the freed pages now.
	// Without it the runtime keeps them (no allocation, no GC) and the
	// resident size stays at the peak of the longest line for minutes.
	// One GC per line of 8 MiB or more costs less than reading the line.
	freeMemory func()
}

func (o options) withDefaults() options {
	if o.fsys == nil {
		o.fsys = osFS{}
	}
	if o.newNotifier == nil {
		o.newNotifier = newFSNotifier
	}
	if o.pollEvery <= 0 {
		o.pollEvery = pollEvery
	}
	if o.budget <= 0 {
		o.budget = coldBudget
	}
	if o.freeMemory == nil {
		o.freeMemory = debug.FreeOSMemory
	}
	if o.workers <= 0 {
		o.workers = 8 // reads are short system calls: a few more than cores hides their latency
	}
	return o
}

func (c Config) withDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Loc == nil {
		c.Loc = time.Local
	}
	return c
}

// checkRoots returns an error wrapping ErrNoRoot for the first missing root.
// A root that exists but cannot be read is not an error here: listing it
// warns, and the watcher keeps going.
func checkRoots(fsys fileSystem, roots []string) error {
	if len(roots) == 0 {
		return fmt.Errorf("no root given: %w", ErrNoRoot)
	}
	for _, r := range roots {
		info, err := fsys.Stat(r)
		if errors.Is(err, fs.ErrNotExist) || err == nil && !info.IsDir() {
			return fmt.Errorf("%s: %w", r, ErrNoRoot)
		}
	}
	return nil
}

// Watcher follows transcripts until its context ends.
type Watcher struct {
	cfg    Config
	opt    options
	events chan Event

	mu    sync.Mutex
	table map[string]*transcript // path → transcript whose view Sessions lists; views change under mu
	count int                    // transcripts followed

	backend Backend // what Config.Watch resolved to
	why     string  // and why, for the start line and doctor

	// Owned by the Run goroutine.
	files map[string]*transcript
	byDir map[string]map[string]*transcript // project dir → its files: a dir's files without a walk over all
	dirty map[string]*transcript
	tree  *tree
	rd    *reader
	warns []error // collected while handling, sent after
}

// New checks the roots and prepares a watcher; Run starts it.
func New(cfg Config) (*Watcher, error) {
	return newWatcher(cfg, options{})
}

func newWatcher(cfg Config, o options) (*Watcher, error) {
	cfg = cfg.withDefaults()
	if o.watch != "" {
		cfg.Watch = o.watch
	}
	backend, why, err := cfg.Watch.Resolve()
	if err != nil {
		return nil, err
	}
	if backend == Poll && o.newNotifier == nil {
		fsys, now, pc := o.fsys, cfg.Now, o.poll
		if fsys == nil {
			fsys = osFS{}
		}
		o.newNotifier = func() (notifier, error) { return newPoller(fsys, now, pc, isTranscript), nil }
	}
	o = o.withDefaults()
	if err := checkRoots(o.fsys, cfg.Roots); err != nil {
		return nil, err
	}
	return &Watcher{
		cfg: cfg, opt: o, backend: backend, why: why, events: make(chan Event, 256),
		table: make(map[string]*transcript),
		files: make(map[string]*transcript),
		byDir: make(map[string]map[string]*transcript),
		dirty: make(map[string]*transcript),
	}, nil
}

// Backend is the backend in use (Inotify or Poll, never Auto) and why it
// was chosen, in words for a log line.
func (w *Watcher) Backend() (Backend, string) { return w.backend, w.why }

// Events is the stream of changes; it is closed when Run returns.
func (w *Watcher) Events() <-chan Event { return w.events }

// Sessions returns a copy of the current table, sorted by transcript path.
// It is safe to call from any goroutine.
func (w *Watcher) Sessions() []Session {
	w.mu.Lock()
	out := make([]Session, 0, len(w.table))
	for _, t := range w.table {
		out = append(out, t.view)
	}
	w.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Transcript < out[j].Transcript })
	return out
}

// Transcripts reports how many transcript files are followed, including
// those older than Since that have not changed since the start.
func (w *Watcher) Transcripts() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.count
}

// warn logs a problem and queues it as a Warning event.
func (w *Watcher) warn(err error) {
	w.cfg.Logger.Warn("watch", "err", err)
	w.warns = append(w.warns, err)
}

// send delivers one event unless ctx ends first.
func (w *Watcher) send(ctx context.Context, ev Event) bool {
	ev.Time = w.cfg.Now()
	select {
	case w.events <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

// flushWarnings sends the warnings collected so far.
func (w *Watcher) flushWarnings(ctx context.Context) bool {
	ws := w.warns
	w.warns = nil
	for _, err := range ws {
		if !w.send(ctx, Event{Kind: Warning, Err: err}) {
			return false
		}
	}
	return true
}

// file returns the followed transcript at path, registering it if new.
func (w *Watcher) file(root, path string) *transcript {
	t, ok := w.files[path]
	if !ok {
		t = newTranscript(root, path)
		t.mu = &w.mu
		w.files[path] = t
		dir := filepath.Dir(t.path)
		if w.byDir[dir] == nil {
			w.byDir[dir] = make(map[string]*transcript)
		}
		w.byDir[dir][path] = t
		w.mu.Lock()
		w.count = len(w.files)
		w.mu.Unlock()
	}
	return t
}

// forget stops following the transcript at path (its file is gone).
func (w *Watcher) forget(path string, t *transcript) {
	delete(w.files, path)
	dir := filepath.Dir(t.path)
	if m := w.byDir[dir]; m != nil {
		delete(m, path)
		if len(m) == 0 {
			delete(w.byDir, dir)
		}
	}
}

// dirtyUnder marks every followed file in dir or below it for a look.
func (w *Watcher) dirtyUnder(dir string) {
	prefix := dir + string(filepath.Separator)
	for d, m := range w.byDir {
		if d != dir && !strings.HasPrefix(d, prefix) {
			continue
		}
		for p, t := range m {
			w.dirty[p] = t
		}
	}
}

// setView publishes a transcript's view to Sessions, or removes it.
func (w *Watcher) setView(t *transcript, drop bool) {
	w.mu.Lock()
	if drop {
		delete(w.table, t.path)
	} else {
		w.table[t.path] = t
	}
	w.count = len(w.files)
	w.mu.Unlock()
}
