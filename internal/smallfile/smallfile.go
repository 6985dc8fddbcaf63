// Package smallfile reads the small files ccwake trusts nothing about (a
// Claude sessions file, a transcript's tail): never blocking on a FIFO,
// never holding more than asked.
package smallfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ErrNotRegular marks a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// Open opens path for reading without blocking on it (O_NONBLOCK: a
// FIFO named <pid>.json or *.jsonl would otherwise wait for a writer, and
// with it the engine) and refuses anything but a regular file, checked on
// the open descriptor. The caller closes the file.
func Open(path string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w (%v)", path, ErrNotRegular, info.Mode().Type())
	}
	return f, info, nil
}

// Read reads a regular file of at most max bytes (see
// Open), and refuses a larger file rather than holding it.
func Read(path string, max int64) ([]byte, error) {
	f, _, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: over %d bytes", path, max)
	}
	return b, nil
}
