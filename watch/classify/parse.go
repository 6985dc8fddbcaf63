package classify

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/ccwake/ccwake/internal/jsondepth"
)

// ErrNotJSON is returned for a line that is not a JSON object.
var ErrNotJSON = errors.New("classify: line is not a JSON object")

const (
	// maxText bounds Entry.Text: enough to recognise a typed "continue".
	maxText = 256
	// maxMessage bounds APIError.Message. Error texts are short (the
	// longest seen is ~200 bytes); the bound keeps a hostile line from
	// making us hold megabytes.
	maxMessage = 2048
	// maxField bounds ids, cwd and other short string fields.
	maxField = 4096
)

// Parse reads one transcript line (without its newline). Times in error texts
// that carry no zone are read in loc (the zone of the machine that ran Claude
// Code; time.Local in production; nil means UTC).
//
// A line that is not one complete JSON object (invalid, truncated mid-write,
// an array, a number) yields an error wrapping ErrNotJSON and a zero Entry.
// Parse never unmarshals the line: it validates it, walks its top-level
// members once and decodes only the fields ccwake needs, copying at most a
// few KiB however long the line is.
//
// A line nested deeper than jsondepth.Max is rejected (ErrNotJSON, and
// jsondepth.ErrTooDeep) before gjson, whose validation recurses once per
// level, sees it: millions of "[" would otherwise overflow the stack, a
// fatal error no recover catches.
func Parse(line []byte, loc *time.Location) (Entry, error) {
	if loc == nil {
		loc = time.UTC
	}
	if err := jsondepth.Check(line, jsondepth.Max); err != nil {
		return Entry{}, fmt.Errorf("parse %d-byte line starting %q: %w: %w", len(line), line[:min(len(line), 40)], err, ErrNotJSON)
	}
	if !gjson.ValidBytes(line) {
		return Entry{}, notJSON(line)
	}
	// A read-only view of line: every string kept in the Entry is copied
	// (stringPrefix, strings.Clone, gjson on small raws), so nothing
	// returned aliases the caller's buffer.
	s := unsafe.String(unsafe.SliceData(line), len(line))
	if i := skipWS(s, 0); i >= len(s) || s[i] != '{' {
		return Entry{}, notJSON(line)
	}

	var (
		e      Entry
		f      errFields
		isErr  bool
		tsRaw  string
		msgRaw string
	)
	eachMember(s, func(key, raw string) bool {
		switch key {
		case "type":
			e.Type = str(raw, maxField)
		case "isSidechain":
			e.Sidechain = raw == "true"
		case "uuid":
			e.UUID = str(raw, maxField)
		case "parentUuid":
			e.ParentUUID = str(raw, maxField)
		case "sessionId":
			e.SessionID = str(raw, maxField)
		case "cwd":
			e.Cwd = str(raw, maxField)
		case "timestamp":
			tsRaw = raw
		case "message":
			msgRaw = raw
		case "isApiErrorMessage":
			isErr = raw == "true"
		case "error":
			// A string in the error era's "error" field ("rate_limit");
			// some entries hold an object here, which says nothing.
			f.Error = str(raw, maxField)
		case "apiError":
			f.APIError = str(raw, maxField)
		case "apiErrorStatus":
			f.Status = int(gjson.Parse(small(raw)).Int())
		case "apiErrorType":
			f.Type = str(raw, maxField)
		case "apiErrorIsTransient":
			f.Transient = raw == "true"
		case "apiErrorParams":
			f.Info = quota(member(raw, "rate_limit_info"))
		case "quotaLimits":
			f.Quota = quota(raw)
		}
		return true
	})

	switch e.Type {
	case "user":
		e.Role = User
	case "assistant":
		e.Role = Assistant
	}
	if tsRaw != "" {
		if t, err := time.Parse(time.RFC3339Nano, str(tsRaw, 64)); err == nil {
			e.Time = t
		}
	}
	switch {
	case e.Role == User:
		content := member(msgRaw, "content")
		e.Text = stringPrefix(firstText(content), maxText)
		if text := agentErrorText(content); text != "" {
			e.AgentErr = classify(errFields{Text: text}, e.Time, loc)
		}
	case e.Role == Assistant && isErr:
		f.Text = stringPrefix(firstText(member(msgRaw, "content")), maxMessage)
		e.Err = classify(f, e.Time, loc)
	}
	return e, nil
}

// notJSON wraps ErrNotJSON with the line's length and its first bytes, never
// formatting (or copying) the whole line.
func notJSON(line []byte) error {
	return fmt.Errorf("parse %d-byte line starting %q: %w", len(line), line[:min(len(line), 40)], ErrNotJSON)
}

// str decodes a raw JSON string value (at most max bytes); non-strings give "".
func str(raw string, max int) string {
	if len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	if len(raw) <= max+2 && !strings.Contains(raw, `\`) {
		return strings.Clone(raw[1 : len(raw)-1])
	}
	return stringPrefix(raw, max)
}

// small returns raw if it is short enough to hand to gjson for decoding a
// scalar, else "" (a number or boolean never needs more).
func small(raw string) string {
	if len(raw) > 64 {
		return ""
	}
	return raw
}

// quota reads a rate_limit_info / quotaLimits object.
func quota(raw string) quotaInfo {
	if len(raw) == 0 || raw[0] != '{' || len(raw) > 1<<16 {
		return quotaInfo{}
	}
	r := gjson.GetMany(raw, "status", "resetsAt", "rateLimitType")
	q := quotaInfo{
		Status: strings.Clone(r[0].String()),
		Type:   strings.Clone(r[2].String()),
	}
	if r[1].Type == gjson.Number {
		q.ResetsAt = r[1].Int()
	}
	return q
}
