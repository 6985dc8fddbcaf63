package statefile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Options configure a Store.
type Options struct {
	Now    func() time.Time // nil: time.Now
	Limits Limits
	// Warn is told about a corrupt file that was reset (nil: ignored). The
	// engine shows it in its log and the dashboard.
	Warn func(error)
	// LockWait bounds the wait for another process's update of the same
	// file; default 2 s.
	LockWait time.Duration
}

// Store is the state file at one path. It is not safe for concurrent use
// (the engine's goroutine owns it); several processes may share one file:
// every Update re-reads it under a lock and merges into what it finds.
type Store struct {
	path string
	o    Options
	data Data // as of the last Load or Update
}

// Open reads the state at path. A missing file is empty state (created on
// the first Update); a corrupt one is reset, reported through o.Warn. The
// error is for a file that exists but cannot be read (permissions, a
// directory): then nothing remembered can be trusted.
func Open(path string, o Options) (*Store, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.LockWait <= 0 {
		o.LockWait = 2 * time.Second
	}
	o.Limits = o.Limits.withDefaults()
	s := &Store{path: path, o: o}
	d, err := s.read()
	if err != nil {
		return nil, err
	}
	s.data = d
	return s, nil
}

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// Data is a copy of the state as last read or written.
func (s *Store) Data() Data { return s.data.clone() }

// Update applies f to the state as it is on disk now and writes the result
// atomically (temp file, fsync, rename, fsync of the directory). Another
// process's update of the same file is waited for (LockWait at most), so
// neither loses the other's records. When f returns an error nothing is
// written and the error is returned.
func (s *Store) Update(f func(*Data) error) error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state %s: %w", s.path, err)
	}
	unlock, err := lockDir(dir, s.o.LockWait)
	if err != nil {
		return fmt.Errorf("state %s: %w", s.path, err)
	}
	defer unlock()
	d, err := s.read()
	if err != nil {
		return err
	}
	next := d.clone()
	if err := f(&next); err != nil {
		s.data = d
		return err
	}
	next.prune(s.o.Now(), s.o.Limits)
	if err := writeAtomic(s.path, &next); err != nil {
		s.data = d
		return fmt.Errorf("state %s: %w", s.path, err)
	}
	s.data = next
	return nil
}

// read loads the file; corrupt content is reset with a warning.
func (s *Store) read() (Data, error) {
	b, err := readBounded(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return Data{Version: Version}, nil
	}
	if err != nil {
		return Data{}, fmt.Errorf("state %s: %w", s.path, err)
	}
	d, err := parse(b, s.o.Now(), s.o.Limits)
	if err != nil {
		if s.o.Warn != nil {
			s.o.Warn(fmt.Errorf("state %s: %w; starting from empty state", s.path, err))
		}
		return Data{Version: Version}, nil
	}
	return d, nil
}

// readBounded reads a regular file of at most maxFileBytes+1 bytes without
// blocking on a FIFO.
func readBounded(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%v)", fi.Mode().Type())
	}
	return io.ReadAll(io.LimitReader(f, maxFileBytes+1))
}

// writeAtomic replaces path with d's bytes so a reader sees the old file or
// the new one, never half of one, even after a crash.
func writeAtomic(path string, d *Data) error {
	b, err := d.encode()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename: ENOENT, ignored
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if df, err := os.Open(dir); err == nil {
		_ = df.Sync() // make the rename durable; some filesystems refuse: best effort
		_ = df.Close()
	}
	return nil
}

// lockDir takes an exclusive flock on the state directory (a read-only
// descriptor: no lock file), polling up to wait so a stopped process
// holding it cannot hang the caller.
func lockDir(dir string, wait time.Duration) (func(), error) {
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = syscall.Close(fd) }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = syscall.Close(fd)
			return nil, fmt.Errorf("lock: %w", err)
		}
		if time.Now().After(deadline) {
			_ = syscall.Close(fd)
			return nil, fmt.Errorf("lock: another process holds %s for more than %v", dir, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
