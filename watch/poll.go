package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// pollConfig tunes the poller. The zero value takes the defaults below.
type pollConfig struct {
	// tick is how often hot transcripts and directories are stat'ed: a
	// stall in a recently written transcript is seen within one tick plus
	// the read.
	tick time.Duration
	// sweep is how long one pass over everything else takes (spread over
	// the ticks): a stall in a transcript untouched for hours is seen
	// within one sweep.
	sweep time.Duration
	// hot is how recently a transcript must have been written (or a
	// directory changed) to be looked at every tick.
	hot time.Duration
	// maxHot bounds the hot transcripts and, separately, the hot
	// directories: a tree copied a minute ago (all of it recent) costs
	// maxHot stats a tick, not one per file.
	maxHot int
}

const (
	pollTick   = 500 * time.Millisecond
	pollSweep  = 40 * time.Second
	pollHot    = time.Hour
	pollMaxHot = 256
	// racyWindow: a directory listed while its modification time was
	// this recent is listed again at its next look. Entries created in
	// the same timestamp tick as the listing leave the time unchanged
	// (2 s covers the coarsest file systems, FAT).
	racyWindow = 2 * time.Second
)

func (c pollConfig) withDefaults() pollConfig {
	if c.tick <= 0 {
		c.tick = pollTick
	}
	if c.sweep <= 0 {
		c.sweep = pollSweep
	}
	if c.hot <= 0 {
		c.hot = pollHot
	}
	if c.maxHot <= 0 {
		c.maxHot = pollMaxHot
	}
	return c
}

// poller is the portable notifier behind --watch poll. It knows the
// directories the tree adds and the transcripts in them, and turns what a
// stat or a listing shows into the fsnotify events inotify would have sent
// (Create, Write, Remove), so the tree and the followers work unchanged:
// a Write makes the follower read the new bytes, as always.
//
// It holds no descriptor between looks: a stat needs none, a listing one
// for its duration. What it costs is stats, so it spends them where
// stalls happen:
//
//   - hot transcripts (written within cfg.hot, at most cfg.maxHot of them,
//     the newest kept) are stat'ed every tick;
//   - directories are stat'ed every tick when hot: the ones the tree adds
//     first (projects/, or a root waiting for it), those holding a hot
//     transcript and those changed within cfg.hot (at most 2·cfg.maxHot).
//     A directory is listed when its modification time moved (or was too
//     recent to trust, see racyWindow). A new session in a project dir
//     untouched for longer than cfg.hot is found by the sweep;
//   - everything else is stat'ed once per cfg.sweep, a slice per tick.
//
// Deleted transcripts and directories are forgotten at once, so its size
// follows the tree's and nothing grows over weeks.
type poller struct {
	fsys fileSystem
	now  func() time.Time
	cfg  pollConfig
	want func(name string) bool // which files are followed (transcripts)

	events chan fsnotify.Event
	done   chan struct{}
	wg     sync.WaitGroup

	mu       sync.Mutex
	dirs     map[string]*pnode
	nodes    []*pnode // every dir and file, in sweep order
	next     int      // sweep cursor: nodes[:next] were visited this pass
	hotFiles map[*pnode]struct{}
	hotDirs  map[*pnode]struct{}
	pending  []fsnotify.Event // found under mu, sent after it is released
}

// pnode is a directory or a file the poller knows.
type pnode struct {
	path  string
	isDir bool
	idx   int  // in poller.nodes
	hot   bool // in hotFiles or hotDirs
	size  int64
	mtime int64 // UnixNano
	ino   uint64

	// files only
	dir  *pnode
	seen uint32 // generation of the last listing of dir that showed it

	// directories only
	depth   int // 0 for a directory added without its parent known
	files   map[string]*pnode
	subs    map[string]uint32 // subdirectory name → generation of the listing that saw it
	gen     uint32            // listing generation
	listed  int64             // mtime at the last listing
	racy    bool              // that listing may have missed a change: list again
	hotKids int
}

func newPoller(fsys fileSystem, now func() time.Time, cfg pollConfig, want func(string) bool) *poller {
	p := &poller{
		fsys: fsys, now: now, cfg: cfg.withDefaults(), want: want,
		events:   make(chan fsnotify.Event, 256),
		done:     make(chan struct{}),
		dirs:     make(map[string]*pnode),
		hotFiles: make(map[*pnode]struct{}),
		hotDirs:  make(map[*pnode]struct{}),
	}
	p.wg.Go(p.loop)
	return p
}

func (p *poller) Events() <-chan fsnotify.Event { return p.events }

// Errors never delivers: a directory that cannot be listed is tried again
// on the next look, and the tree warned about it when it added it.
func (p *poller) Errors() <-chan error { return nil }

