//go:build !linux

package watch

import (
	"io/fs"
	"os"
	"syscall"
)

// openFile opens a transcript for reading. O_NONBLOCK keeps the open of a
// FIFO from waiting for a writer; the caller rejects what is not a regular
// file before reading.
func openFile(name string) (file, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// sameFile reports whether two FileInfos describe the same file.
func sameFile(a, b fs.FileInfo) bool { return a != nil && b != nil && os.SameFile(a, b) }
