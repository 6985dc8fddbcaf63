package classify

import (
	"testing"
	"time"
)

// The desktop and IDE clients word the plan's usage cap without a reset
// ("Usage limit reached", "You've reached your usage limit. Try again after
// your limit resets.", and the kin users report): a usage cap of unknown
// window with no reset, probed like any undated cap, never fatal. A cap
// that names a model stays fatal: waiting does not lift it.
func TestUndatedUsageCapFamily(t *testing.T) {
	at := time.Date(2026, 11, 22, 15, 50, 43, 0, time.UTC)
	cases := []struct {
		text string
		kind Kind
	}{
		{"Usage limit reached", UsageLimit},
		{"Usage limit reached. You've reached your usage limit. Try again after your limit resets.", UsageLimit},
		{"You've reached your usage limit. Try again after your limit resets.", UsageLimit},
		{"You’ve reached your usage limit. Try again after your limit resets.", UsageLimit},
		{"You have reached your usage limit.", UsageLimit},
		{"You've reached your limit. Try again after your limit resets.", UsageLimit},
		{"You've reached your plan's usage limit.", UsageLimit},
		{"You’ve reached your Claude Pro usage limit", UsageLimit},
		{"You've reached your Claude Max plan usage limit. Your limit will reset soon.", UsageLimit},
		{"You've reached your current usage limit", UsageLimit},
		{"You've hit your usage limit", UsageLimit},
		// per-model caps and spend caps keep needing a human
		{"You've reached your Opus limit. Try again after your limit resets.", Fatal},
		{"You've reached your Opus 4.5 limit.", Fatal},
		{"You've reached your Haiku usage limit.", Fatal},
		{"You've reached your Fast mode limit.", Fatal},
		{"You've reached your usage limit. Run /usage-credits to continue or switch models with /model.", Fatal},
		{"You've reached your monthly spend limit.", Fatal},
	}
	for _, c := range cases {
		for _, f := range []errFields{{Text: c.text}, {Text: c.text, Status: 429, Error: "rate_limit"}} {
			e := classify(f, at, time.UTC)
			if e.Kind != c.kind {
				t.Errorf("classify(%q, status %d) = %s (note %q), want %s", c.text, f.Status, e.Kind, e.Note, c.kind)
				continue
			}
			if c.kind != UsageLimit {
				continue
			}
			if e.Limit != UnknownLimit || !e.ResetsAt.IsZero() || e.Note != "" {
				t.Errorf("classify(%q) = limit %s, reset %v, note %q; want an undated cap of unknown window", c.text, e.Limit, e.ResetsAt, e.Note)
			}
		}
	}
}
