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
	// Warn is told once about a copy that could not be read back, a record
	// recovered from the other copy or lost (nil: ignored). The engine shows
	// it in its log and the dashboard.
	Warn func(error)
	// LockWait bounds the wait for another process's update of the same
	// file; default 2 s.
	LockWait time.Duration
	// Root is the Claude root the record is for, written into it for humans.
	Root string
	// Legacy are record files of earlier versions (one state.json for every
	// root, under $XDG_STATE_HOME/ccwake or --state-dir). Their typed and
	// reopened records are read into this one and written with its next
	// update; they are never written. A corrupt one while this record does
	// not exist yet makes it Lost.
	Legacy []string
}

// Health is how the record read back.
type Health int

const (
	// Fresh: neither copy exists (nothing was ever recorded here).
	Fresh Health = iota
	// Good: read back as written.
	Good
	// Recovered: one copy could not be read; the other holds every update
	// that returned (each is written to both before it returns).
	Recovered
	// Lost: neither copy could be read. What they held is unknown, so
	// Data.Lost is set and every error dated before it may have been typed
	// for.
	Lost
)

func (h Health) String() string {
	switch h {
	case Fresh:
		return "fresh"
	case Good:
		return "good"
	case Recovered:
		return "recovered"
	case Lost:
		return "lost"
	}
	return fmt.Sprintf("Health(%d)", int(h))
}

// BackupSuffix names the second copy: path+BackupSuffix.
const BackupSuffix = ".bak"

// Store is the record at one path. It is not safe for concurrent use
// (the engine's goroutine owns it); several processes may share one file:
// every Update re-reads it under a lock and merges into what it finds.
//
// The record is two copies, path and path+BackupSuffix, each replaced
// atomically (temp file, fsync, rename, fsync of the directory), the backup
// first. Every update that returned is in both, so a fault that spoils one
// copy (truncation, garbage, an empty file) loses nothing; a crash between
// the two writes leaves the backup one generation ahead, and of two readable
// copies the higher generation wins.
type Store struct {
	path   string
	o      Options
	data   Data // as of the last Load or Update
	health Health
	why    error           // what made it Recovered or Lost (nil otherwise)
	warned map[string]bool // warnings said once
}

// Open reads the record at path. Neither copy existing is empty state
// (created on the first Update); a copy that does not parse is recovered
// from the other, or the record is Lost — reported through o.Warn, never
// read as "nothing was typed". The error is for a copy that exists but
// cannot be read (permissions, a directory, a symlink, a FIFO): then
// nothing remembered can be trusted.
func Open(path string, o Options) (*Store, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.LockWait <= 0 {
		o.LockWait = 2 * time.Second
	}
	o.Limits = o.Limits.withDefaults()
	s := &Store{path: path, o: o, warned: map[string]bool{}}
	d, h, why, err := s.read()
	if err != nil {
		return nil, err
	}
	s.data, s.health, s.why = d, h, why
	return s, nil
}

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// Data is a copy of the state as last read or written.
func (s *Store) Data() Data { return s.data.clone() }

// Lost is Data().Lost without copying the records.
func (s *Store) Lost() time.Time { return s.data.Lost }

// Health is how the record read back at Open, with what went wrong (nil
// when Fresh or Good). A write repairs the copies but not a Lost record's
// Data.Lost, which stays until it expires.
func (s *Store) Health() (Health, error) { return s.health, s.why }

// Update applies f to the state as it is on disk now and writes the result
// to both copies. Another process's update of the same file is waited for
// (LockWait at most), so neither loses the other's records. When f returns
// an error nothing is written and the error is returned.
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
	d, _, _, err := s.read()
	if err != nil {
		return err
	}
	// A loss found at Open stays known even if this read found the copies
	// spoiled again later (or another writer repaired them without it).
	d.Lost = earliest(d.Lost, s.data.Lost)
	next := d.clone()
	if err := f(&next); err != nil {
		s.data = d
		return err
	}
	next.Gen = d.Gen + 1
	if s.o.Root != "" {
		next.Root = s.o.Root
	}
	next.prune(s.o.Now(), s.o.Limits)
	b, err := next.encode()
	if err != nil {
		return fmt.Errorf("state %s: %w", s.path, err)
	}
	for _, p := range []string{s.path + BackupSuffix, s.path} {
		if err := writeAtomic(p, b); err != nil {
			s.data = d
			return fmt.Errorf("state %s: %w", p, err)
		}
	}
	s.data = next
	return nil
}

