package procs

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// SessionDirSettle gathers a burst of sessions-file changes (a client
// writes its file twice at start-up, many start at once) into one call.
const SessionDirSettle = 500 * time.Millisecond

// WatchSessionDirs calls changed when a file in <root>/sessions of any
// root appears, changes or goes: a Claude Code process started, switched
// session or ended (2.1.145 and later write sessions/<pid>.json), which is
// when a session no pane ran may have one. Bursts within settle make one
// call. It only watches: a root without a sessions directory is watched
// for one to appear, never given one. It returns when ctx ends, or at
// once when fsnotify cannot start.
func WatchSessionDirs(ctx context.Context, roots []string, settle time.Duration, changed func(), log *slog.Logger) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch sessions directories: %w", err)
	}
	defer w.Close()
	dirs := map[string]bool{} // sessions dirs
	for _, r := range roots {
		d := filepath.Join(r, "sessions")
		dirs[d] = true
		if err := w.Add(d); err != nil {
			if err := w.Add(r); err != nil { // wait for sessions/ to appear
				log.Debug("watch sessions: cannot watch root", "root", r, "err", err)
			}
		}
	}
	var fire <-chan time.Time
	var timer *time.Timer
	for {
		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			dir := filepath.Dir(ev.Name)
			switch {
			case dirs[ev.Name] && ev.Has(fsnotify.Create): // sessions/ appeared under a root
				if err := w.Add(ev.Name); err != nil {
					log.Debug("watch sessions: cannot watch", "dir", ev.Name, "err", err)
				}
				if entries, _ := os.ReadDir(ev.Name); len(entries) == 0 {
					continue
				}
			case !dirs[dir] || ev.Op == fsnotify.Chmod:
				continue
			}
			if fire == nil {
				timer = time.NewTimer(settle)
				fire = timer.C
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			log.Debug("watch sessions", "err", err)
		case <-fire:
			fire, timer = nil, nil
			changed()
		}
	}
}
