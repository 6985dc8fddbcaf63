package resume

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// maxSessionFile bounds how much of a sessions file is read. Claude Code
// writes a few hundred bytes; anything near this is not one of its files.
const maxSessionFile = 64 << 10

// errNotRegular marks a path that is not a regular file.
var errNotRegular = errors.New("not a regular file")

// openRegular opens path for reading without blocking on it (O_NONBLOCK: a
// FIFO named <pid>.json or *.jsonl would otherwise wait for a writer, and
// with it the engine) and refuses anything but a regular file, checked on
// the open descriptor. The caller closes the file.
func openRegular(path string) (*os.File, os.FileInfo, error) {
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
		return nil, nil, fmt.Errorf("%s: %w (%v)", path, errNotRegular, info.Mode().Type())
	}
	return f, info, nil
}

// readSmallFile reads a regular file of at most max bytes (see
// openRegular), and refuses a larger file rather than holding it.
func readSmallFile(path string, max int64) ([]byte, error) {
	f, _, err := openRegular(path)
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
