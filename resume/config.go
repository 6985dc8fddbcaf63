package resume

import (
	"math/rand/v2"
	"time"
)

// Config is everything the engine can be tuned by. Zero fields take the
// defaults of DefaultConfig (except ResetMargin, where 0 means no margin);
// the command line exposes them as flags.
type Config struct {
	Policy // when to resume, per error kind

	Message string // typed into a stalled session; default "continue"
	Auto    bool   // resume on schedule; off: only show, act on Retry
	DryRun  bool   // decide and log "would type", never call Type/Enter/Escape

	// LockedRoots are the Claude roots whose lock (AcquireLock) this
	// instance holds. Sessions under any other root are only watched
	// (Phase Watching): forgetting to lock makes ccwake show, never type.
	LockedRoots []string
	// LockHeldBy says who holds the lock of the roots we could not lock
	// ("pid 1234"), for the dashboard; empty when we hold every lock.
	LockHeldBy string
	Roots      []string // shown in the Snapshot

	// StatePath gives a root's record: where what must survive a restart
	// is kept (errors typed for, text sent without its Enter, reopens,
	// dismissals, pauses; see package statefile). ccwake passes
	// statefile.RootPath, found the same by every instance that can take
	// the root's lock. An error makes the engine refuse to type under that
	// root. nil: StateFile for every root.
	StatePath func(root string) (string, error)
	// StateFile is one record for every root when StatePath is nil (tests,
	// embedding); "" with StatePath nil keeps records in memory only: a
	// restart forgets them.
	StateFile string
	// StateLegacy are record files of earlier versions, read into each
	// root's record (statefile.Options.Legacy).
	StateLegacy []string

	// Seed seeds the backoff jitter (0: random). Rand, when set, wins.
	Seed int64
	Rand *rand.Rand

	DraftRecheck time.Duration // re-check a pane where a human is typing this often; default 5 s
	BlockedBase  time.Duration // first re-check after a guard refused; default 5 s
	BlockedCap   time.Duration // re-check backoff ceiling after refusals; default 1 min
	// NoPaneRecheck is the fallback for a session no pane runs: it is looked
	// for again when PanesChanged says so, else on the next multiple of this
	// period (one wave for all of them). Default 5 min.
	NoPaneRecheck time.Duration
	DialogRecheck time.Duration // look again this long after Escape on the usage dialog; default 1 s
	ProbeDelay    time.Duration // a read-only look at the pane this long after a long wait is scheduled; default 2 s
	ConfirmWait   time.Duration // after Type, wait this long for the transcript before one more Enter; default 1.5 s
	ConfirmFinal  time.Duration // then wait this long more before calling it unconfirmed; default 5 s
	// WallRecheck bounds every wait of the engine while a step is
	// scheduled: timers stop during a suspend, the wall clock does not, so
	// a deadline that passed while the machine slept is met within this
	// interval of waking up. Default 15 s.
	WallRecheck time.Duration

	// Stagger spaces the resumes of sessions behind usage caps at least this
	// far apart, oldest stall first (StaggerPlans); 0 disables it and, unlike
	// the fields above, is not replaced by the default of 10 s.
	Stagger       time.Duration
	AttemptBudget time.Duration // one deadline for the tmux work of one attempt; default defaultAttemptBudget (5 s)

	// Reopen reopens sessions whose process is gone (reopen.go); off
	// unless its Spawner, Holders and ClaudeBin are set.
	Reopen     ReopenConfig
	ReopenWait time.Duration // first look for a reopened session's prompt; default defaultReopenWait

	HistoryLen int // actions kept per session; default 20
	LogLen     int // actions kept across sessions; default 200
}

// DefaultConfig holds the defaults (auto off, not locked: the caller decides).
func DefaultConfig() Config {
	return Config{
		Policy:        defaultPolicy(),
		Message:       "continue",
		DraftRecheck:  5 * time.Second,
		BlockedBase:   5 * time.Second,
		BlockedCap:    time.Minute,
		NoPaneRecheck: 5 * time.Minute,
		DialogRecheck: time.Second,
		ProbeDelay:    2 * time.Second,
		ConfirmWait:   1500 * time.Millisecond,
		ConfirmFinal:  5 * time.Second,
		WallRecheck:   15 * time.Second,
		Stagger:       10 * time.Second,
		AttemptBudget: defaultAttemptBudget,
		HistoryLen:    20,
		LogLen:        200,
	}
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	fill := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	fillB := func(b *Backoff, def Backoff) {
		if b.Base <= 0 && b.Cap <= 0 {
			*b = def
		}
	}
	fillB(&c.Throttle, d.Throttle)
	fillB(&c.RateLimit, d.RateLimit)
	fillB(&c.Overloaded, d.Overloaded)
	fillB(&c.ServerError, d.ServerError)
	if c.ResetMargin < 0 {
		c.ResetMargin = 0
	}
	if c.Stagger < 0 {
		c.Stagger = 0
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = d.MaxAttempts
	}
	if c.Message == "" {
		c.Message = d.Message
	}
	fill(&c.DraftRecheck, d.DraftRecheck)
	fill(&c.BlockedBase, d.BlockedBase)
	fill(&c.BlockedCap, d.BlockedCap)
	fill(&c.NoPaneRecheck, d.NoPaneRecheck)
	fill(&c.DialogRecheck, d.DialogRecheck)
	fill(&c.ProbeDelay, d.ProbeDelay)
	fill(&c.CapProbe, d.CapProbe)
	fill(&c.ConfirmWait, d.ConfirmWait)
	fill(&c.ConfirmFinal, d.ConfirmFinal)
	fill(&c.WallRecheck, d.WallRecheck)
	fill(&c.AttemptBudget, d.AttemptBudget)
	fill(&c.ReopenWait, defaultReopenWait)
	if c.HistoryLen <= 0 {
		c.HistoryLen = d.HistoryLen
	}
	if c.LogLen <= 0 {
		c.LogLen = d.LogLen
	}
	return c
}
