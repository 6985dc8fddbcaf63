package classify

import (
	"strings"
	"testing"
	"time"
)

// kindOf is judge without the note, for the tables below.
func kindOf(f errFields) (Kind, Limit) {
	v := judge(f)
	return v.kind, v.limit
}

// TestKindOf covers every wording in docs/transcripts.md (all eras), the
// structured fields of 2.1.145 and 2.1.330, and the texts the client's
// source has that the measurements did not produce.
func TestKindOf(t *testing.T) {
	const json429 = `API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your account's rate limit. Please try again later."},"request_id":"req_mockerr"}`
	const json529 = `API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_mockerr"}`
	const json500 = `API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_mockerr"}`
	const new500 = "API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (127.0.0.1:18181)."
	const new529 = "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (127.0.0.1:18181)."
	const serverThrottle = "API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"

	cases := []struct {
		name  string
		f     errFields
		kind  Kind
		limit Limit
	}{
		// server throttle, by era
		{"≤2.0.0 throttle |0", errFields{Text: "Claude AI usage limit reached|0"}, Throttle, ""},
		{"2.0.50 throttle", errFields{Text: "API Error: Rate limit reached", Error: "rate_limit"}, Throttle, ""},
		{"2.1.100 throttle", errFields{Text: "API Error: Request rejected (429) · Rate limited", Error: "rate_limit"}, Throttle, ""},
		{"2.1.145 throttle", errFields{Text: serverThrottle, Error: "rate_limit", Status: 429}, Throttle, ""},
		{"2.1.330 throttle", errFields{Text: serverThrottle, Error: "rate_limit", Status: 429, Type: "rate_limit_error", Transient: true}, Throttle, ""},
		{"2.1.330 key 'Rate limited', not transient", errFields{Text: "API Error: Request rejected (429) · Rate limited", Error: "rate_limit", Status: 429, Type: "rate_limit_error"}, Throttle, ""},
		{"transient 429, unknown text", errFields{Text: "API Error: something new", Status: 429, Transient: true}, Throttle, ""},

		// account rate limit
		{"≤2.1.100 429 JSON", errFields{Text: json429}, RateLimit, ""},
		{"2.1.100 429 JSON error unknown", errFields{Text: json429, Error: "unknown"}, RateLimit, ""},
		{"2.1.145 account", errFields{Text: "API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again later.", Error: "rate_limit", Status: 429}, RateLimit, ""},
		{"2.1.330 account", errFields{Text: "API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again later.", Error: "rate_limit", Status: 429, Type: "rate_limit_error"}, RateLimit, ""},
		{"bare 429 status", errFields{Text: "API Error: something new", Status: 429}, RateLimit, ""},
		{"error field only", errFields{Text: "API Error: something new", Error: "rate_limit"}, RateLimit, ""},

		// usage caps, text
		{"≤2.0.50 5h U+2219", errFields{Text: "Session limit reached ∙ resets 5:51pm"}, UsageLimit, FiveHour},
		{"≤2.0.50 7d", errFields{Text: "Weekly limit reached ∙ resets Nov 25, 10:11pm"}, UsageLimit, SevenDay},
		{"2.0.50 opus", errFields{Text: "Opus weekly limit reached ∙ resets Nov 26, 3:12am", Error: "rate_limit"}, UsageLimit, SevenDayOpus},
		{"sonnet weekly", errFields{Text: "Sonnet weekly limit reached ∙ resets Nov 26, 3:12am"}, UsageLimit, SevenDaySonnet},
		{"≤2.0.0 epoch: limit not in the text", errFields{Text: "Claude AI usage limit reached|1795662692"}, UsageLimit, UnknownLimit},
		{"2.1.100 session", errFields{Text: "You've hit your session limit · resets 5:52pm (UTC)", Error: "rate_limit"}, UsageLimit, FiveHour},
		{"2.1.145 session with 429", errFields{Text: "You've hit your session limit · resets 5:52pm (UTC)", Error: "rate_limit", Status: 429}, UsageLimit, FiveHour},
		{"2.1.330 5-hour", errFields{Text: "You've hit your 5-hour limit · resets 5:50pm (UTC)"}, UsageLimit, FiveHour},
		{"weekly U+00B7", errFields{Text: "You've hit your weekly limit · resets Nov 25, 10:12pm (America/New_York)", Status: 429}, UsageLimit, SevenDay},
		{"opus", errFields{Text: "You've hit your Opus limit · resets Nov 26, 3:12am (UTC)", Status: 429}, UsageLimit, SevenDayOpus},
		{"sonnet", errFields{Text: "You’ve hit your Sonnet limit · resets Nov 26, 3:12am (UTC)"}, UsageLimit, SevenDaySonnet},
		{"later clause names a model", errFields{Text: "You've hit your weekly limit · resets Nov 25, 10pm · /upgrade for more Opus"}, UsageLimit, SevenDay},
		{"unnamed cap", errFields{Text: "You've hit your limit · resets 3pm"}, UsageLimit, UnknownLimit},
		{"spend cap with reset", errFields{Text: "You've hit your spend limit · resets Dec 1, 12am"}, UsageLimit, Spend},

		// wordings reported in the wild (docs/transcripts.md)
		{"extra usage with reset", errFields{Text: "You're out of extra usage · resets 11:30pm (Asia/Colombo)", Error: "rate_limit", Status: 429}, UsageLimit, ExtraUsage},
		{"extra usage with reset, curly, NNBSP PM", errFields{Text: "You’re out of extra usage · resets 11:30 PM"}, UsageLimit, ExtraUsage},
		{"extra usage 400 without reset", errFields{Text: `API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"You're out of extra usage. Add more at claude.ai/settings/usage and keep going."}}`}, Fatal, ""},
		{"extra usage without reset", errFields{Text: "You're out of extra usage. Add more at claude.ai/settings/usage", Status: 429}, Fatal, ""},
		{"per-model cap", errFields{Text: "You've reached your Opus limit. Run /usage-credits to continue or switch models with /model.", Error: "rate_limit", Status: 429}, Fatal, ""},
		{"per-model cap, curly, other model", errFields{Text: "You’ve reached your Sonnet 4.5 limit. Run /usage-credits to continue or switch models with /model.", Error: "rate_limit"}, Fatal, ""},
		{"per-model cap, reached wording only", errFields{Text: "You've reached your Opus 4.5 limit.", Status: 429}, Fatal, ""},
		{"session cap advertising usage credits, no reset", errFields{Text: "You've hit your session limit · run /usage-credits to keep going"}, UsageLimit, FiveHour},
		{"reached your weekly limit, no reset", errFields{Text: "You've reached your weekly limit"}, UsageLimit, SevenDay},
		{"org spend cap", errFields{Text: "You've hit your org's monthly spend limit · run /usage-credits to keep going", Error: "rate_limit", Status: 429}, Fatal, ""},
		{"monthly spend cap", errFields{Text: "You've hit your monthly spend limit.", Status: 429}, Fatal, ""},
		{"unnamed cap, bare hour", errFields{Text: "You've hit your limit · resets 4pm (Europe/Paris)", Status: 429}, UsageLimit, UnknownLimit},
		{"curly session cap", errFields{Text: "You’ve hit your session limit · resets 3:20am (Europe/Brussels)"}, UsageLimit, FiveHour},
		{"rate limit with stated wait", errFields{Text: "API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again in 15 minutes.", Status: 429}, RateLimit, ""},

		// turns cut off mid-stream (2.1.199+)
		{"laptop sleep", errFields{Text: "API Error: Your computer went to sleep mid-response. The response above may be incomplete."}, ServerError, ""},
		{"connection lost", errFields{Text: "API Error: Connection lost mid-response. The response above may be incomplete.", Error: "unknown"}, ServerError, ""},
		{"server error mid-response", errFields{Text: "API Error: Server error mid-response. Try again."}, ServerError, ""},
		{"stopped arriving", errFields{Text: "API Error: The response stopped arriving. The response above may be incomplete."}, ServerError, ""},
		{"before a response", errFields{Text: "API Error: The connection dropped before a response was produced. Try again."}, ServerError, ""},
		{"other cut-off cause", errFields{Text: "API Error: Network changed mid-response."}, ServerError, ""},

		// usage caps, structured (2.1.330)
		{"structured five_hour", errFields{Text: "You've hit your 5-hour limit · resets 5:50pm (UTC)", APIError: "usage_limit_reached", Status: 429,
			Info: quotaInfo{Status: "rejected", ResetsAt: 1795369843, Type: "five_hour"}}, UsageLimit, FiveHour},
		{"structured from quotaLimits", errFields{Text: "odd text", Quota: quotaInfo{Status: "rejected", ResetsAt: 1795662645, Type: "seven_day"}}, UsageLimit, SevenDay},
		{"structured opus", errFields{Text: "x", APIError: "usage_limit_reached", Info: quotaInfo{Type: "seven_day_opus"}}, UsageLimit, SevenDayOpus},
		{"structured sonnet", errFields{Text: "x", APIError: "usage_limit_reached", Info: quotaInfo{Type: "seven_day_sonnet"}}, UsageLimit, SevenDaySonnet},
		{"structured overage, text weekly", errFields{Text: "You've hit your weekly limit · resets Nov 25, 10pm", APIError: "usage_limit_reached",
			Info: quotaInfo{Status: "rejected", Type: "seven_day_overage_included"}}, UsageLimit, SevenDay},
		{"structured unknown type", errFields{Text: "x", APIError: "usage_limit_reached", Info: quotaInfo{Type: "thirty_day"}}, UsageLimit, UnknownLimit},

		// overloaded
		{"≤2.1.100 529 JSON", errFields{Text: json529, Error: "unknown"}, Overloaded, ""},
		{"2.1.145 529 (error says server_error)", errFields{Text: new529, Error: "server_error", Status: 529}, Overloaded, ""},
		{"2.1.330 529", errFields{Text: new529, Error: "server_error", Status: 529, Type: "overloaded_error"}, Overloaded, ""},
		{"overloaded_error type only", errFields{Text: "API Error: ?", Type: "overloaded_error"}, Overloaded, ""},

		// server errors
		{"≤2.1.100 500 JSON", errFields{Text: json500}, ServerError, ""},
		{"2.1.145 500", errFields{Text: new500, Error: "server_error", Status: 500}, ServerError, ""},
		{"2.1.330 500", errFields{Text: new500, Error: "server_error", Status: 500, Type: "api_error"}, ServerError, ""},
		{"502 text", errFields{Text: "API Error: 502 Bad Gateway"}, ServerError, ""},
		{"timeout", errFields{Text: "API Error: Request timed out."}, ServerError, ""},
		{"connection", errFields{Text: "API Error: Connection error."}, ServerError, ""},
		{"server_error field only", errFields{Text: "API Error: ?", Error: "server_error"}, ServerError, ""},

		// fatal
		{"credits required", errFields{Text: "Usage credits required to continue · /upgrade", Status: 429}, Fatal, ""},
		{"credit balance", errFields{Text: "Credit balance is too low"}, Fatal, ""},
		{"credit balance JSON 400", errFields{Text: `API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}`}, Fatal, ""},
		{"spend cap without reset", errFields{Text: "You've hit your spend limit for this month"}, Fatal, ""},
		{"usage credits required", errFields{Text: "Usage credits required · run /usage-credits", Status: 429}, Fatal, ""},
		{"paused org", errFields{Text: "API usage has been paused for your organization"}, Fatal, ""},
		{"401", errFields{Text: `API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`}, Fatal, ""},
		{"403 status", errFields{Text: "API Error: 403 Forbidden", Status: 403}, Fatal, ""},
		{"invalid key", errFields{Text: "Invalid API key · Please run /login"}, Fatal, ""},
		{"login", errFields{Text: "OAuth token has expired. Please run /login"}, Fatal, ""},
		{"400 invalid request", errFields{Text: `API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long"}}`}, Fatal, ""},
		{"413", errFields{Text: "API Error: 413 Request too large"}, Fatal, ""},
		{"unrecognised", errFields{Text: "Something odd happened"}, Fatal, ""},
		{"empty", errFields{}, Fatal, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, l := kindOf(c.f)
			if k != c.kind || l != c.limit {
				t.Errorf("kindOf(%q) = %q %q, want %q %q", c.f.Text, k, l, c.kind, c.limit)
			}
			if (l != "") != (k == UsageLimit) {
				t.Errorf("limit %q with kind %q", l, k)
			}
		})
	}
}

