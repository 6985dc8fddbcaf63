// Package classify turns one line of a Claude Code transcript into an Entry:
// what kind of entry it is, where it sits in the conversation, and, for the
// synthetic API-error entries Claude Code writes when a request fails, what
// kind of failure it was and when waiting will cure it.
//
// It reads lines with gjson and never unmarshals a whole line: lines reach
// several megabytes and only a handful of fields matter.
package classify

import "time"

// Kind is what an API error means for someone deciding whether to wait.
type Kind string

const (
	Throttle    Kind = "throttle"     // transient server-side throttle ("not your usage limit")
	RateLimit   Kind = "rate_limit"   // account or organisation rate limit
	UsageLimit  Kind = "usage_limit"  // plan usage cap with a reset time
	Overloaded  Kind = "overloaded"   // HTTP 529
	ServerError Kind = "server_error" // 5xx, timeouts, connection errors
	Fatal       Kind = "fatal"        // waiting cures nothing: credits, spend caps, auth, invalid request, unknown
)

// Retryable reports whether typing "continue" after a wait can help.
func (k Kind) Retryable() bool { return k != "" && k != Fatal }

// Limit names which plan cap a usage_limit error hit.
type Limit string

const (
	FiveHour       Limit = "five_hour"
	SevenDay       Limit = "seven_day"
	SevenDayOpus   Limit = "seven_day_opus"
	SevenDaySonnet Limit = "seven_day_sonnet"
	ExtraUsage     Limit = "extra_usage" // "You're out of extra usage · resets …": paid extra usage used up until the reset
	Spend          Limit = "spend"       // a spend cap that states a reset (without one it is Fatal)
	UnknownLimit   Limit = "unknown"
)

// Role says whether an entry is part of the conversation.
type Role uint8

const (
	Meta      Role = iota // metadata: says nothing about a stall
	User                  // type "user"
	Assistant             // type "assistant"
)

// Entry is what ccwake needs from one transcript line.
type Entry struct {
	Role       Role
	Type       string // the raw "type" field
	Sidechain  bool   // subagent turn: never starts or ends a main-thread stall
	UUID       string
	ParentUUID string
	SessionID  string
	Cwd        string
	Time       time.Time // zero when the line has no timestamp
	// Text is the start of a user entry's text (at most 256 bytes), used to
	// recognise a typed "continue".
	Text string
	// Err is set for assistant entries with "isApiErrorMessage": true.
	Err *APIError
	// AgentErr is set for user entries whose tool_result reports that an
	// agent the turn started died on an API error ("Agent terminated early
	// due to an API error: You've hit your session limit · resets 3:20am"):
	// that error, classified as if the agent's own entry had shown it.
	AgentErr *APIError
}

// APIError describes one synthetic API-error entry.
type APIError struct {
	Kind    Kind
	Limit   Limit  // set only for UsageLimit
	Message string // the error text as Claude Code showed it
	// ResetsAt is when waiting ends: a usage cap's reset, or the end of a
	// wait the text states ("try again in 15 minutes") for any retryable
	// kind. Zero when unknown; never set for Fatal.
	ResetsAt time.Time
	// ResetFromText says ResetsAt was read from the message, which shows it
	// to the minute, rounded down: the real reset may be up to 59 s later.
	ResetFromText bool
	// Note says in words what ccwake made of the error beyond its kind:
	// for Fatal errors what a human must do ("switch models with /model or
	// add usage credits"), for a reset that lay beyond its cap's window how
	// it was corrected. "" when there is nothing to add.
	Note string
}
