package watch

import (
	"io/fs"
	"os"
)

// fileSystem is the seam through which the watcher touches the disk. The
// real one is osFS; tests wrap it to count bytes read (the cold start must
// never read a whole file) or to make a path unreadable when running as root,
// where chmod 000 does not stop reads.
type fileSystem interface {
	Open(name string) (file, error)
	Stat(name string) (fs.FileInfo, error)
	ReadDir(name string) ([]fs.DirEntry, error)
}

// file is what the watcher needs of an open transcript: positioned reads
// (so no seek state to keep straight) and its identity.
type file interface {
	ReadAt(p []byte, off int64) (int, error)
	// DataFrom is the offset of the first byte at or after off that is not
	// in a hole of a sparse file (`truncate -s 8G` appends one), or size
	// when only a hole follows; off itself where holes are not reported.
	// A hole reads as zeros: no newline, no JSON, nothing worth reading.
	DataFrom(off, size int64) int64
	Stat() (fs.FileInfo, error)
	Close() error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) Open(name string) (file, error)             { return openFile(name) }
func (osFS) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
func (osFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }
