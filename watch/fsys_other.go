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
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

// osFile is an *os.File that reports no holes: they are read as zeros.
type osFile struct{ *os.File }

func (osFile) DataFrom(off, _ int64) int64 { return off }

// sameFile reports whether two FileInfos describe the same file.
func sameFile(a, b fs.FileInfo) bool { return a != nil && b != nil && os.SameFile(a, b) }
