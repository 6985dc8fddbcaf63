// Package statefile keeps what ccwake must remember across restarts so it
// never types twice for one error: the errors it typed for, text it sent
// without the Enter yet, reopens, dismissals and pauses. It is a small JSON
// record per Claude root (RootPath: found the same by every instance that
// can take the root's lock, whatever its environment; never under the Claude
// root), written atomically in two copies, bounded in size and age.
//
// A record that cannot be read back is never "nothing was typed": the other
// copy is used, and when neither can be read the record says so (Data.Lost)
// until every record it may have held would have expired.
//
// Errors are keyed by transcript FILE and error uuid, not by session id:
// `claude --resume` writes a second file with the same session id and
// copies the old error entries (same uuids) into it.
package statefile

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Version is the file format written; other versions are reset.
const Version = 1

// Typed records that ccwake typed (or started typing) for one error.
type Typed struct {
	File    string    `json:"file"`              // transcript path
	UUID    string    `json:"uuid"`              // the error entry's uuid
	ErrorAt time.Time `json:"error_at,omitzero"` // the error's timestamp
	At      time.Time `json:"at"`                // when ccwake typed
	Pane    string    `json:"pane,omitempty"`    // where
}

// Pending is text ccwake is sending or sent without its Enter: after a stop
// between the two, a restart recognises it as its own, not a human draft.
type Pending struct {
	File    string    `json:"file"`
	UUID    string    `json:"uuid"`
	Text    string    `json:"text"`
	Pane    string    `json:"pane,omitempty"`
	ErrorAt time.Time `json:"error_at,omitzero"`
	At      time.Time `json:"at"`
}

// Dismissed is one error the user dismissed (until it stalls again).
type Dismissed struct {
	File    string    `json:"file"`
	UUID    string    `json:"uuid"`
	ErrorAt time.Time `json:"error_at,omitzero"`
	At      time.Time `json:"at"`
}

// Reopened records that ccwake started `claude --resume` for one error of
// a session whose process was gone: at most once per stall, across restarts.
type Reopened struct {
	File    string    `json:"file"`
	UUID    string    `json:"uuid"`
	ErrorAt time.Time `json:"error_at,omitzero"`
	At      time.Time `json:"at"`
	Pane    string    `json:"pane,omitempty"` // the pane it was started in ("" until known)
}

// Paused is a transcript the user paused.
type Paused struct {
	File string    `json:"file"`
	At   time.Time `json:"at"`
}

// Data is the whole file.
type Data struct {
	Version int `json:"version"`
	// Gen counts the writes: of two readable copies the higher wins.
	Gen uint64 `json:"gen,omitempty"`
	// Lost is when a record that could not be read back was found (both
	// copies corrupt, truncated or empty): what it held is unknown, so every
	// error dated before Lost may have been typed for. Kept until it is
	// older than Limits.MaxAge, when every record it held would have expired.
	Lost time.Time `json:"lost,omitzero"`
	// Root is the Claude root the record was last written for (for humans
	// and `ccwake doctor`; the record is found by the root's identity).
	Root      string      `json:"root,omitempty"`
	Typed     []Typed     `json:"typed,omitempty"`
	Pending   []Pending   `json:"pending,omitempty"`
	Dismissed []Dismissed `json:"dismissed,omitempty"`
	Paused    []Paused    `json:"paused,omitempty"`
	Reopened  []Reopened  `json:"reopened,omitempty"`
}

// Limits bound the file.
type Limits struct {
	MaxEntries int           // per list, newest kept; default 1000
	MaxAge     time.Duration // records made longer ago go; default 14 days
}

// DefaultLimits are the limits used when a field is zero.
var DefaultLimits = Limits{MaxEntries: 1000, MaxAge: 14 * 24 * time.Hour}

func (l Limits) withDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultLimits.MaxEntries
	}
	if l.MaxAge <= 0 {
		l.MaxAge = DefaultLimits.MaxAge
	}
	return l
}

// maxFileBytes caps what is read: a file this big is not ours.
const maxFileBytes = 4 << 20

