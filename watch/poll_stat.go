package watch

import (
	"io/fs"
	"syscall"
)

// pstat is what the poller keeps of a stat: enough to tell an append
// (size, mtime) and a replacement (inode).
type pstat struct {
	size, mtime int64 // mtime in UnixNano
	ino         uint64
	dir         bool
}

// stat looks at path. Through the real file system it is one stat(2)
// into a struct on the stack (rawStat, where the platform has one): the
// poller makes hundreds a second, and os.Stat's FileInfo allocations
// were most of their cost. Other file systems (tests) go through the seam.
func (p *poller) stat(path string) (pstat, error) {
	if _, ok := p.fsys.(osFS); ok && haveRawStat {
		return rawStat(path)
	}
	info, err := p.fsys.Stat(path)
	if err != nil {
		return pstat{}, err
	}
	return pstatOf(info), nil
}

// pstatOf converts a FileInfo.
func pstatOf(info fs.FileInfo) pstat {
	s := pstat{size: info.Size(), mtime: info.ModTime().UnixNano(), dir: info.IsDir()}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		s.ino = uint64(st.Ino)
	}
	return s
}

// statErr turns a failed stat(2) into what os.Stat returns.
func statErr(path string, err error) error {
	return &fs.PathError{Op: "stat", Path: path, Err: err}
}
