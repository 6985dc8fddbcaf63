package resume

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

func TestBackoffCeiling(t *testing.T) {
	b := Backoff{Base: time.Second, Cap: 30 * time.Second}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for n, w := range want {
		if got := b.Ceiling(n); got != w*time.Second {
			t.Errorf("Ceiling(%d) = %v, want %v", n, got, w*time.Second)
		}
	}
	if got := b.Ceiling(1000); got != 30*time.Second {
		t.Errorf("Ceiling(1000) = %v: overflow?", got)
	}
	if got := (Backoff{Base: time.Second}).Ceiling(80); got <= 0 {
		t.Errorf("uncapped Ceiling(80) = %v: overflow", got)
	}
	if got := (Backoff{}).Sleep(3, rand.New(rand.NewPCG(1, 1))); got != 0 {
		t.Errorf("zero backoff sleeps %v", got)
	}
}

func TestBackoffJitterDeterministicAndBounded(t *testing.T) {
	b := Backoff{Base: time.Second, Cap: 30 * time.Second}
	r1, r2 := rand.New(rand.NewPCG(7, 7)), rand.New(rand.NewPCG(7, 7))
	seen := map[time.Duration]bool{}
	for n := range 200 {
		a, c := b.Sleep(n%8, r1), b.Sleep(n%8, r2)
		if a != c {
			t.Fatalf("same seed, draw %d: %v vs %v", n, a, c)
		}
		if a < 0 || a > b.Ceiling(n%8) {
			t.Fatalf("draw %d = %v outside [0, %v]", n, a, b.Ceiling(n%8))
		}
		seen[a] = true
	}
	if len(seen) < 150 {
		t.Errorf("only %d distinct sleeps in 200 draws: not jittered", len(seen))
	}
	other := rand.New(rand.NewPCG(8, 8))
	same := 0
	r1 = rand.New(rand.NewPCG(7, 7))
	for range 20 {
		if b.Sleep(5, r1) == b.Sleep(5, other) {
			same++
		}
	}
	if same > 2 {
		t.Errorf("different seeds agree %d/20 times", same)
	}
}