// errCorrupt marks a file that does not parse as state.
var errCorrupt = errors.New("corrupt state file")

// parse decodes b. An empty b is corrupt: ccwake never writes an empty
// file, so one is a crash's or a fault's leftover, not "nothing recorded".
// The result is pruned.
func parse(b []byte, now time.Time, l Limits) (Data, error) {
	d := Data{Version: Version}
	if len(b) == 0 {
		return d, fmt.Errorf("%w: empty", errCorrupt)
	}
	if len(b) > maxFileBytes {
		return d, fmt.Errorf("%w: %d bytes, more than %d", errCorrupt, len(b), maxFileBytes)
	}
	var in Data
	if err := json.Unmarshal(b, &in); err != nil {
		return d, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	if in.Version != Version {
		return d, fmt.Errorf("%w: version %d, want %d", errCorrupt, in.Version, Version)
	}
	in.prune(now, l)
	return in, nil
}

// encode is the file's bytes.
func (d *Data) encode() ([]byte, error) {
	d.Version = Version
	b, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// prune drops invalid, expired and surplus entries (oldest first).
//
// Age is the record's own (At, when ccwake made it), never its error's: an
// error dated weeks ago that ccwake typed for today must stay recorded, or
// the next restart types for it again.
func (d *Data) prune(now time.Time, l Limits) {
	l = l.withDefaults()
	cutoff, future := now.Add(-l.MaxAge), now.Add(l.MaxAge)
	// old: expired, or dated so far ahead (a bad clock) it would never expire.
	old := func(at time.Time) bool { return at.Before(cutoff) || at.After(future) }
	if old(d.Lost) {
		d.Lost = time.Time{}
	}
	d.Typed = slices.DeleteFunc(d.Typed, func(e Typed) bool { return e.File == "" || e.UUID == "" || old(e.At) })
	d.Pending = slices.DeleteFunc(d.Pending, func(e Pending) bool {
		return e.File == "" || e.UUID == "" || e.Text == "" || old(e.At)
	})
	d.Dismissed = slices.DeleteFunc(d.Dismissed, func(e Dismissed) bool { return e.File == "" || e.UUID == "" || old(e.At) })
	d.Paused = slices.DeleteFunc(d.Paused, func(e Paused) bool { return e.File == "" || old(e.At) })
	d.Reopened = slices.DeleteFunc(d.Reopened, func(e Reopened) bool { return e.File == "" || e.UUID == "" || old(e.At) })
	// One pending text and one pause per file: the newest wins.
	d.Pending = newestPerFile(d.Pending, func(e Pending) (string, time.Time) { return e.File, e.At })
	d.Paused = newestPerFile(d.Paused, func(e Paused) (string, time.Time) { return e.File, e.At })
	d.Typed = newestN(d.Typed, l.MaxEntries, func(e Typed) time.Time { return e.At })
	d.Pending = newestN(d.Pending, l.MaxEntries, func(e Pending) time.Time { return e.At })
	d.Dismissed = newestN(d.Dismissed, l.MaxEntries, func(e Dismissed) time.Time { return e.At })
	d.Paused = newestN(d.Paused, l.MaxEntries, func(e Paused) time.Time { return e.At })
	d.Reopened = newestN(d.Reopened, l.MaxEntries, func(e Reopened) time.Time { return e.At })
	d.Typed, d.Pending = nilIfEmpty(d.Typed), nilIfEmpty(d.Pending)
	d.Dismissed, d.Paused = nilIfEmpty(d.Dismissed), nilIfEmpty(d.Paused)
	d.Reopened = nilIfEmpty(d.Reopened)
}

func nilIfEmpty[T any](list []T) []T {
	if len(list) == 0 {
		return nil
	}
	return list
}

// newestN sorts list oldest first (stable) and keeps the newest n.
func newestN[T any](list []T, n int, at func(T) time.Time) []T {
	slices.SortStableFunc(list, func(a, b T) int { return at(a).Compare(at(b)) })
	if len(list) > n {
		list = slices.Clone(list[len(list)-n:])
	}
	return list
}

// newestPerFile keeps one entry per file: the newest (the later one on a tie).
func newestPerFile[T any](list []T, key func(T) (string, time.Time)) []T {
	newest := map[string]int{}
	for i, e := range list {
		f, at := key(e)
		if j, ok := newest[f]; ok {
			if _, jat := key(list[j]); at.Before(jat) {
				continue
			}
		}
		newest[f] = i
	}
	var out []T
	for i, e := range list {
		if f, _ := key(e); newest[f] == i {
			out = append(out, e)
		}
	}
	return out
}

// TypedFor returns the record of an error typed for, in any file: a resumed
// copy of a session carries the same error uuids, and one continue per
// error holds across the copies.
func (d Data) TypedFor(uuid string) (Typed, bool) {
	for _, e := range slices.Backward(d.Typed) {
		if e.UUID == uuid {
			return e, true
		}
	}
	return Typed{}, false
}

// MarkTyped records e unless its error was typed for already (in any file);
// false means it was.
func (d *Data) MarkTyped(e Typed) bool {
	if _, ok := d.TypedFor(e.UUID); ok {
		return false
	}
	d.Typed = append(d.Typed, e)
	return true
}

// PendingFor returns file's pending text.
func (d Data) PendingFor(file string) (Pending, bool) {
	for _, e := range d.Pending {
		if e.File == file {
			return e, true
		}
	}
	return Pending{}, false
}

// SetPending replaces file's pending text.
func (d *Data) SetPending(p Pending) {
	d.ClearPending(p.File)
	d.Pending = append(d.Pending, p)
}

// ClearPending forgets file's pending text.
func (d *Data) ClearPending(file string) {
	d.Pending = slices.DeleteFunc(d.Pending, func(e Pending) bool { return e.File == file })
}

// IsDismissed reports whether the user dismissed this error of file.
func (d Data) IsDismissed(file, uuid string) bool {
	return slices.ContainsFunc(d.Dismissed, func(e Dismissed) bool { return e.File == file && e.UUID == uuid })
}

// SetDismissed records (on) or forgets (off) a dismissal; forgetting drops
// every dismissal of file.
func (d *Data) SetDismissed(e Dismissed, on bool) {
	d.Dismissed = slices.DeleteFunc(d.Dismissed, func(x Dismissed) bool { return x.File == e.File })
	if on {
		d.Dismissed = append(d.Dismissed, e)
	}
}

// IsPaused reports whether file is paused.
func (d Data) IsPaused(file string) bool {
	return slices.ContainsFunc(d.Paused, func(e Paused) bool { return e.File == file })
}

// SetPaused pauses or unpauses file.
func (d *Data) SetPaused(file string, at time.Time, on bool) {
	d.Paused = slices.DeleteFunc(d.Paused, func(e Paused) bool { return e.File == file })
	if on {
		d.Paused = append(d.Paused, Paused{File: file, At: at})
	}
}

// clone is a deep copy (the lists are value slices).
func (d Data) clone() Data {
	d.Typed = slices.Clone(d.Typed)
	d.Pending = slices.Clone(d.Pending)
	d.Dismissed = slices.Clone(d.Dismissed)
	d.Paused = slices.Clone(d.Paused)
	d.Reopened = slices.Clone(d.Reopened)
	return d
}

// ReopenedFor returns the record of a reopen for an error, in any file: the
// copy `claude --resume` writes carries the same error uuids, and one reopen
// per stall holds across the copies.
func (d Data) ReopenedFor(uuid string) (Reopened, bool) {
	for _, e := range slices.Backward(d.Reopened) {
		if e.UUID == uuid {
			return e, true
		}
	}
	return Reopened{}, false
}

// MarkReopened records e unless its error was reopened for already (in any
// file); false means it was.
func (d *Data) MarkReopened(e Reopened) bool {
	if _, ok := d.ReopenedFor(e.UUID); ok {
		return false
	}
	d.Reopened = append(d.Reopened, e)
	return true
}
