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

// readSmallFile reads a regular file of at most max bytes. It never blocks
// opening it (O_NONBLOCK: a FIFO named <pid>.json would otherwise wait for
// a writer, and with it the engine), refuses anything but a regular file,
// checked on the open descriptor, and refuses a larger file rather than
// holding it.
func readSmallFile(path string, max int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%v)", path, errNotRegular, info.Mode().Type())
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: over %d bytes", path, max)
	}
	return b, nil
}