// TestResetOf checks the source of a usage cap's reset time: the structured
// resetsAt, then "|<epoch>", then the text.
func TestResetOf(t *testing.T) {
	at := time.Date(2026, 11, 22, 15, 50, 43, 303e6, time.UTC)
	cases := []struct {
		name string
		f    errFields
		want time.Time
	}{
		{"resetsAt wins over the text", errFields{Text: "You've hit your 5-hour limit · resets 5:50pm (UTC)",
			Info: quotaInfo{Status: "rejected", ResetsAt: 1795369843}}, time.Date(2026, 11, 22, 17, 50, 43, 0, time.UTC)},
		{"quotaLimits", errFields{Text: "x", Quota: quotaInfo{Status: "rejected", ResetsAt: 1795662645}}, time.Date(2026, 11, 26, 3, 10, 45, 0, time.UTC)},
		{"pipe epoch", errFields{Text: "Claude AI usage limit reached|1795662692"}, time.Date(2026, 11, 26, 3, 11, 32, 0, time.UTC)},
		{"pipe epoch in ms", errFields{Text: "Claude AI usage limit reached|1795662692000"}, time.Date(2026, 11, 26, 3, 11, 32, 0, time.UTC)},
		{"text", errFields{Text: "You've hit your 5-hour limit · resets 5:50pm (UTC)"}, time.Date(2026, 11, 22, 17, 50, 0, 0, time.UTC)},
		{"none", errFields{Text: "You've hit your limit"}, time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, fromText, _ := resetOf(c.f, UsageLimit, UnknownLimit, at, time.UTC)
			if !got.Equal(c.want) {
				t.Errorf("resetOf = %v, want %v", got, c.want)
			}
			if wantText := c.name == "text"; fromText != wantText {
				t.Errorf("fromText = %v, want %v (only a time read from the message is to the minute)", fromText, wantText)
			}
		})
	}
}