// Close stops the polling goroutine. Events is left open: nothing reads it
// after the watcher closed its notifier.
func (p *poller) Close() error {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
	return nil
}

// Add starts looking at dir: what is in it now is the baseline, later
// changes become events. A missing dir is fs.ErrNotExist, as with fsnotify.
func (p *poller) Add(dir string) error {
	dir = filepath.Clean(dir)
	st, err := p.stat(dir)
	if err != nil {
		return fmt.Errorf("poll %s: %w", dir, err)
	}
	if !st.dir {
		return fmt.Errorf("poll %s: not a directory", dir)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.dirs[dir]; ok {
		return nil
	}
	n := &pnode{path: dir, isDir: true, files: make(map[string]*pnode), subs: make(map[string]uint32)}
	n.mtime = st.mtime
	if parent, ok := p.dirs[filepath.Dir(dir)]; ok {
		n.depth = parent.depth + 1
	}
	p.dirs[dir] = n
	p.insert(n)
	now := p.now()
	p.list(n, now, false)
	p.classifyDir(n, now)
	return nil
}

// Remove forgets dir and its files (the tree stopped watching it).
func (p *poller) Remove(dir string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	n, ok := p.dirs[filepath.Clean(dir)]
	if !ok {
		return fmt.Errorf("poll %s: not watched", dir)
	}
	p.dropDir(n)
	return nil
}

// loop ticks until Close.
func (p *poller) loop() {
	t := time.NewTicker(p.cfg.tick)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		for _, ev := range p.tick() {
			select {
			case p.events <- ev:
			case <-p.done:
				return
			}
		}
	}
}

// tick does one round: the hot dirs and files, then this tick's slice of
// the sweep. It returns the events found.
func (p *poller) tick() []fsnotify.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	for n := range p.hotDirs {
		p.checkDir(n, now)
	}
	for n := range p.hotFiles {
		p.checkFile(n, now)
	}
	// ceil(len·tick/sweep): the whole list once per sweep.
	perTick := int((int64(len(p.nodes))*int64(p.cfg.tick) + int64(p.cfg.sweep) - 1) / int64(p.cfg.sweep))
	for range perTick {
		if len(p.nodes) == 0 {
			break
		}
		if p.next >= len(p.nodes) {
			p.next = 0
		}
		n := p.nodes[p.next]
		p.next++
		switch {
		case n.isDir:
			p.checkDir(n, now)
		case !n.hot:
			p.checkFile(n, now)
		}
	}
	evs := p.pending
	p.pending = nil
	return evs
}

func (p *poller) emit(path string, op fsnotify.Op) {
	p.pending = append(p.pending, fsnotify.Event{Name: path, Op: op})
}

// checkFile stats a followed file and reports a change as a Write (a Create
// when it is another file now), its disappearance as a Remove.
func (p *poller) checkFile(n *pnode, now time.Time) {
	st, err := p.stat(n.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		p.emit(n.path, fsnotify.Remove)
		p.dropFile(n)
		return
	case err != nil:
		return // unreadable for now: the follower says why when it changes
	}
	size, mtime, ino := st.size, st.mtime, st.ino
	switch {
	case ino != n.ino:
		p.emit(n.path, fsnotify.Create)
	case size != n.size || mtime != n.mtime:
		p.emit(n.path, fsnotify.Write)
	}
	n.size, n.mtime, n.ino = size, mtime, ino
	p.classifyFile(n, now)
}

// checkDir stats a directory and lists it when its modification time
// moved since the last listing, or when that listing was too close to the
// time's last move to trust (racyWindow): an entry that comes or goes after
// a listing moves the time past what the listing saw.
func (p *poller) checkDir(n *pnode, now time.Time) {
	st, err := p.stat(n.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		p.emit(n.path, fsnotify.Remove)
		p.dropDir(n)
		return
	case err != nil:
		return
	case !st.dir:
		p.emit(n.path, fsnotify.Remove)
		p.dropDir(n)
		return
	}
	n.mtime = st.mtime
	if n.racy || n.mtime != n.listed {
		p.list(n, now, true)
	}
	p.classifyDir(n, now)
}

