// Package remote is ccwake's several-machines channel: the JSON-lines
// protocol that `ccwake serve --stdio` speaks on a remote host, and the
// client that runs it over ssh, keeps it connected and sends it commands.
//
// The wire carries state and four commands, never text to type: the remote
// ccwake decides and types into its own panes, under its own lock and
// guards; the local one only shows and asks.
package remote

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Proto is the protocol version. A client refuses a server that says
// another one (too old or too new) rather than guess at its lines.
const Proto = 1

// MaxLine bounds one line either way; a longer one is an error, never a
// reason to buffer without end.
const MaxLine = 4 << 20

// Hello is the server's first line: who it is.
type Hello struct {
	Version string `json:"version"`
	Host    string `json:"host"`
	Proto   int    `json:"proto"`
	// PID and RootIDs say, on the local socket, which process serves and
	// which Claude roots it holds the lock of (attach.RootID): a client
	// attaches only to the instance that holds every root it watches.
	PID     int      `json:"pid,omitempty"`
	RootIDs []string `json:"root_ids,omitempty"`
}

// StatusFields are one session as `ccwake status --json` documents it.
// Absent values are null, never "" or 0001-01-01, so scripts can test for
// them. The wire (Session) and `status --json` share them, so the two
// cannot drift apart.
type StatusFields struct {
	SessionID  string  `json:"session_id"`
	Cwd        string  `json:"cwd"`
	Transcript string  `json:"transcript"`
	State      string  `json:"state"`
	Kind       *string `json:"kind"`
	Limit      *string `json:"limit"`
	Message    *string `json:"message"`
	Attempts   int     `json:"attempts"`
	StalledAt  *string `json:"stalled_at"`
	ResetsAt   *string `json:"resets_at"`
	ResumeAt   *string `json:"resume_at"`
	Pane       *string `json:"pane"`
	PaneError  *string `json:"pane_error"`
}

// NewStatusFields puts a session, when it would be resumed and its pane (or
// why there is none) into the documented shape.
func NewStatusFields(s watch.Session, resumeAt time.Time, pane, paneErr string) StatusFields {
	return StatusFields{
		SessionID:  s.ID,
		Cwd:        s.Cwd,
		Transcript: s.Transcript,
		State:      string(s.State),
		Kind:       Str(string(s.Kind)),
		Limit:      Str(string(s.Limit)),
		Message:    Str(s.Message),
		Attempts:   s.Attempts,
		StalledAt:  Time(s.StalledAt),
		ResetsAt:   Time(s.ResetsAt),
		ResumeAt:   Time(resumeAt),
		Pane:       Str(pane),
		PaneError:  Str(paneErr),
	}
}

// Session is one session on the wire: the fields of `ccwake status --json`
// plus what the dashboard shows of the resumer's view (phase, reason, the
// newest actions).
type Session struct {
	StatusFields
	Phase    string          `json:"phase,omitempty"`
	Reason   string          `json:"reason,omitempty"`
	MaxTries int             `json:"max_tries,omitempty"`
	History  []resume.Action `json:"history,omitempty"`
}

// Update is one line of `status --json --follow` and of `serve --stdio`:
// the host's stalled (or otherwise noteworthy) sessions at one moment.
type Update struct {
	Host        string          `json:"host"`
	Version     string          `json:"version"`
	Time        string          `json:"time"`
	Auto        bool            `json:"auto"`
	DryRun      bool            `json:"dry_run,omitempty"`
	LockHeldBy  string          `json:"lock_held_by,omitempty"`
	Roots       []string        `json:"roots,omitempty"`
	Transcripts int             `json:"transcripts"`
	ResumedDay  int             `json:"resumed_today"`
	Sessions    []Session       `json:"sessions"`
	Log         []resume.Action `json:"log,omitempty"`
}

// Command is one line a client sends to `serve --stdio`.
type Command struct {
	Cmd     string `json:"cmd"`               // retry, pause, resume, dismiss, reopen
	Session string `json:"session,omitempty"` // a session id or a transcript path
}

// The commands that name no session: auto-resume on or off for every
// session (the dashboard's a key, through the local socket).
const (
	CmdAutoOn  = "auto_on"
	CmdAutoOff = "auto_off"
)

// Commands are the only commands a server acts on.
var Commands = []string{"retry", "pause", "resume", "dismiss", "reopen", CmdAutoOn, CmdAutoOff}

// Reply is the server's answer to one command.
type Reply struct {
	Cmd     string `json:"cmd"`
	Session string `json:"session,omitempty"` // the session id it acted on
}

// Line is any server line: exactly one field is set.
type Line struct {
	Hello  *Hello  `json:"hello,omitempty"`
	Update *Update `json:"update,omitempty"`
	OK     *Reply  `json:"ok,omitempty"`
	Error  string  `json:"error,omitempty"`
}

// ErrNotALine means a line is not one of ccwake's.
var ErrNotALine = errors.New("not a ccwake protocol line")

// ParseLine reads one server line. `serve` wraps updates as {"update":…};
// a bare update (a `status --follow` line) is accepted as well.
func ParseLine(b []byte) (Line, error) {
	var l Line
	if err := json.Unmarshal(b, &l); err != nil {
		return Line{}, fmt.Errorf("%w: %v", ErrNotALine, err)
	}
	if l.Hello != nil || l.Update != nil || l.OK != nil || l.Error != "" {
		return l, nil
	}
	var u Update
	if err := json.Unmarshal(b, &u); err == nil && u.Host != "" && u.Sessions != nil {
		return Line{Update: &u}, nil
	}
	return Line{}, ErrNotALine
}

// FromStatus puts one status on the wire, with its newest n actions.
func FromStatus(st resume.Status, n int) Session {
	s := st.Session
	h := st.History
	if len(h) > n {
		h = h[len(h)-n:]
	}
	return Session{
		StatusFields: NewStatusFields(s, st.ResumeAt, st.Pane, st.PaneErr),
		Phase:        string(st.Phase),
		Reason:       st.Reason,
		MaxTries:     st.MaxTries,
		History:      h,
	}
}

// Status is the wire session back as the resumer's view, for the
// dashboard. Times that do not parse read as unknown.
func (s Session) Status() resume.Status {
	return resume.Status{
		Session: watch.Session{
			ID:         s.SessionID,
			Cwd:        s.Cwd,
			Transcript: s.Transcript,
			State:      watch.State(s.State),
			Kind:       classify.Kind(deref(s.Kind)),
			Limit:      classify.Limit(deref(s.Limit)),
			Message:    deref(s.Message),
			Attempts:   s.Attempts,
			StalledAt:  parseTime(s.StalledAt),
			ResetsAt:   parseTime(s.ResetsAt),
		},
		Phase:    resume.Phase(s.Phase),
		ResumeAt: parseTime(s.ResumeAt),
		Pane:     deref(s.Pane),
		PaneErr:  deref(s.PaneError),
		Reason:   s.Reason,
		MaxTries: s.MaxTries,
		History:  s.History,
	}
}

// Str is nil for "", so absent values are JSON null.
func Str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Time is RFC 3339 in UTC, nil for the zero time.
func Time(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func parseTime(p *string) time.Time {
	if p == nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, *p)
	if err != nil {
		return time.Time{}
	}
	return t
}