// TestNotes checks that an error needing a human says what to do, and that
// only those (and corrected resets) carry a note.
func TestNotes(t *testing.T) {
	at := time.Date(2026, 11, 22, 15, 50, 43, 0, time.UTC)
	cases := []struct {
		text string
		want []string // substrings of the note; nil: no note
	}{
		{"You've reached your Opus limit. Run /usage-credits to continue or switch models with /model.", []string{"switch models with /model", "usage credits"}},
		{"You've hit your org's monthly spend limit · run /usage-credits …", []string{"spend"}},
		{"You've hit your monthly spend limit.", []string{"spend"}},
		{`API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"You're out of extra usage. Add more at claude.ai"}}`, []string{"extra usage"}},
		{"Credit balance is too low", []string{"credits"}},
		{"OAuth token has expired. Please run /login", []string{"/login"}},
		{"You've hit your session limit · resets 5:52pm (UTC)", nil},
		{"API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited", nil},
	}
	for _, c := range cases {
		e := classify(errFields{Text: c.text, Status: 429}, at, time.UTC)
		if c.want == nil {
			if e.Note != "" {
				t.Errorf("%q: note %q, want none", c.text, e.Note)
			}
			continue
		}
		if e.Kind != Fatal {
			t.Errorf("%q: kind %q, want fatal", c.text, e.Kind)
		}
		for _, w := range c.want {
			if !strings.Contains(e.Note, w) {
				t.Errorf("%q: note %q lacks %q", c.text, e.Note, w)
			}
		}
	}
}

