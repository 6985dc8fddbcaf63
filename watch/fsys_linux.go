package watch

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// openFile opens a transcript for reading with plain system calls. os.Open
// also registers every file with the runtime poller (an epoll_ctl that fails
// for regular files) and sets a finalizer; for the cold start, which opens
// thousands of files to read a few KiB of each, that was a tenth of its time.
//
// O_NONBLOCK makes the open itself never wait: a FIFO named *.jsonl would
// otherwise block it until a writer shows up, and with it every later event
// and the stop. Reads of a regular file ignore the flag; the caller checks
// the descriptor's type (Stat) before reading anything else.
func openFile(name string) (file, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &rawFile{fd: fd, name: name}, nil
	}
}

// rawFile is an open file descriptor; it is used by one goroutine.
type rawFile struct {
	fd   int
	name string
}

func (f *rawFile) ReadAt(p []byte, off int64) (int, error) {
	done := 0
	for done < len(p) {
		n, err := syscall.Pread(f.fd, p[done:], off+int64(done))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return done, &fs.PathError{Op: "read", Path: f.name, Err: err}
		}
		if n == 0 {
			return done, io.EOF
		}
		done += n
	}
	return done, nil
}

// seekData is lseek's SEEK_DATA (Linux 3.1 and later).
const seekData = 3

func (f *rawFile) DataFrom(off, size int64) int64 {
	for {
		next, err := syscall.Seek(f.fd, off, seekData)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.ENXIO:
			return max(off, size) // only a hole up to the end
		case err != nil || next < off:
			return off // not supported here: read it
		}
		return next
	}
}

func (f *rawFile) Stat() (fs.FileInfo, error) {
	var st syscall.Stat_t
	for {
		err := syscall.Fstat(f.fd, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "stat", Path: f.name, Err: err}
		}
		return &rawInfo{name: filepath.Base(f.name), st: st}, nil
	}
}

func (f *rawFile) Close() error {
	if f.fd < 0 {
		return nil
	}
	err := syscall.Close(f.fd)
	f.fd = -1
	return err
}

// rawInfo is an fstat result. Its Sys is a *syscall.Stat_t like os's, so
// sameFile can compare it with what os.Stat returns.
type rawInfo struct {
	name string
	st   syscall.Stat_t
}

func (i *rawInfo) Name() string       { return i.name }
func (i *rawInfo) Size() int64        { return i.st.Size }
func (i *rawInfo) ModTime() time.Time { return time.Unix(i.st.Mtim.Unix()) }
func (i *rawInfo) IsDir() bool        { return i.st.Mode&syscall.S_IFMT == syscall.S_IFDIR }
func (i *rawInfo) Sys() any           { return &i.st }
func (i *rawInfo) Mode() fs.FileMode {
	m := fs.FileMode(i.st.Mode & 0o777)
	switch i.st.Mode & syscall.S_IFMT {
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFLNK:
		m |= fs.ModeSymlink
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	}
	return m
}

// sameFile reports whether two FileInfos describe the same file (device and
// inode), whichever of os.Stat or the raw fstat made them.
func sameFile(a, b fs.FileInfo) bool {
	if a == nil || b == nil {
		return false
	}
	if sa, ok := a.Sys().(*syscall.Stat_t); ok {
		if sb, ok := b.Sys().(*syscall.Stat_t); ok {
			return sa.Dev == sb.Dev && sa.Ino == sb.Ino
		}
	}
	return os.SameFile(a, b)
}