// list reads a directory and, when emit is set, reports what came and went
// since the last listing. Only subdirectories and wanted files are kept; a
// file is stat'ed once when it appears, then by checkFile. A wanted name
// that is not a regular file (a FIFO named *.jsonl) is kept too, as inotify
// would report it: the follower refuses to read it and warns once.
func (p *poller) list(n *pnode, now time.Time, emit bool) {
	ents, err := p.fsys.ReadDir(n.path)
	if err != nil {
		return // try again at the next look; the tree warned when it listed it
	}
	n.gen++
	n.listed = n.mtime
	n.racy = now.Sub(time.Unix(0, n.mtime)) < racyWindow
	for _, e := range ents {
		name := e.Name()
		path := filepath.Join(n.path, name)
		if f, ok := n.files[name]; ok {
			f.seen = n.gen // known: checkFile looks at it
			continue
		}
		isDir := e.IsDir()
		var st pstat
		statted := false
		if e.Type()&fs.ModeSymlink != 0 {
			if st, err = p.stat(path); err != nil {
				continue
			}
			isDir, statted = st.dir, true
		}
		if isDir {
			if _, ok := n.subs[name]; !ok && emit {
				p.emit(path, fsnotify.Create)
			}
			n.subs[name] = n.gen
			continue
		}
		if !p.want(name) {
			continue
		}
		if !statted {
			if st, err = p.stat(path); err != nil {
				continue
			}
		}
		f := &pnode{path: path, dir: n, size: st.size, mtime: st.mtime, ino: st.ino}
		f.seen = n.gen
		n.files[name] = f
		p.insert(f)
		p.classifyFile(f, now)
		if emit {
			p.emit(path, fsnotify.Create)
		}
	}
	for _, f := range n.files {
		if f.seen != n.gen {
			if emit {
				p.emit(f.path, fsnotify.Remove)
			}
			p.dropFile(f)
		}
	}
	for name, g := range n.subs {
		if g != n.gen {
			delete(n.subs, name)
			if emit {
				p.emit(filepath.Join(n.path, name), fsnotify.Remove)
			}
		}
	}
}

// insert appends n to the sweep: it is visited later in this pass.
func (p *poller) insert(n *pnode) {
	n.idx = len(p.nodes)
	p.nodes = append(p.nodes, n)
}

// unlink takes n out of the sweep without making the pass skip another
// node: a visited slot is refilled from the visited part, and the hole
// moved to the end of the list from the unvisited part.
func (p *poller) unlink(n *pnode) {
	i := n.idx
	if i < 0 || i >= len(p.nodes) || p.nodes[i] != n {
		return
	}
	if i < p.next {
		j := p.next - 1
		p.nodes[i], p.nodes[j] = p.nodes[j], p.nodes[i]
		p.nodes[i].idx = i
		p.next--
		i = j
	}
	last := len(p.nodes) - 1
	p.nodes[i] = p.nodes[last]
	p.nodes[i].idx = i
	p.nodes[last] = nil
	p.nodes = p.nodes[:last]
	n.idx = -1
}

func (p *poller) dropFile(f *pnode) {
	p.setHotFile(f, false)
	delete(f.dir.files, filepath.Base(f.path))
	p.unlink(f)
}

func (p *poller) dropDir(n *pnode) {
	for _, f := range n.files {
		p.dropFile(f)
	}
	if n.hot {
		delete(p.hotDirs, n)
		n.hot = false
	}
	delete(p.dirs, n.path)
	p.unlink(n)
}

// classifyFile makes a file hot when it was written within cfg.hot, cold
// when it was not.
func (p *poller) classifyFile(f *pnode, now time.Time) {
	p.setHotFile(f, now.Sub(time.Unix(0, f.mtime)) < p.cfg.hot)
}

// setHotFile moves f in or out of the hot set. When the set is full, the
// newest writes win: f replaces the hot file written longest ago, if that
// one is older.
func (p *poller) setHotFile(f *pnode, hot bool) {
	if hot == f.hot {
		return
	}
	if !hot {
		delete(p.hotFiles, f)
		f.hot = false
		f.dir.hotKids--
		return
	}
	if len(p.hotFiles) >= p.cfg.maxHot {
		var oldest *pnode
		for h := range p.hotFiles {
			if oldest == nil || h.mtime < oldest.mtime {
				oldest = h
			}
		}
		if oldest == nil || oldest.mtime >= f.mtime {
			return
		}
		p.setHotFile(oldest, false)
	}
	p.hotFiles[f] = struct{}{}
	f.hot = true
	f.dir.hotKids++
	if !f.dir.hot {
		p.hotDirs[f.dir] = struct{}{} // holds a hot file: not counted against maxHot
		f.dir.hot = true
	}
}

// classifyDir decides whether a directory is looked at every tick.
func (p *poller) classifyDir(n *pnode, now time.Time) {
	must := n.depth == 0 || n.hotKids > 0
	recent := now.Sub(time.Unix(0, n.mtime)) < p.cfg.hot
	switch hot := must || recent && (n.hot || len(p.hotDirs) < 2*p.cfg.maxHot); {
	case hot && !n.hot:
		p.hotDirs[n] = struct{}{}
		n.hot = true
	case !hot && n.hot:
		delete(p.hotDirs, n)
		n.hot = false
	}
}

// stats is what the poller holds, for tests.
func (p *poller) stats() (dirs, files, hotDirs, hotFiles int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.dirs), len(p.nodes) - len(p.dirs), len(p.hotDirs), len(p.hotFiles)
}