// copyRead is one copy as read: absent, parsed, or corrupt (err).
type copyRead struct {
	path   string
	exists bool
	d      Data
	err    error
}

func (c copyRead) ok() bool { return c.exists && c.err == nil }

// readCopy reads one copy; the error is for one that cannot be read at all.
func (s *Store) readCopy(path string) (copyRead, error) {
	c := copyRead{path: path}
	b, err := readBounded(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("state %s: %w", path, err)
	}
	c.exists = true
	c.d, c.err = parse(b, s.o.Now(), s.o.Limits)
	return c, nil
}

// read loads the record from its two copies (see Store) and the legacy
// files; what went wrong is warned about once and returned as why.
func (s *Store) read() (d Data, h Health, why error, err error) {
	a, err := s.readCopy(s.path)
	if err != nil {
		return Data{}, 0, nil, err
	}
	b, err := s.readCopy(s.path + BackupSuffix)
	if err != nil {
		return Data{}, 0, nil, err
	}
	switch {
	case a.ok() && b.ok():
		d, h = a.d, Good
		if b.d.Gen > a.d.Gen {
			d = b.d // a crash between the two writes: the backup is newer
		}
	case a.ok() && !b.exists:
		d, h = a.d, Good // written before the backup existed
	case a.ok(), b.ok():
		bad, good := b, a
		if b.ok() {
			bad, good = a, b
		}
		d, h = good.d, Recovered
		what := "is missing"
		if bad.exists {
			what = "could not be read back (" + bad.err.Error() + ")"
		}
		why = fmt.Errorf("state %s %s; recovered every record from %s", bad.path, what, good.path)
	case a.exists || b.exists:
		d, h = Data{Version: Version, Lost: s.o.Now()}, Lost
		why = fmt.Errorf("state %s: no copy could be read back (%v); what it recorded is lost, "+
			"so every stall that predates now is left to you", s.path, errors.Join(a.err, b.err))
	default:
		d, h = Data{Version: Version}, Fresh
	}
	if lerr := s.mergeLegacy(&d, h == Fresh); lerr != nil && h == Fresh {
		d.Lost, h, why = s.o.Now(), Lost, lerr
	}
	if why != nil {
		s.warnOnce(why)
	}
	return d, h, why, nil
}

// mergeLegacy adds the typed and reopened records of the legacy files to d.
// A legacy file that cannot be read is returned when fresh (it was the
// record until now), else only warned about.
func (s *Store) mergeLegacy(d *Data, fresh bool) error {
	var lost error
	for _, p := range s.o.Legacy {
		c, err := s.readCopy(p)
		if err == nil && c.exists && c.err != nil {
			err = fmt.Errorf("state %s (of an earlier ccwake): %w", p, c.err)
		}
		if err != nil {
			if fresh {
				lost = fmt.Errorf("%w; what it recorded is lost, so every stall that predates now is left to you", err)
			} else {
				s.warnOnce(err)
			}
			continue
		}
		for _, e := range c.d.Typed {
			d.MarkTyped(e)
		}
		for _, e := range c.d.Reopened {
			d.MarkReopened(e)
		}
		d.Lost = earliest(d.Lost, c.d.Lost)
	}
	return lost
}

func (s *Store) warnOnce(err error) {
	if s.o.Warn == nil || s.warned[err.Error()] {
		return
	}
	s.warned[err.Error()] = true
	s.o.Warn(err)
}

// earliest is the earlier of two times, a zero one not counting.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
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

// writeAtomic replaces path with b so a reader sees the old file or the
// new one, never half of one, even after a crash.
func writeAtomic(path string, b []byte) error {
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
