//go:build !linux

package watch

import (
	"io/fs"
	"os"
)

// openFile opens a transcript for reading.
func openFile(name string) (file, error) { return os.Open(name) }

// sameFile reports whether two FileInfos describe the same file.
func sameFile(a, b fs.FileInfo) bool { return a != nil && b != nil && os.SameFile(a, b) }
