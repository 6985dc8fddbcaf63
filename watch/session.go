package watch

import (
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// State is a session's state as far as the transcript tells.
type State string

const (
	Working State = "working" // the last main-thread conversation entry is not an API error
	Stalled State = "stalled" // it is: Claude Code stopped and waits for a human
)

// Session is one transcript's view: who it is and whether it is stalled.
// It is a value: the watcher hands out copies.
type Session struct {
	ID         string // session id (from the entries; else the file name)
	Cwd        string
	Transcript string // absolute path of the .jsonl file
	Root       string // the Claude config root it was found under
	State      State

	// Set while State == Stalled (from the newest error of the stall).
	Kind      classify.Kind
	Limit     classify.Limit
	Message   string
	Attempts  int       // API errors since the last normal assistant reply
	StalledAt time.Time // time of the stall's first error
	ErrorAt   time.Time // time of the stall's newest error
	ResetsAt  time.Time // zero when unknown

	// LastUUID is the uuid of the newest main-thread conversation entry; the
	// resumer compares it to make sure nothing happened since it decided.
	LastUUID  string
	LastAt    time.Time // timestamp of that entry
	ModTime   time.Time // file modification time when last read
	LastError string    // last read problem of this transcript ("" when fine)
}

// Tracker folds a transcript's entries, in any order, into its Session.
// The zero value is not usable: use NewTracker.
type Tracker struct {
	s Session
}

// NewTracker starts the fold for one transcript.
func NewTracker(root, transcript string) *Tracker {
	return &Tracker{s: Session{Root: root, Transcript: transcript, State: Working}}
}

// Add folds one entry in. Entries may arrive out of conversation order (cold
// start reads backwards; some files hold an entry above its parent).
func (t *Tracker) Add(e classify.Entry) {}

// Session returns the current view.
func (t *Tracker) Session() Session { return t.s }
