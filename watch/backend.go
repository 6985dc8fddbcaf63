package watch

import (
	"errors"
	"fmt"
	"runtime"
)

// Backend is how the watcher learns that a directory or a transcript
// changed.
type Backend string

const (
	// Auto is inotify on Linux and Poll everywhere else.
	Auto Backend = "auto"
	// Inotify subscribes to each directory through fsnotify: one kernel
	// watch per directory, one descriptor in all. Linux only: fsnotify's
	// kqueue backend (macOS, BSD) opens a descriptor for every file in a
	// watched directory, 10,000 of them for 10,000 transcripts.
	Inotify Backend = "inotify"
	// Poll stats instead of subscribing: recently written transcripts and
	// the directories they live in every half second, the rest in a slow
	// sweep. It holds no descriptor between looks (see poller).
	Poll Backend = "poll"
)

// Backends lists the values ParseBackend accepts, Auto first.
var Backends = []Backend{Auto, Inotify, Poll}

// ParseBackend reads a --watch value; "" is Auto.
func ParseBackend(s string) (Backend, error) {
	switch b := Backend(s); b {
	case "":
		return Auto, nil
	case Auto, Inotify, Poll:
		return b, nil
	}
	return "", errors.New("want auto, inotify or poll") // callers name the value and where it came from
}

// Resolve says which backend b means on this system and why, in words for
// a log line or `ccwake doctor`. Inotify on a system without it is an
// error.
func (b Backend) Resolve() (Backend, string, error) {
	return b.resolveOn(runtime.GOOS)
}

func (b Backend) resolveOn(goos string) (Backend, string, error) {
	switch b {
	case "", Auto:
		if goos == "linux" {
			return Inotify, "auto: Linux has inotify (one watch per directory)", nil
		}
		return Poll, "auto: " + goos + " has no inotify, and kqueue would hold a descriptor per transcript", nil
	case Inotify:
		if goos != "linux" {
			return "", "", fmt.Errorf("watch inotify: %s has no inotify (use auto or poll)", goos)
		}
		return Inotify, "chosen (--watch inotify)", nil
	case Poll:
		return Poll, "chosen (--watch poll)", nil
	}
	return "", "", fmt.Errorf("watch %q: want auto, inotify or poll", string(b))
}
