package logfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// The log file is rotated at MaxSize; Keep older files are kept
// (ccwake.log.1 newest … ccwake.log.3 oldest): weeks of actions, a bounded disk.
const (
	MaxSize = 5 << 20
	Keep    = 3
)

// Off is the --log-file value that turns the log file off.
const Off = "off"

// DefaultPath is $XDG_STATE_HOME/ccwake/ccwake.log, else
// ~/.local/state/ccwake/ccwake.log; "" without either.
func DefaultPath(getenv func(string) string) string {
	if x := getenv("XDG_STATE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "ccwake", "ccwake.log")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "state", "ccwake", "ccwake.log")
	}
	return ""
}

// Path is the file --log-file names: its value, else the default;
// "" when off.
func Path(flag string, getenv func(string) string) string {
	switch flag {
	case Off:
		return ""
	case "":
		return DefaultPath(getenv)
	}
	return flag
}

// rotatingFile appends to path and, past max bytes, renames it to path.1
// (path.1 to path.2, …, keeping keep files) and starts a new one. When
// another ccwake rotated it first, it only reopens path.
type rotatingFile struct {
	mu   sync.Mutex
	path string
	max  int64
	keep int
	f    *os.File
	size int64
}

func openRotating(path string, max int64, keep int) (*rotatingFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	r := &rotatingFile{path: path, max: max, keep: keep}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rotatingFile) open() error {
	f, err := os.OpenFile(r.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("log file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("log file: %w", err)
	}
	r.f, r.size = f, fi.Size()
	return nil
}

// Write appends p, rotating first when p would pass the size limit. A
// failed rotation keeps writing to the current file: losing log lines is
// worse than a big file.
func (r *rotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size > 0 && r.size+int64(len(p)) > r.max {
		_ = r.rotate()
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *rotatingFile) rotate() error {
	cur, err := os.Stat(r.path)
	mine, merr := r.f.Stat()
	if err == nil && merr == nil && os.SameFile(cur, mine) {
		_ = os.Remove(Rotated(r.path, r.keep))
		for i := r.keep - 1; i >= 1; i-- {
			_ = os.Rename(Rotated(r.path, i), Rotated(r.path, i+1))
		}
		if err := os.Rename(r.path, Rotated(r.path, 1)); err != nil {
			return err
		}
	}
	old := r.f
	if err := r.open(); err != nil {
		r.f = old
		return err
	}
	return old.Close()
}

func (r *rotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}

// rotated is the name of the i-th older log file.
func Rotated(path string, i int) string { return path + "." + strconv.Itoa(i) }