// TestStatedWait: a retryable error that states its wait exposes it as
// ResetsAt (entry time + the wait), so the policy waits for it instead of
// its own backoff; a fatal error never carries a reset.
func TestStatedWait(t *testing.T) {
	at := time.Date(2026, 11, 22, 15, 50, 43, 0, time.UTC)
	cases := []struct {
		f    errFields
		kind Kind
		want time.Time
	}{
		{errFields{Text: "API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again in 15 minutes.", Status: 429}, RateLimit, at.Add(15 * time.Minute)},
		{errFields{Text: `API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Please try again in 1 hour 30 minutes."}}`}, RateLimit, at.Add(90 * time.Minute)},
		{errFields{Text: "API Error: Request rejected (429) · Please try again later.", Status: 429}, RateLimit, time.Time{}},
		{errFields{Text: "You've hit your limit · resets in 3 hours 15 minutes"}, UsageLimit, at.Add(3*time.Hour + 15*time.Minute)},
		{errFields{Text: "You've reached your Opus limit. Try again in 5 hours or switch models with /model."}, UsageLimit, at.Add(5 * time.Hour)},
		{errFields{Text: "You've hit your monthly spend limit. Please try again later."}, Fatal, time.Time{}},
		{errFields{Text: `API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long; try again in 5 minutes"}}`}, Fatal, time.Time{}},
	}
	for _, c := range cases {
		e := classify(c.f, at, time.UTC)
		if e.Kind != c.kind || !e.ResetsAt.Equal(c.want) {
			t.Errorf("classify(%q) = %s, %v; want %s, %v", c.f.Text, e.Kind, e.ResetsAt, c.kind, c.want)
		}
	}
}
