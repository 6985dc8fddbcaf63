package resume

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Backoff is one error kind's full-jitter exponential backoff: the n-th
// attempt (0-based) sleeps uniform(0, min(Cap, Base·2^n)). Full jitter spreads
// many sessions hitting the same throttle instead of letting them retry in
// lock step.
type Backoff struct {
	Base time.Duration
	Cap  time.Duration
}

// Ceiling is min(Cap, Base·2^attempt), computed without overflow.
func (b Backoff) Ceiling(attempt int) time.Duration {
	if b.Base <= 0 {
		return 0
	}
	if attempt < 0 {
		attempt = 0
	}
	d := b.Base
	for range attempt {
		if b.Cap > 0 && d >= b.Cap {
			break
		}
		if d > (1<<62)/2 { // doubling would overflow int64
			break
		}
		d *= 2
	}
	if b.Cap > 0 && d > b.Cap {
		d = b.Cap
	}
	return d
}

// Sleep draws the jittered wait for attempt from rng.
func (b Backoff) Sleep(attempt int, rng *rand.Rand) time.Duration {
	ceil := b.Ceiling(attempt)
	if ceil <= 0 {
		return 0
	}
	return time.Duration(rng.Int64N(int64(ceil) + 1))
}

// Policy says how long to wait for each kind of API error. It is pure: the
// same session, clock reading and random source give the same answer.
type Policy struct {
	Throttle    Backoff       // transient server throttle; default 1 s / 30 s
	RateLimit   Backoff       // account rate limit, and usage caps without a reset time; default 15 s / 5 min
	Overloaded  Backoff       // 529; default 2 s / 1 min
	ServerError Backoff       // 5xx, timeouts, connection errors; default 2 s / 1 min
	ResetMargin time.Duration // wait this long past a usage cap's reset (shown to the minute, up to 59 s early); default 60 s
	// MaxAttempts is how many times one stall may be resumed. Attempts are
	// counted from the transcript (Session.Attempts = API errors in the
	// stall), so a restarted ccwake keeps the count: the stall is given up
	// when its newest error is error number MaxAttempts+1. Default 6.
	MaxAttempts int
}

// DefaultPolicy is the policy behind the command-line defaults.
func DefaultPolicy() Policy {
	return Policy{
		Throttle:    Backoff{Base: time.Second, Cap: 30 * time.Second},
		RateLimit:   Backoff{Base: 15 * time.Second, Cap: 5 * time.Minute},
		Overloaded:  Backoff{Base: 2 * time.Second, Cap: time.Minute},
		ServerError: Backoff{Base: 2 * time.Second, Cap: time.Minute},
		ResetMargin: 60 * time.Second,
		MaxAttempts: 6,
	}
}

// Decision is what the policy says about one stalled session.
type Decision struct {
	Phase Phase     // Waiting (resume at At), Fatal (never) or GaveUp (max attempts reached)
	At    time.Time // when to resume; zero unless Phase is Waiting
	Why   string    // in words, for the log and the dashboard
}

// Decide plans the resume of a stalled session. The wait is measured from the
// newest error's time (Session.ErrorAt), not from now, so a restarted ccwake
// does not restart the wait; now is only the fallback when the transcript
// gave no time. rng draws the jitter.
func (p Policy) Decide(s watch.Session, now time.Time, rng *rand.Rand) Decision {
	if !s.Kind.Retryable() {
		why := "waiting does not cure this error"
		if s.Kind == "" {
			why = "unrecognised error: waiting may not cure it"
		}
		if s.Note != "" {
			why = s.Note // what a human must do, e.g. "switch models with /model or add usage credits"
		}
		return Decision{Phase: Fatal, Why: why}
	}
	attempts := max(s.Attempts, 1)
	if p.MaxAttempts > 0 && attempts > p.MaxAttempts {
		return Decision{Phase: GaveUp, Why: fmt.Sprintf("%d API errors in a row; max attempts is %d", attempts, p.MaxAttempts)}
	}
	from := s.ErrorAt
	if from.IsZero() {
		from = s.LastAt
	}
	if from.IsZero() {
		from = now
	}
	// A usage cap's reset, or a wait the error states ("try again in 15
	// minutes") on any retryable kind: honour it rather than guess.
	if !s.ResetsAt.IsZero() {
		return p.afterReset(s, from, attempts)
	}
	b, name := p.backoff(s.Kind)
	sleep := b.Sleep(attempts-1, rng)
	return Decision{Phase: Waiting, At: from.Add(sleep),
		Why: fmt.Sprintf("%s backoff after error %d: %s (ceiling %s)", name, attempts, sleep.Round(time.Millisecond), b.Ceiling(attempts-1))}
}

// backoff picks the backoff for a retryable kind.
func (p Policy) backoff(k classify.Kind) (Backoff, string) {
	switch k {
	case classify.Throttle:
		return p.Throttle, "throttle"
	case classify.Overloaded:
		return p.Overloaded, "overloaded"
	case classify.ServerError:
		return p.ServerError, "server error"
	case classify.UsageLimit:
		return p.RateLimit, "rate limit (usage limit with unknown reset)"
	default:
		return p.RateLimit, "rate limit"
	}
}

// afterReset plans the resume of a usage cap with a known reset: the reset
// plus ResetMargin. Two corrections keep it from typing too early or in a
// loop. A reset read from text is shown to the minute and may be up to 59 s
// early, so a reset read from text waits at least a minute past it (the
// e2e run with 2.1.145 typed at 19:25:05 for a real reset at 19:25:42). And
// an error written at or after the stated reset means the cap still held
// then: the next try backs off from that error (rate-limit ceiling, never
// less than the margin) instead of retrying at a time already past.
func (p Policy) afterReset(s watch.Session, from time.Time, attempts int) Decision {
	what := "usage limit resets"
	if s.Kind != classify.UsageLimit {
		what = string(s.Kind) + ": the error says to wait until"
	}
	at := s.ResetsAt.Add(p.ResetMargin)
	why := fmt.Sprintf("%s %s; waiting %s past it", what, s.ResetsAt.Format(time.RFC3339), p.ResetMargin)
	if s.ResetFromText && p.ResetMargin < time.Minute {
		at = s.ResetsAt.Add(time.Minute)
		why = fmt.Sprintf("%s %s (shown to the minute); waiting 1m0s past it", what, s.ResetsAt.Format(time.RFC3339))
	}
	if s.Note != "" {
		why += " (" + s.Note + ")" // how a reset beyond its cap's window was corrected
	}
	if !from.Before(s.ResetsAt) {
		wait := max(p.RateLimit.Ceiling(attempts-1), p.ResetMargin)
		if next := from.Add(wait); next.After(at) {
			at = next
			why = fmt.Sprintf("the usage limit still held at %s, after its stated reset %s: backing off %s",
				from.Format(time.TimeOnly), s.ResetsAt.Format(time.TimeOnly), wait)
		}
	}
	return Decision{Phase: Waiting, At: at, Why: why}
}
