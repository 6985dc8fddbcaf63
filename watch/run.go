package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/fsnotify/fsnotify"
)

// maxDrain bounds how many queued fsnotify events one step takes in before
// reading the files they name: a burst of writes to one file becomes one
// read, with no delay added to a lone write.
const maxDrain = 4096

// Run does the cold start, emits Ready, then follows changes until ctx ends.
// It returns nil when ctx ends; Events is closed when it returns.
func (w *Watcher) Run(ctx context.Context) (err error) {
	defer close(w.events)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("watch: internal error: %v", p)
		}
	}()
	n, nerr := w.opt.newNotifier()
	if nerr != nil {
		n = deadNotifier{err: fmt.Errorf("%w: %w", errNoNotify, nerr)}
	}
	defer n.Close()
	w.rd = newReader(w.opt.fsys, w.cfg.Loc, w.cfg.Now, w.opt.budget)

	// Cold start. Directories are watched before they are listed, so a
	// write during the cold start is seen as an event afterwards.
	var listed []candidate
	w.tree = newTree(w.opt.fsys, n, w.warn, func(root, path string, e fs.DirEntry) {
		listed = append(listed, candidate{w.file(root, path), e})
	})
	for _, r := range w.cfg.Roots {
		w.tree.addRoot(r)
	}
	w.warns = append(w.warns, coldStart(ctx, listed, cutoffOf(w.cfg), w.opt, w.cfg.Loc, w.cfg.Now)...)
	if !w.flushWarnings(ctx) {
		return nil
	}
	for _, c := range listed {
		if c.t.agent {
			_, warns := linkAgent(c.t, w.files[c.t.parentPath()], false, w.rd)
			w.warns = append(w.warns, warns...)
		}
	}
	if !w.flushWarnings(ctx) {
		return nil
	}
	// Stalled sessions first: they are what the resumer must decide on, and
	// with 10,000 transcripts the working ones would hold them up behind
	// thousands of events.
	for _, stalled := range []bool{true, false} {
		for _, c := range listed {
			if c.t.known && !c.t.agent && (c.t.view.State == Stalled) == stalled {
				w.setView(c.t, false)
				if !w.send(ctx, Event{Kind: SessionChanged, Session: c.t.view}) {
					return nil
				}
			}
		}
	}
	// The cold start's peak (every transcript's tail parsed, at most a
	// worker's Trackers alive) is garbage now: hand it back at once rather
	// than keeping it resident until the runtime's scavenger gets to it.
	w.opt.freeMemory()
	if !w.send(ctx, Event{Kind: Ready}) {
		return nil
	}
	// From now on a listed transcript is new or may have changed.
	w.tree.found = func(root, path string, _ fs.DirEntry) {
		t := w.file(root, path)
		w.dirty[t.path] = t
	}
	return w.follow(ctx, n)
}

// follow is the steady state: it sleeps until fsnotify (or the poll ticker,
// only while some directory is polled) has something.
func (w *Watcher) follow(ctx context.Context, n notifier) error {
	// now is always ready: the select takes it while a file has bytes left
	// to read, after looking at the stop and new events.
	now := make(chan struct{})
	close(now)
	var ticker *time.Ticker
	defer func() {
		if ticker != nil {
			ticker.Stop()
		}
	}()
	for {
		switch {
		case w.tree.polled > 0 && ticker == nil:
			ticker = time.NewTicker(w.opt.pollEvery)
		case w.tree.polled == 0 && ticker != nil:
			ticker.Stop()
			ticker = nil
		}
		var tick <-chan time.Time
		if ticker != nil {
			tick = ticker.C
		}
		var busy <-chan struct{}
		if len(w.dirty) > 0 {
			busy = now
		}
		if ctx.Err() != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-busy:
		case ev, ok := <-n.Events():
			if !ok {
				return errors.New("watch: fsnotify stopped")
			}
			w.handle(ev)
		drain:
			for range maxDrain {
				select {
				case ev, ok := <-n.Events():
					if !ok {
						break drain
					}
					w.handle(ev)
				default:
					break drain
				}
			}
		case err, ok := <-n.Errors():
			if !ok {
				return errors.New("watch: fsnotify stopped")
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.warn(fmt.Errorf("fsnotify queue overflowed: rescanning: %w", err))
				w.rescan()
			} else {
				w.warn(fmt.Errorf("fsnotify: %w", err))
			}
		case <-tick:
			w.poll()
		}
		if !w.flushWarnings(ctx) || !w.process(ctx) {
			return nil
		}
	}
}

