package resume

import (
	"time"

	"github.com/ccwake/ccwake/watch"
)

// Phase is where the resumer stands with one session.
type Phase string

const (
	Idle        Phase = "idle"        // working: nothing to do
	Waiting     Phase = "waiting"     // stalled; waits for ResumeAt
	Resuming    Phase = "resuming"    // typing or confirming right now
	Resumed     Phase = "resumed"     // continue typed and confirmed from the transcript
	Blocked     Phase = "blocked"     // a guard refused (see Reason); re-checked later
	Unconfirmed Phase = "unconfirmed" // typed, but the transcript never showed it; stopped for this stall
	GaveUp      Phase = "gave_up"     // max attempts reached
	Fatal       Phase = "fatal"       // waiting cures nothing; shown only
	Paused      Phase = "paused"      // the user paused this session
	Dismissed   Phase = "dismissed"   // the user dismissed it until it stalls again
	Watching    Phase = "watching"    // another ccwake holds the lock, or auto-resume is off: shown only
)

// Action is one thing the resumer did or decided, with the reason.
type Action struct {
	Time      time.Time `json:"time"`
	SessionID string    `json:"session_id"`
	What      string    `json:"what"`   // e.g. "scheduled", "typed", "confirmed", "skipped", "gave_up", "no_pane"
	Reason    string    `json:"reason"` // human words: why
	Pane      string    `json:"pane,omitempty"`
}

// Status is the resumer's view of one session; the dashboard and
// `status --json` render it.
type Status struct {
	Session  watch.Session
	Phase    Phase
	ResumeAt time.Time // zero when nothing is scheduled
	Pane     string    // "%3", "" when none is known
	PaneErr  string    // why there is no pane
	Reason   string    // why the phase is what it is (guard that refused, etc.)
	MaxTries int       // --max-attempts
	History  []Action  // this session's recent actions, oldest first

	Host string // the machine it runs on (ccwake --host); "" for this one
	// Reopen is the command reopening this session would run when no
	// process holds it ("" when reopening is not configured).
	Reopen string
}

// Snapshot is everything the dashboard shows at one moment.
type Snapshot struct {
	Roots       []string
	Transcripts int    // transcripts followed
	Auto        bool   // auto-resume on
	DryRun      bool   // --dry-run: decides and logs, never types
	LockHeldBy  string // non-empty when another ccwake holds the lock (e.g. "pid 1234")
	// StateProblem says which roots' records of what was typed are lost
	// (stalls from before are left to a human) or unusable (nothing is
	// typed there); "" when all are sound.
	StateProblem string
	ResumedDay   int       // sessions resumed today
	Sessions     []Status  // the sessions worth showing (listed): stalled, held or acted on
	Log          []Action  // recent actions across sessions, oldest first
	Taken        time.Time // when the snapshot was taken

	Hosts []HostInfo // the other machines followed (ccwake --host), in order
	// Reopen: reopening sessions whose process is gone is configured
	// (ReopenOn), automatic (ReopenAuto, --reopen), with this claude.
	ReopenOn   bool
	ReopenAuto bool
	ClaudeBin  string
}
