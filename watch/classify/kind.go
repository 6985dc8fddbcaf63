package classify

import (
	"strconv"
	"strings"
	"time"
)

// errFields is what an API-error entry says about its failure: the text
// Claude Code showed and whatever structured fields its release wrote
// (none up to 2.0.0; "error" from 2.0.50; apiErrorStatus from 2.1.145;
// apiErrorType, apiErrorIsTransient and the usage-cap fields in 2.1.330).
type errFields struct {
	Text      string    // message text, at most maxMessage bytes
	Error     string    // "error": rate_limit, server_error, unknown
	APIError  string    // "apiError": usage_limit_reached
	Status    int       // "apiErrorStatus": 429, 500, 529
	Type      string    // "apiErrorType": rate_limit_error, overloaded_error, api_error
	Transient bool      // "apiErrorIsTransient"
	Info      quotaInfo // "apiErrorParams.rate_limit_info"
	Quota     quotaInfo // "quotaLimits"
}

// quotaInfo is a rate_limit_info / quotaLimits object.
type quotaInfo struct {
	Status   string // "rejected" for a hit cap
	ResetsAt int64  // unix seconds
	Type     string // rateLimitType: five_hour, seven_day, seven_day_opus, …
}

// classify builds the APIError of one error entry written at at.
func classify(f errFields, at time.Time, loc *time.Location) *APIError {
	v := judge(f)
	e := &APIError{Message: f.Text, Kind: v.kind, Limit: v.limit, Note: v.note}
	if e.Kind.Retryable() {
		var note string
		e.ResetsAt, e.ResetFromText, note = resetOf(f, e.Kind, e.Limit, at, loc)
		e.Note = joinNotes(e.Note, note)
	}
	return e
}

// verdict is what an error means: its kind, the cap it hit, and in words
// what a human must do when waiting does not cure it.
type verdict struct {
	kind  Kind
	limit Limit
	note  string
}

// The remedies shown for errors that need a human (status --json shows them
// as the reason nothing is scheduled).
const (
	noteModelCap   = "needs a human: this model's cap has no reset; switch models with /model or add usage credits (/usage-credits)"
	noteSpendCap   = "needs a human: a spend cap has no reset; raise the spend limit or add usage credits (/usage-credits)"
	noteExtraUsage = "needs a human: extra usage is used up and no reset is stated; add more extra usage or wait for your plan's reset"
	noteCredits    = "needs a human: out of credits; add credits or usage credits"
	noteOrg        = "needs a human: API usage is paused or disabled for the organization"
	noteAuth       = "needs a human: authentication failed; log in again (/login) or fix the API key"
)

