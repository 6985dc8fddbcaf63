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
	RateLimit   Backoff       // account rate limit; default 15 s / 5 min
	Overloaded  Backoff       // 529; default 2 s / 1 min
	ServerError Backoff       // 5xx, timeouts, connection errors; default 2 s / 1 min
	ResetMargin time.Duration // wait this long past a usage cap's reset (shown to the minute, up to 59 s early); default 60 s
	// CapProbe is the first wait of a usage cap that states no reset (and of
	// one that still held at its stated reset). Each further error of the
	// stall doubles it, up to the cap's window (capWindow). Default 15 min.
	CapProbe time.Duration
	// MaxAttempts is how many times one stall may be resumed. Attempts are
	// counted from the transcript (Session.Attempts = API errors in the
	// stall), so a restarted ccwake keeps the count: the stall is given up
	// when its newest error is error number MaxAttempts+1. A usage cap is
	// given up only once the stall has also lasted longer than the cap's
	// window: before that, another error means the cap still holds, not
	// that waiting does not cure it. Default 6.
	MaxAttempts int
	// Loc is the zone times in reasons are written in; nil means the
	// local zone. Reasons are for humans: JSON keeps RFC 3339.
	Loc *time.Location
}

// defaultPolicy is the policy behind the command-line defaults.
func defaultPolicy() Policy {
	return Policy{
		Throttle:    Backoff{Base: time.Second, Cap: 30 * time.Second},
		RateLimit:   Backoff{Base: 15 * time.Second, Cap: 5 * time.Minute},
		Overloaded:  Backoff{Base: 2 * time.Second, Cap: time.Minute},
		ServerError: Backoff{Base: 2 * time.Second, Cap: time.Minute},
		ResetMargin: 60 * time.Second,
		CapProbe:    15 * time.Minute,
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
	from := s.ErrorAt
	if from.IsZero() {
		from = s.LastAt
	}
	if from.IsZero() {
		from = now
	}
	if s.Kind == classify.UsageLimit {
		return p.usageCap(s, from, now, attempts)
	}
	if p.MaxAttempts > 0 && attempts > p.MaxAttempts {
		return Decision{Phase: GaveUp, Why: fmt.Sprintf("%d API errors in a row; max attempts is %d", attempts, p.MaxAttempts)}
	}
	// A wait the error states ("try again in 15 minutes") on any other
	// retryable kind: honour it rather than guess. An error written after
	// that time falls back to the kind's backoff.
	if !s.ResetsAt.IsZero() && from.Before(s.ResetsAt) {
		return p.afterReset(s, from, now, attempts, 0)
	}
	b, name := p.backoff(s.Kind)
	sleep := b.Sleep(attempts-1, rng)
	return Decision{Phase: Waiting, At: from.Add(sleep),
		Why: fmt.Sprintf("%s backoff after error %d: %s (ceiling %s)", name, attempts, sleep.Round(time.Millisecond), b.Ceiling(attempts-1))}
}

// capWindow is how long a usage cap can last at most: five hours for the
// session (five_hour) cap, seven days for the weekly ones. A cap whose window
// is not known is taken for the five-hour one, the common case.
func capWindow(l classify.Limit) time.Duration {
	switch l {
	case classify.SevenDay, classify.SevenDayOpus, classify.SevenDaySonnet:
		return 7 * 24 * time.Hour
	}
	return 5 * time.Hour
}

// usageCap plans the resume of a usage cap. It uses no jitter, so `ccwake
// status` shows the very time a running ccwake uses. A cap is never given up
// inside its window: the server lifts it by then, and each new error only
// says it still holds.
func (p Policy) usageCap(s watch.Session, from, now time.Time, attempts int) Decision {
	window := capWindow(s.Limit)
	if lasted := from.Sub(s.StalledAt); p.MaxAttempts > 0 && attempts > p.MaxAttempts && !s.StalledAt.IsZero() && lasted >= window {
		return Decision{Phase: GaveUp, Why: fmt.Sprintf("%d API errors in a row over %s, longer than the %s window of this cap; max attempts is %d",
			attempts, lasted.Round(time.Minute), window, p.MaxAttempts)}
	}
	if !s.ResetsAt.IsZero() {
		return p.afterReset(s, from, now, attempts, window)
	}
	wait := p.probeWait(attempts-1, window)
	at := from.Add(wait)
	return Decision{Phase: Waiting, At: at,
		Why: fmt.Sprintf("probing: no reset stated; next probe at %s (%s after error %d; %s doubling up to %s)",
			HumanTime(at, now, p.Loc), wait, attempts, p.CapProbe, window)}
}

// probeWait is the n-th (0-based) probe of a cap: CapProbe·2^n, at most the window.
func (p Policy) probeWait(n int, window time.Duration) time.Duration {
	base := p.CapProbe
	if base <= 0 {
		base = defaultPolicy().CapProbe
	}
	return Backoff{Base: base, Cap: window}.Ceiling(n)
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
	default:
		return p.RateLimit, "rate limit"
	}
}

// afterReset plans the resume of a usage cap with a known reset: the reset
// plus ResetMargin. Two corrections keep it from typing too early or in a
// loop. A reset read from text is shown to the minute and may be up to 59 s
// early, so a reset read from text waits at least a minute past it (the
// e2e run with 2.1.145 typed at 19:25:05 for a real reset at 19:25:42). And
// an error written at or after the stated reset means the cap outlived it:
// the next try waits on the probe scale from that error (error n of the
// stall waits CapProbe·2^(n-2): 15 min for the first retry), never a time
// already past. A new error
// that states a later reset is simply followed.
func (p Policy) afterReset(s watch.Session, from, now time.Time, attempts int, window time.Duration) Decision {
	what := "usage limit resets"
	if s.Kind != classify.UsageLimit {
		what = string(s.Kind) + ": the error says to wait until"
	}
	at := s.ResetsAt.Add(p.ResetMargin)
	why := fmt.Sprintf("%s %s; waiting %s past it", what, HumanTime(s.ResetsAt, now, p.Loc), p.ResetMargin)
	if s.ResetFromText && p.ResetMargin < time.Minute {
		at = s.ResetsAt.Add(time.Minute)
		why = fmt.Sprintf("%s %s (shown to the minute); waiting 1m0s past it", what, HumanTime(s.ResetsAt, now, p.Loc))
	}
	if s.Note != "" {
		why += " (" + s.Note + ")" // how a reset beyond its cap's window was corrected
	}
	if !from.Before(s.ResetsAt) {
		wait := max(p.probeWait(max(attempts-2, 0), window), p.ResetMargin)
		if next := from.Add(wait); next.After(at) {
			at = next
			why = fmt.Sprintf("probing: the usage limit still held at %s, after its stated reset %s; next probe at %s (%s after error %d)",
				HumanTime(from, now, p.Loc), HumanTime(s.ResetsAt, now, p.Loc), HumanTime(at, now, p.Loc), wait, attempts)
		}
	}
	return Decision{Phase: Waiting, At: at, Why: why}
}
