package notify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ccwake/ccwake/internal/termsafe"
)

// Kind is what happened, the "event" field of the JSON.
type Kind string

const (
	// Stalled: a session hit a limit and the next resume is far away
	// (LongWait or more): a usage cap, a long backoff, auto-resume off.
	Stalled Kind = "stalled"
	// Resumed: a session we told the human about works again (continue
	// typed and confirmed from the transcript).
	Resumed Kind = "resumed"
	// GaveUp: the maximum number of attempts for one stall was reached.
	GaveUp Kind = "gave_up"
	// Fatal: waiting cures nothing (credits, auth, invalid request): a human
	// has to act.
	Fatal Kind = "fatal"
	// Blocked: a guard kept refusing for BlockedAfter or longer (a draft in
	// the input line, a dialog, no pane found).
	Blocked Kind = "blocked"
	// Unconfirmed: continue was typed but the transcript never showed it;
	// ccwake stops for this stall.
	Unconfirmed Kind = "unconfirmed"
	// Reopened: a session whose terminal was gone was started again with
	// `claude --resume` (raised from the engine's "reopened" action).
	Reopened Kind = "reopened"
	// Summary: notifications held back by the rate limit, in one.
	Summary Kind = "summary"
)

// Event is one notification. Its JSON form is what --notify-cmd reads on
// stdin and --notify-url receives; the README documents it. Times are
// RFC 3339; empty fields are left out.
type Event struct {
	Time      time.Time `json:"time"`
	Host      string    `json:"host"`
	Event     Kind      `json:"event"`
	SessionID string    `json:"session_id,omitempty"`
	Project   string    `json:"project,omitempty"` // last element of Cwd
	Cwd       string    `json:"cwd,omitempty"`
	Kind      string    `json:"kind,omitempty"`  // error kind: usage_limit, rate_limit, throttle, fatal, …
	Limit     string    `json:"limit,omitempty"` // which usage cap: five_hour, seven_day, …
	Title     string    `json:"title"`
	Message   string    `json:"message"`         // one human sentence: what happened and why
	Error     string    `json:"error,omitempty"` // the API error text from the transcript
	ResumeAt  time.Time `json:"resume_at,omitzero"`
	Pane      string    `json:"pane,omitempty"`
	Reason    string    `json:"reason,omitempty"` // the engine's words for its current phase
	// Count is how many held-back events a Summary stands for.
	Count int `json:"count,omitempty"`

	// key is the de-duplication key (transcript, error uuid, kind); not sent.
	key key
}

// key identifies one event of one stall: the session's transcript, the uuid
// of the error (or, for Resumed, of the stall it ends) and the kind.
type key struct {
	transcript string
	uuid       string
	kind       Kind
}

// JSON is the event's wire form, one line without a trailing newline. It
// holds the exact text of the transcript, with every control and bidi
// character escaped (\u001b, \u009b, \u202e), so a hook that prints it
// prints none raw.
func (e Event) JSON() ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("notify: encode event: %w", err)
	}
	return termsafe.JSON(b), nil
}

// display is the title and message as a human sees them: a transcript's
// control and bidi characters replaced (termsafe), for the places that
// carry raw text (the command's environment, the desktop, text bodies).
func (e Event) display() (title, message string) {
	return termsafe.String(e.Title), termsafe.String(e.Message)
}

// Text is the plain-text form (title, a newline, the message), for ntfy-style
// endpoints and the desktop, without control or bidi characters.
func (e Event) Text() string {
	title, message := e.display()
	return strings.TrimSpace(title + "\n" + message)
}

// shortID is the first 8 characters of a session id, as the dashboard shows.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