// judge decides what the error means. Structured fields win where they
// are decisive (a rejected quota, 529, 5xx, 401/403); a 429 status or
// "error":"rate_limit" is not (2.1.145 writes both for a server throttle,
// an account rate limit and a usage cap alike), so the text decides among
// those, and the weak fields only serve when no wording is recognised.
// Anything unrecognised is Fatal: ccwake shows it and never types for it.
func judge(f errFields) verdict {
	// Structured usage cap (2.1.330).
	if q := f.quota(); f.APIError == "usage_limit_reached" || q.Status == "rejected" {
		l := limitOfType(q.Type)
		if l == UnknownLimit {
			l = limitOfText(f.Text)
		}
		return verdict{kind: UsageLimit, limit: l}
	}

	t := strings.ToLower(apostrophes.Replace(spaces.Replace(f.Text)))
	status := f.Status
	if status == 0 {
		status = statusOfText(t)
	}
	typ := f.Type
	if typ == "" {
		typ = typeOfText(t)
	}
	_, _, hasReset := parseResetZone(f.Text, time.Unix(0, 0), time.UTC)

	// A plan cap that states its reset ("You're out of extra usage ·
	// resets 11:30pm", "You've hit your limit · resets 4pm") is cured by
	// waiting for it, whatever else it mentions.
	if isUsageText(t) && hasReset && status != 400 && typ != "invalid_request_error" {
		return verdict{kind: UsageLimit, limit: limitOfText(f.Text)}
	}

	// Money and organisation problems: waiting cures none of them, whatever
	// status they came with.
	switch {
	case isModelCap(t):
		return verdict{kind: Fatal, note: noteModelCap}
	case strings.Contains(t, "out of extra usage") || strings.Contains(t, "extra usage") && strings.Contains(t, "add more"):
		return verdict{kind: Fatal, note: noteExtraUsage}
	case containsAny(t, "credit balance", "credits required", "out of credits"):
		return verdict{kind: Fatal, note: noteCredits}
	case containsAny(t, "paused for your organization", "organization has been disabled"):
		return verdict{kind: Fatal, note: noteOrg}
	}

	// ≤ 2.0.0 printed every usage cap as "Claude AI usage limit reached|<epoch>";
	// |0 (reset unknown) is what a server-side throttle looked like there.
	if strings.HasPrefix(t, "claude ai usage limit reached") {
		if n, ok := pipeEpoch(t); ok && n == 0 {
			return verdict{kind: Throttle}
		}
		return verdict{kind: UsageLimit, limit: UnknownLimit}
	}

	// Server-side throttles ("Rate limited", "not your usage limit"), checked
	// before usage caps because their wording mentions "usage limit".
	if containsAny(t, "not your usage limit", "temporarily limiting requests", "rate limit reached") ||
		strings.HasSuffix(strings.TrimSpace(t), "rate limited") ||
		(f.Transient && (status == 0 || status == 429)) {
		return verdict{kind: Throttle}
	}

	// Turns cut off mid-stream (2.1.199+): laptop sleep, a dropped
	// connection, a server error while streaming. Nothing is wrong with the
	// account: "continue" after a short backoff picks the turn up again.
	if isCutOff(t) {
		return verdict{kind: ServerError}
	}

	// Usage caps by wording: "Session limit reached ∙ resets …" (≤ 2.0.50),
	// "You've hit your weekly limit · resets …" (2.1.x).
	if isUsageText(t) {
		if strings.Contains(firstClause(t), "spend") {
			return verdict{kind: Fatal, note: noteSpendCap} // a spend cap without a reset is not cured by waiting
		}
		return verdict{kind: UsageLimit, limit: limitOfText(f.Text)}
	}

	// Authentication and permission.
	if status == 401 || status == 403 || typ == "authentication_error" || typ == "permission_error" ||
		containsAny(t, "invalid api key", "/login", "oauth token", "authentication", "unauthorized", "forbidden") {
		return verdict{kind: Fatal, note: noteAuth}
	}

	switch {
	case status == 529 || typ == "overloaded_error":
		return verdict{kind: Overloaded}
	case status >= 500 && status <= 599 || status == 408 || typ == "api_error":
		return verdict{kind: ServerError}
	case status >= 400 && status <= 499 && status != 429:
		return verdict{kind: Fatal} // invalid request, not found, too large: retrying repeats it
	case typ == "invalid_request_error" || typ == "not_found_error" || typ == "request_too_large":
		return verdict{kind: Fatal}
	case strings.Contains(t, "overloaded"):
		return verdict{kind: Overloaded}
	case containsAny(t, "internal server error", "request timed out", "timed out", "timeout",
		"connection error", "econnreset", "econnrefused", "socket hang up", "fetch failed",
		"service unavailable", "bad gateway", "gateway timeout"):
		return verdict{kind: ServerError}
	case status == 429 || typ == "rate_limit_error" || strings.Contains(t, "rate limit") || f.Error == "rate_limit":
		return verdict{kind: RateLimit}
	case f.Error == "server_error":
		return verdict{kind: ServerError}
	}
	return verdict{kind: Fatal}
}

