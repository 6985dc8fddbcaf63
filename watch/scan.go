package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"time"
)

// Scan does the cold start only: every transcript modified within cfg.Since,
// read from its tail. It is what `ccwake status` runs. Problems with single
// files or directories come back as warnings; only a missing root is an error.
func Scan(ctx context.Context, cfg Config) (sessions []Session, warnings []error, err error) {
	return scan(ctx, cfg, options{})
}

func scan(ctx context.Context, cfg Config, o options) ([]Session, []error, error) {
	cfg, o = cfg.withDefaults(), o.withDefaults()
	if err := checkRoots(o.fsys, cfg.Roots); err != nil {
		return nil, nil, err
	}
	var warns []error
	var listed []candidate
	tr := newTree(o.fsys, nil, func(err error) { warns = append(warns, err) }, func(root, path string, e fs.DirEntry) {
		listed = append(listed, candidate{newTranscript(root, path), e})
	})
	for _, r := range cfg.Roots {
		tr.addRoot(r)
	}
	warns = append(warns, coldStart(ctx, listed, cutoffOf(cfg), o, cfg.Loc, cfg.Now)...)
	if err := ctx.Err(); err != nil {
		return nil, warns, err
	}
	byPath := make(map[string]*transcript, len(listed))
	for _, c := range listed {
		byPath[c.t.path] = c.t
	}
	r := newReader(o.fsys, cfg.Loc, cfg.Now, o.budget)
	for _, c := range listed {
		if c.t.agent {
			if _, w := linkAgent(c.t, byPath[c.t.parentPath()], false, r); len(w) > 0 {
				warns = append(warns, w...)
			}
		}
	}
	sessions := make([]Session, 0, len(listed))
	for _, c := range listed {
		if c.t.known && !c.t.agent {
			sessions = append(sessions, c.t.view)
		}
	}
	sort.Slice(sessions, func(i, j int) bool { return sessions[i].Transcript < sessions[j].Transcript })
	return sessions, warns, nil
}

// cutoffOf is the oldest modification time the cold start reads.
func cutoffOf(cfg Config) time.Time {
	if cfg.Since <= 0 {
		return time.Time{}
	}
	return cfg.Now().Add(-cfg.Since)
}

// candidate is a listed transcript before the cold start looked at it.
type candidate struct {
	t *transcript
	e fs.DirEntry
}

// coldStart stats the listed transcripts and reads the tails of those
// modified after cutoff, with a bounded pool of workers, each with its own
// scratch buffers. Older ones are not read: their size is noted so that a
// follower reads only what is appended to them later. It returns the
// warnings in the order of cs.
func coldStart(ctx context.Context, cs []candidate, cutoff time.Time, o options, loc *time.Location, now func() time.Time) []error {
	warns := make([][]error, len(cs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(o.workers, len(cs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newReader(o.fsys, loc, now, o.budget)
			for i := range next {
				t := cs[i].t
				info, err := entryInfo(o.fsys, t.path, cs[i].e)
				switch {
				case errors.Is(err, fs.ErrNotExist):
				case err != nil:
					warns[i] = []error{fmt.Errorf("stat %s: %w", t.path, err)}
				case !info.Mode().IsRegular():
				case !info.ModTime().After(cutoff):
					t.info, t.off = info, info.Size()
				default:
					if _, w := t.followListed(r, true); len(w) > 0 {
						warns[i] = w
					}
					t.rest()
				}
			}
		}()
	}
feed:
	for i := range cs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	var all []error
	for _, w := range warns {
		all = append(all, w...)
	}
	return all
}

// linkAgent folds what the subagent transcript a says into its parent's
// view (or, when a is gone, takes it out) and reports whether the parent's
// view changed. A parent not read yet (older than Since) is read now when
// a subagent holds a cap: an idle session is exactly one whose transcript
// stopped changing.
func linkAgent(a, parent *transcript, gone bool, r *reader) (bool, []error) {
	if parent == nil || parent.agent || !parent.setAgent(a, gone) {
		return false, nil
	}
	if parent.tr == nil {
		if gone || !a.tr.agents.hasCap {
			return false, nil
		}
		parent.info = nil // make follow read it from its tail
		out, warns := parent.follow(r)
		return out == changed, warns
	}
	return parent.update() == changed, nil
}