func TestPolicyDecide(t *testing.T) {
	p := defaultPolicy()
	errAt := t0.Add(-10 * time.Second)
	now := t0
	reset := t0.Add(2 * time.Hour)
	minute := t0.Add(3 * time.Hour).Truncate(time.Minute)
	cases := []struct {
		name      string
		kind      classify.Kind
		attempts  int
		resets    time.Time
		noErrAt   bool
		phase     Phase
		from      time.Time     // window start (Waiting)
		ceiling   time.Duration // window length
		exactAt   time.Time
		margin    time.Duration // ResetMargin when set
		fromText  bool          // the reset was read from text (to the minute)
		note      string        // Session.Note
		limit     classify.Limit
		lasted    time.Duration // the stall's first error was this long before errAt
		whyContns string
	}{
		{name: "rate limit with a stated wait waits for it", kind: classify.RateLimit, attempts: 1, resets: errAt.Add(15 * time.Minute), fromText: true, phase: Waiting, exactAt: errAt.Add(16 * time.Minute), whyContns: "rate_limit: the error says to wait until"},
		{name: "throttle with a stated wait", kind: classify.Throttle, attempts: 2, resets: errAt.Add(90 * time.Second), phase: Waiting, exactAt: errAt.Add(150 * time.Second)},
		{name: "fatal says what a human must do", kind: classify.Fatal, attempts: 1, note: "needs a human: switch models with /model or add usage credits", phase: Fatal, whyContns: "switch models with /model"},
		{name: "corrected reset says why", kind: classify.UsageLimit, attempts: 1, resets: reset, note: "the stated reset … is 23h after the error", phase: Waiting, exactAt: reset.Add(60 * time.Second), whyContns: "23h after the error"},
		{name: "throttle first", kind: classify.Throttle, attempts: 1, phase: Waiting, from: errAt, ceiling: time.Second},
		{name: "throttle third", kind: classify.Throttle, attempts: 3, phase: Waiting, from: errAt, ceiling: 4 * time.Second},
		{name: "throttle capped", kind: classify.Throttle, attempts: 6, phase: Waiting, from: errAt, ceiling: 30 * time.Second},
		{name: "rate limit", kind: classify.RateLimit, attempts: 2, phase: Waiting, from: errAt, ceiling: 30 * time.Second},
		{name: "rate limit capped", kind: classify.RateLimit, attempts: 6, phase: Waiting, from: errAt, ceiling: 5 * time.Minute},
		{name: "overloaded", kind: classify.Overloaded, attempts: 2, phase: Waiting, from: errAt, ceiling: 4 * time.Second},
		{name: "server error", kind: classify.ServerError, attempts: 1, phase: Waiting, from: errAt, ceiling: 2 * time.Second},
		{name: "usage limit known reset", kind: classify.UsageLimit, attempts: 1, resets: reset, phase: Waiting, exactAt: reset.Add(60 * time.Second), whyContns: "usage limit resets"},
		{name: "usage limit shown to the minute, small margin", kind: classify.UsageLimit, attempts: 1, resets: minute, fromText: true, margin: 5 * time.Second, phase: Waiting, exactAt: minute.Add(time.Minute), whyContns: "shown to the minute"},
		{name: "usage limit exact reset on a whole minute, small margin", kind: classify.UsageLimit, attempts: 1, resets: minute, margin: 5 * time.Second, phase: Waiting, exactAt: minute.Add(5 * time.Second)},
		{name: "usage limit with seconds, small margin", kind: classify.UsageLimit, attempts: 1, resets: minute.Add(42 * time.Second), margin: 5 * time.Second, phase: Waiting, exactAt: minute.Add(47 * time.Second)},
		{name: "usage limit still held after its reset: probe from the error", kind: classify.UsageLimit, attempts: 2, resets: errAt.Add(-30 * time.Second), phase: Waiting, exactAt: errAt.Add(15 * time.Minute), whyContns: "still held"},
		{name: "usage limit still held, third error: probe doubles", kind: classify.UsageLimit, attempts: 3, resets: errAt.Add(-30 * time.Second), phase: Waiting, exactAt: errAt.Add(30 * time.Minute), whyContns: "next probe at"},
		{name: "usage limit still held, fifth error", kind: classify.UsageLimit, attempts: 5, resets: errAt.Add(-30 * time.Second), phase: Waiting, exactAt: errAt.Add(2 * time.Hour), whyContns: "still held"},
		{name: "usage limit held at exactly its reset", kind: classify.UsageLimit, attempts: 2, resets: errAt, phase: Waiting, exactAt: errAt.Add(15 * time.Minute)},
		{name: "usage limit moved to a later reset: followed", kind: classify.UsageLimit, attempts: 2, resets: errAt.Add(40 * time.Minute), lasted: time.Hour, phase: Waiting, exactAt: errAt.Add(41 * time.Minute), whyContns: "usage limit resets"},
		{name: "usage limit unknown reset: first probe", kind: classify.UsageLimit, attempts: 1, phase: Waiting, exactAt: errAt.Add(15 * time.Minute), whyContns: "probing: no reset stated; next probe at " + errAt.Add(15*time.Minute).Format(time.TimeOnly)},
		{name: "usage limit unknown reset: third probe doubles", kind: classify.UsageLimit, attempts: 3, lasted: 45 * time.Minute, phase: Waiting, exactAt: errAt.Add(time.Hour)},
		{name: "usage limit unknown reset: probes stop growing at the 5 h window", kind: classify.UsageLimit, attempts: 6, lasted: 4 * time.Hour, phase: Waiting, exactAt: errAt.Add(5 * time.Hour)},
		{name: "unknown limit: 5 h window", kind: classify.UsageLimit, limit: classify.UnknownLimit, attempts: 6, phase: Waiting, exactAt: errAt.Add(5 * time.Hour)},
		{name: "weekly cap: probes grow past 5 h", kind: classify.UsageLimit, limit: classify.SevenDay, attempts: 8, lasted: 30 * time.Hour, phase: Waiting, exactAt: errAt.Add(32 * time.Hour)},
		{name: "weekly cap: probes stop at 7 days", kind: classify.UsageLimit, limit: classify.SevenDayOpus, attempts: 12, lasted: 6 * 24 * time.Hour, phase: Waiting, exactAt: errAt.Add(7 * 24 * time.Hour)},
		{name: "undated cap past max attempts inside its window: still probed", kind: classify.UsageLimit, attempts: 9, lasted: 4 * time.Hour, phase: Waiting, exactAt: errAt.Add(5 * time.Hour)},
		{name: "undated cap past max attempts and its window: gives up", kind: classify.UsageLimit, attempts: 9, lasted: 5 * time.Hour, phase: GaveUp, whyContns: "longer than the 5h0m0s window"},
		{name: "weekly cap past max attempts after 6 h: still probed", kind: classify.UsageLimit, limit: classify.SevenDay, attempts: 9, lasted: 6 * time.Hour, phase: Waiting, exactAt: errAt.Add(64 * time.Hour)},
		{name: "fatal", kind: classify.Fatal, attempts: 1, phase: Fatal},
		{name: "unclassified", kind: "", attempts: 1, phase: Fatal},
		{name: "max attempts is the last one resumed", kind: classify.Throttle, attempts: 6, phase: Waiting, from: errAt, ceiling: 30 * time.Second},
		{name: "one past max attempts gives up", kind: classify.Throttle, attempts: 7, phase: GaveUp, whyContns: "max attempts is 6"},
		{name: "dated cap past max attempts inside its window: waits for the reset", kind: classify.UsageLimit, attempts: 9, resets: reset, lasted: time.Hour, phase: Waiting, exactAt: reset.Add(60 * time.Second)},
		{name: "dated cap past max attempts and its window: gives up", kind: classify.UsageLimit, attempts: 9, resets: reset, lasted: 6 * time.Hour, phase: GaveUp},
		{name: "attempts 0 counts as 1", kind: classify.Throttle, attempts: 0, phase: Waiting, from: errAt, ceiling: time.Second},
		{name: "no error time: from now", kind: classify.Throttle, attempts: 1, noErrAt: true, phase: Waiting, from: now, ceiling: time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := stall("s", "e1", c.kind, c.attempts, errAt)
			s.ResetsAt, s.ResetFromText, s.Note, s.Limit = c.resets, c.fromText, c.note, c.limit
			s.StalledAt = errAt.Add(-c.lasted)
			if c.noErrAt {
				s.ErrorAt, s.LastAt = time.Time{}, time.Time{}
			}
			p := p
			if c.margin != 0 {
				p.ResetMargin = c.margin
			}
			for seed := range uint64(50) {
				d := p.Decide(s, now, rand.New(rand.NewPCG(seed, seed)))
				if d.Phase != c.phase {
					t.Fatalf("phase %s (%s), want %s", d.Phase, d.Why, c.phase)
				}
				if c.whyContns != "" && !contains(d.Why, c.whyContns) {
					t.Errorf("why %q lacks %q", d.Why, c.whyContns)
				}
				switch {
				case c.phase != Waiting:
					if !d.At.IsZero() {
						t.Errorf("%s has a resume time %v", d.Phase, d.At)
					}
				case !c.exactAt.IsZero():
					if !d.At.Equal(c.exactAt) {
						t.Errorf("at %v, want %v", d.At, c.exactAt)
					}
				default:
					if d.At.Before(c.from) || d.At.After(c.from.Add(c.ceiling)) {
						t.Errorf("seed %d: at %v outside [%v, +%v]", seed, d.At, c.from, c.ceiling)
					}
				}
			}
		})
	}
}

// The same seed and inputs give the same plan: a run can be replayed.
func TestPolicyDecideDeterministic(t *testing.T) {
	p := defaultPolicy()
	s := stall("s", "e1", classify.RateLimit, 4, t0)
	a := p.Decide(s, t0, rand.New(rand.NewPCG(42, 42)))
	b := p.Decide(s, t0, rand.New(rand.NewPCG(42, 42)))
	if a != b {
		t.Fatalf("%+v != %+v", a, b)
	}
}