// isModelCap recognises the per-model cap that waiting does not lift
// ("You've reached your Opus limit. Run /usage-credits to continue or
// switch models with /model."): it offers switching models, or says
// "reached your <X> limit" where X names neither a window nor the plan's
// usage as a whole (lower-cased text; a stated reset was ruled out before).
// The desktop and IDE clients' "You've reached your usage limit. Try again
// after your limit resets." and its kin ("reached your limit", "your
// plan's usage limit", "your Claude Pro usage limit") name no model: they
// are the plan's cap without a reset, probed like any undated cap.
func isModelCap(t string) bool {
	if strings.Contains(t, "switch models") || strings.Contains(t, "switch to another model") {
		return true
	}
	c := firstClause(t)
	subject, ok := capSubject(c)
	return ok && !strings.Contains(c, "spend") && !genericCap(subject) &&
		!containsAny(c, "session", "weekly", "week", "5-hour", "5 hour", "five-hour", "7-day", "rate limit")
}

// capSubject is what "reached your <X> limit" names ("opus 4.5", "usage",
// "" for "reached your limit"); false when the clause has no such phrase.
func capSubject(c string) (string, bool) {
	_, rest, ok := strings.Cut(c, "reached your ")
	if !ok {
		return "", false
	}
	subject, _, ok := strings.Cut(" "+rest, " limit")
	return strings.TrimSpace(subject), ok
}

// genericWords are the words a cap's subject may hold while still naming
// the plan's usage as a whole rather than one model.
var genericWords = map[string]bool{
	"usage": true, "plan": true, "plan's": true, "subscription": true, "subscription's": true,
	"account": true, "account's": true, "current": true, "daily": true, "message": true, "messages": true,
	"claude": true, "claude's": true, "ai": true, "claude.ai": true, "pro": true, "max": true,
	"team": true, "enterprise": true, "free": true, "the": true, "your": true,
}

// genericCap reports whether a cap's subject names the plan's usage as a
// whole: empty, or only generic words. A model's name ("opus", "sonnet
// 4.5", "fast mode") is not generic.
func genericCap(subject string) bool {
	for _, w := range strings.Fields(subject) {
		if !genericWords[strings.Trim(w, ".,:;!\"'()")] {
			return false
		}
	}
	return true
}

// apostrophes maps the typographic apostrophe to the ASCII one ("You’ve").
var apostrophes = strings.NewReplacer("’", "'", "ʼ", "'")

// isCutOff recognises a turn the client cut off mid-stream, by the shape of
// its wording rather than one string: "went to sleep mid-response",
// "Connection lost mid-response", "The response stopped arriving", "… before
// a response was produced. Try again." (lower-cased text).
func isCutOff(t string) bool {
	return containsAny(t, "mid-response", "mid response", "midresponse", "stopped arriving",
		"before a response was produced", "response above may be incomplete", "response was cut off",
		"response was interrupted", "went to sleep")
}

// quota returns rate_limit_info, or quotaLimits when that is empty.
func (f errFields) quota() quotaInfo {
	if f.Info != (quotaInfo{}) {
		return f.Info
	}
	return f.Quota
}

// resetOf finds when waiting for an error ends: for a usage cap the
// structured resetsAt, the "|<epoch>" of ≤ 2.0.0, else the time in the
// text; for other kinds only a wait the text states ("try again in 15
// minutes"). fromText reports the text case: such a time is shown to the
// minute, rounded down. note explains a reset that was corrected because it
// lay beyond what the cap's window allows.
func resetOf(f errFields, k Kind, l Limit, at time.Time, loc *time.Location) (reset time.Time, fromText bool, note string) {
	if k == UsageLimit {
		if q := f.quota(); q.ResetsAt > 0 {
			return unixTime(q.ResetsAt), false, ""
		}
		if n, ok := pipeEpoch(f.Text); ok {
			if n > 0 {
				return unixTime(n), false, ""
			}
			return time.Time{}, false, ""
		}
	}
	t, zoned, ok := parseResetZone(f.Text, at, loc)
	if !ok {
		return time.Time{}, false, ""
	}
	t, note = bound(t, zoned, f.Text, l, at, loc)
	return t, true, note
}