// handle notes what one fsnotify event means.
func (w *Watcher) handle(ev fsnotify.Event) {
	root, path, dropped := w.tree.handle(ev)
	if path != "" {
		t := w.file(root, path)
		w.dirty[t.path] = t
	}
	if dropped != "" {
		w.dirtyUnder(dropped) // follow finds them gone
	}
}

// rescan looks at every directory and file again after lost events.
func (w *Watcher) rescan() {
	for p, t := range w.files {
		w.dirty[p] = t // gone ones included
	}
	w.tree.rescan(w.cfg.Roots)
}

// poll is the fallback for directories fsnotify does not watch: their
// files are checked (a stat each) and their listings read again. Each
// polled dir costs its own files, not a walk over every file followed.
func (w *Watcher) poll() {
	for p, d := range w.tree.dirs {
		if d.polled && (d.kind == projectDir || d.kind == agentDir) {
			for fp, t := range w.byDir[p] {
				w.dirty[fp] = t
			}
		}
	}
	w.tree.poll()
}

// process reads the dirty transcripts and sends what changed. A transcript
// with bytes left after its step (maxStep) stays dirty for the next round.
func (w *Watcher) process(ctx context.Context) bool {
	var again []*transcript
	defer func() {
		for _, t := range again {
			w.dirty[t.path] = t
		}
	}()
	for p, t := range w.dirty {
		delete(w.dirty, p)
		out, warns := t.follow(w.rd)
		if t.split.freed {
			t.split.freed = false
			w.opt.freeMemory() // a huge line's buffer is garbage now: give it back
		}
		if t.more {
			again = append(again, t)
		}
		for _, err := range warns {
			w.warn(err)
		}
		if t.agent {
			if !w.agentChanged(ctx, t, out) {
				return false
			}
			continue
		}
		switch out {
		case changed:
			w.setView(t, false)
			if !w.send(ctx, Event{Kind: SessionChanged, Session: t.view}) {
				return false
			}
		case gone:
			w.forget(p, t)
			w.setView(t, true)
			if t.known {
				if !w.send(ctx, Event{Kind: SessionGone, Session: t.view}) {
					return false
				}
			}
		}
	}
	return w.flushWarnings(ctx)
}

// agentChanged folds a followed subagent file into its parent session and
// sends the parent's view when that changed. A subagent file is never a
// session of its own.
func (w *Watcher) agentChanged(ctx context.Context, a *transcript, out outcome) bool {
	// Not only on a changed outcome: the subagent's own view ignores its
	// sidechain entries, so its caps change nothing there.
	gone := out == gone
	parent := w.files[a.parentPath()]
	if gone {
		w.forget(a.path, a)
	}
	changedView, warns := linkAgent(a, parent, gone, w.rd)
	for _, err := range warns {
		w.warn(err)
	}
	if !changedView || !parent.known {
		return true
	}
	w.setView(parent, false)
	return w.send(ctx, Event{Kind: SessionChanged, Session: parent.view})
}

// errNoNotify marks watch failures caused by fsnotify not starting at all.
var errNoNotify = errors.New("fsnotify unavailable")

// deadNotifier stands in when fsnotify cannot start (inotify instances used
// up): every watch fails, so every directory is polled.
type deadNotifier struct{ err error }

func (d deadNotifier) Add(string) error              { return d.err }
func (d deadNotifier) Remove(string) error           { return nil }
func (d deadNotifier) Close() error                  { return nil }
func (d deadNotifier) Events() <-chan fsnotify.Event { return nil }
func (d deadNotifier) Errors() <-chan error          { return nil }
