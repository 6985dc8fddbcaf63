package watch

import (
	"time"

	"github.com/fsnotify/fsnotify"
)

// pollEvery is how often directories fsnotify cannot watch are looked at.
const pollEvery = 2 * time.Second

// notifier is the seam over fsnotify.Watcher; tests use it to inject a queue
// overflow or to make every watch fail as if inotify watches were used up.
type notifier interface {
	Add(path string) error
	Remove(path string) error
	Close() error
	Events() <-chan fsnotify.Event
	Errors() <-chan error
}

// fsNotifier is the real notifier.
type fsNotifier struct{ w *fsnotify.Watcher }

func newFSNotifier() (notifier, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	return fsNotifier{w}, nil
}

func (n fsNotifier) Add(path string) error         { return n.w.Add(path) }
func (n fsNotifier) Remove(path string) error      { return n.w.Remove(path) }
func (n fsNotifier) Close() error                  { return n.w.Close() }
func (n fsNotifier) Events() <-chan fsnotify.Event { return n.w.Events }
func (n fsNotifier) Errors() <-chan error          { return n.w.Errors }