// unixTime reads unix seconds, or milliseconds for values too large to be
// seconds.
func unixTime(n int64) time.Time {
	if n > 1e11 {
		return time.UnixMilli(n).UTC()
	}
	return time.Unix(n, 0).UTC()
}

// pipeEpoch reads the number after the last "|" ("…reached|1795662692").
func pipeEpoch(t string) (int64, bool) {
	i := strings.LastIndexByte(t, '|')
	if i < 0 {
		return 0, false
	}
	digits := t[i+1:]
	if j := strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }); j >= 0 {
		digits = digits[:j]
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// isUsageText recognises the usage-cap wordings (lower-cased text).
func isUsageText(t string) bool {
	c := firstClause(t)
	if strings.Contains(c, "rate limit") {
		return false
	}
	return (strings.Contains(c, "hit your") || strings.Contains(c, "reached your")) && strings.Contains(c, "limit") ||
		strings.Contains(c, "limit reached") ||
		strings.Contains(c, "out of") && strings.Contains(c, "usage")
}

// limitOfType maps rateLimitType to a Limit.
func limitOfType(s string) Limit {
	switch s {
	case "five_hour":
		return FiveHour
	case "seven_day":
		return SevenDay
	case "seven_day_opus":
		return SevenDayOpus
	case "seven_day_sonnet":
		return SevenDaySonnet
	}
	// seven_day_overage_included and anything newer: the kind is still a
	// usage cap with a reset, but we cannot name the limit honestly.
	return UnknownLimit
}

// limitOfText names the cap from the wording's first clause ("Opus weekly
// limit reached", "You've hit your session limit"). The later clauses are
// left out because they may advertise other plans or models.
func limitOfText(text string) Limit {
	c := firstClause(strings.ToLower(text))
	switch {
	case strings.Contains(c, "opus"):
		return SevenDayOpus
	case strings.Contains(c, "sonnet"):
		return SevenDaySonnet
	case containsAny(c, "weekly", "week", "7-day", "seven-day", "seven day"):
		return SevenDay
	case containsAny(c, "session", "5-hour", "5 hour", "five-hour", "five hour"):
		return FiveHour
	case strings.Contains(c, "extra usage"):
		return ExtraUsage
	case strings.Contains(c, "spend"):
		return Spend
	}
	return UnknownLimit
}

// firstClause returns text up to its first separator (U+00B7, U+2219, "|").
func firstClause(t string) string {
	if i := strings.IndexAny(t, "·∙|"); i >= 0 {
		return t[:i]
	}
	return t
}

// statusOfText finds an HTTP status in "API Error: 429 {…}" or
// "Request rejected (429)" (lower-cased text).
func statusOfText(t string) int {
	if i := strings.Index(t, "api error: "); i >= 0 {
		if n := leadingStatus(t[i+len("api error: "):]); n > 0 {
			return n
		}
	}
	if i := strings.Index(t, "("); i >= 0 && i+5 <= len(t) && t[i+4] == ')' {
		return leadingStatus(t[i+1 : i+4])
	}
	return 0
}

// leadingStatus reads a three-digit status at the start of s.
func leadingStatus(s string) int {
	if len(s) < 3 {
		return 0
	}
	if len(s) > 3 && s[3] >= '0' && s[3] <= '9' {
		return 0
	}
	n, err := strconv.Atoi(s[:3])
	if err != nil || n < 100 || n > 599 {
		return 0
	}
	return n
}

// typeOfText finds the API error type in a JSON dump such as
// `API Error: 529 {"type":"error","error":{"type":"overloaded_error",…}}`.
func typeOfText(t string) string {
	for _, typ := range []string{"overloaded_error", "rate_limit_error", "api_error",
		"authentication_error", "permission_error", "invalid_request_error",
		"not_found_error", "request_too_large"} {
		if strings.Contains(t, `"`+typ+`"`) {
			return typ
		}
	}
	return ""
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
