package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sideCallMaxTokens: requests asking for at most this many tokens are the
// client's side calls (titles, topic detection, quota probes), never the turn
// the user is waiting for; the mock answers them normally whatever the script.
const sideCallMaxTokens = 512

// mockReply is the text of every successful answer; the test waits for it in
// the transcript after ccwake typed continue.
const mockReply = "hello from mock"

// failure is what the mock answers a main request with while it is failing.
type failure int

const (
	// failThrottle is a transient server throttle: 429 rate_limit_error
	// "Rate limited" without the unified quota headers. Subscription clients
	// 2.1.145+ call it "Server is temporarily limiting requests".
	failThrottle failure = iota
	// failUsageCap is a plan usage cap: 429 with
	// anthropic-ratelimit-unified-status: rejected and a reset time; the
	// mock keeps answering it until that time has passed, as a real server does.
	failUsageCap
)

func (f failure) String() string {
	switch f {
	case failThrottle:
		return "throttle"
	case failUsageCap:
		return "usagecap"
	}
	return "failure(" + strconv.Itoa(int(f)) + ")"
}

// mockScript decides what the mock answers main requests with.
type mockScript struct {
	fail failure
	// failFirst is how many main requests fail (for failThrottle).
	failFirst int
	// resetAt is when a usage cap lifts (for failUsageCap): main requests
	// before it fail, later ones succeed.
	resetAt time.Time
	// claim is anthropic-ratelimit-unified-representative-claim (five_hour,
	// seven_day, seven_day_opus).
	claim string
}

// mockRequest is what the mock recorded about one Messages API call.
type mockRequest struct {
	At        time.Time
	Main      bool
	Stream    bool
	MaxTokens int
	Model     string
	LastUser  string // text of the last user message, trimmed
	Status    int    // what the mock answered
}

// mockAPI is a loopback stand-in for the Anthropic Messages API that the real
// Claude Code client talks to through ANTHROPIC_BASE_URL.
type mockAPI struct {
	URL    string
	srv    *http.Server
	ln     net.Listener
	now    func() time.Time
	log    *slog.Logger
	script mockScript

	mu sync.Mutex
	// streamSeen counts streaming main requests; lastMainFailed remembers
	// whether the previous main request failed, because ≤ 2.0.x clients
	// retry a failed streaming request once without streaming and only
	// write the error when that retry fails too.
	streamSeen     int
	lastMainFailed bool
	requests       []mockRequest
	unknown        []string
}

// startMockAPI listens on 127.0.0.1:0 and serves until close is called.
func startMockAPI(script mockScript, now func() time.Time, log *slog.Logger) (*mockAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("mock api listen: %w", err)
	}
	m := &mockAPI{URL: "http://" + ln.Addr().String(), ln: ln, now: now, log: log, script: script}
	m.srv = &http.Server{Handler: m, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := m.srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			log.Error("mock api serve", "err", err)
		}
	}()
	return m, nil
}

func (m *mockAPI) close() { _ = m.srv.Close() }

// Requests returns a copy of every Messages API call so far.
func (m *mockAPI) Requests() []mockRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]mockRequest(nil), m.requests...)
}

// Unknown returns "METHOD path" of requests to endpoints the mock does not model.
func (m *mockAPI) Unknown() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.unknown...)
}

// Summary is a one-line-per-request account for failure messages.
func (m *mockAPI) Summary() string {
	var b strings.Builder
	for _, r := range m.Requests() {
		fmt.Fprintf(&b, "%s main=%v stream=%v max_tokens=%d model=%s status=%d last_user=%q\n",
			r.At.Format("15:04:05.000"), r.Main, r.Stream, r.MaxTokens, r.Model, r.Status, r.LastUser)
	}
	for _, u := range m.Unknown() {
		fmt.Fprintf(&b, "unknown endpoint: %s\n", u)
	}
	return b.String()
}

func (m *mockAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case r.Method == http.MethodPost && path == "/v1/messages":
		m.messages(w, r)
	case r.Method == http.MethodPost && path == "/v1/messages/count_tokens":
		_, _ = io.Copy(io.Discard, r.Body)
		writeJSON(w, http.StatusOK, map[string]any{"input_tokens": 42})
	default:
		// Health checks, profile/settings fetches and telemetry: answer
		// harmlessly and remember the path, so a new client version's extra
		// traffic is visible in the failure summary.
		_, _ = io.Copy(io.Discard, r.Body)
		m.mu.Lock()
		m.unknown = append(m.unknown, r.Method+" "+path)
		m.mu.Unlock()
		m.log.Debug("mock api: unknown endpoint", "method", r.Method, "path", path)
		if r.Method == http.MethodHead || r.Method == http.MethodGet && path == "/" {
			w.WriteHeader(http.StatusOK)
			return
		}
		writeJSON(w, http.StatusNotFound, apiError("not_found_error", "Not found"))
	}
}

// messagesRequest is the part of a Messages API request body the mock reads.
type messagesRequest struct {
	Model     string `json:"model"`
	MaxTokens int    `json:"max_tokens"`
	Stream    bool   `json:"stream"`
	Messages  []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
}

func (m *mockAPI) messages(w http.ResponseWriter, r *http.Request) {
	var req messagesRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "bad json: "+err.Error()))
		return
	}
	rec := mockRequest{
		At:        m.now(),
		Main:      req.MaxTokens > sideCallMaxTokens,
		Stream:    req.Stream,
		MaxTokens: req.MaxTokens,
		Model:     req.Model,
		LastUser:  lastUserText(req),
		Status:    http.StatusOK,
	}
	m.mu.Lock()
	failing := false
	if rec.Main {
		if rec.Stream {
			m.streamSeen++
		}
		failing = m.failing(rec.Stream, rec.At)
		m.lastMainFailed = failing
	}
	if failing {
		rec.Status = http.StatusTooManyRequests
	}
	m.requests = append(m.requests, rec)
	m.mu.Unlock()
	m.log.Debug("mock api: messages", "main", rec.Main, "stream", rec.Stream, "max_tokens", rec.MaxTokens,
		"status", rec.Status, "last_user", rec.LastUser)

	if failing {
		m.writeFailure(w, rec.At)
		return
	}
	model := req.Model
	if model == "" {
		model = "claude-sonnet-4-5"
	}
	if req.Stream {
		writeStream(w, model, mockReply)
		return
	}
	writeJSON(w, http.StatusOK, messageBody(model, mockReply))
}

// failing reports whether a main request at time at fails; m.mu is held.
func (m *mockAPI) failing(stream bool, at time.Time) bool {
	switch m.script.fail {
	case failUsageCap:
		return at.Before(m.script.resetAt)
	default:
		if !stream {
			return m.lastMainFailed
		}
		return m.streamSeen <= m.script.failFirst
	}
}

// writeFailure answers with the scripted 429 and the headers real servers send.
func (m *mockAPI) writeFailure(w http.ResponseWriter, now time.Time) {
	h := w.Header()
	h.Set("request-id", "req_mockerr_1")
	h.Set("x-should-retry", "true")
	switch m.script.fail {
	case failUsageCap:
		reset := strconv.FormatInt(m.script.resetAt.Unix(), 10)
		claim := m.script.claim
		if claim == "" {
			claim = "five_hour"
		}
		h.Set("anthropic-ratelimit-unified-status", "rejected")
		h.Set("anthropic-ratelimit-unified-reset", reset)
		h.Set("anthropic-ratelimit-unified-representative-claim", claim)
		h.Set("anthropic-ratelimit-unified-"+claimAbbrev(claim)+"-status", "rejected")
		h.Set("anthropic-ratelimit-unified-"+claimAbbrev(claim)+"-reset", reset)
		h.Set("anthropic-ratelimit-unified-fallback", "unavailable")
		h.Set("retry-after", strconv.Itoa(max(1, int(m.script.resetAt.Sub(now).Seconds()))))
		writeJSON(w, http.StatusTooManyRequests, apiError("rate_limit_error", "Rate limited"))
	default:
		h.Set("retry-after", "1")
		writeJSON(w, http.StatusTooManyRequests, apiError("rate_limit_error", "Rate limited"))
	}
}

// claimAbbrev maps a representative claim to the abbreviation of its
// per-window headers (anthropic-ratelimit-unified-5h-status, …-7d-…).
func claimAbbrev(claim string) string {
	switch claim {
	case "five_hour":
		return "5h"
	case "seven_day":
		return "7d"
	case "seven_day_opus":
		return "7d_opus"
	}
	return claim
}

// apiErrorBody is the Messages API error body, fields in the order real
// servers send them (2.0.x prints the body verbatim into the transcript).
type apiErrorBody struct {
	Type  string `json:"type"`
	Error struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
	RequestID string `json:"request_id"`
}

func apiError(typ, msg string) apiErrorBody {
	b := apiErrorBody{Type: "error", RequestID: "req_mockerr_1"}
	b.Error.Type, b.Error.Message = typ, msg
	return b
}

func messageBody(model, text string) map[string]any {
	return map[string]any{
		"id": "msg_mock_1", "type": "message", "role": "assistant", "model": model,
		"content":       []map[string]any{{"type": "text", "text": text}},
		"stop_reason":   "end_turn",
		"stop_sequence": nil,
		"usage":         map[string]any{"input_tokens": 10, "output_tokens": 5},
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeStream answers in the Messages API's server-sent-events format.
func writeStream(w http.ResponseWriter, model, text string) {
	w.Header().Set("content-type", "text/event-stream")
	w.Header().Set("cache-control", "no-cache")
	w.Header().Set("request-id", "req_mock_1")
	w.WriteHeader(http.StatusOK)
	start := messageBody(model, "")
	start["content"] = []any{}
	start["stop_reason"] = nil
	start["usage"] = map[string]any{"input_tokens": 10, "output_tokens": 1}
	events := []struct {
		name string
		data any
	}{
		{"message_start", map[string]any{"type": "message_start", "message": start}},
		{"content_block_start", map[string]any{"type": "content_block_start", "index": 0,
			"content_block": map[string]any{"type": "text", "text": ""}}},
		{"ping", map[string]any{"type": "ping"}},
		{"content_block_delta", map[string]any{"type": "content_block_delta", "index": 0,
			"delta": map[string]any{"type": "text_delta", "text": text}}},
		{"content_block_stop", map[string]any{"type": "content_block_stop", "index": 0}},
		{"message_delta", map[string]any{"type": "message_delta",
			"delta": map[string]any{"stop_reason": "end_turn", "stop_sequence": nil},
			"usage": map[string]any{"output_tokens": 5}}},
		{"message_stop", map[string]any{"type": "message_stop"}},
	}
	flusher, _ := w.(http.Flusher)
	for _, e := range events {
		data, _ := json.Marshal(e.data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, data)
		if flusher != nil {
			flusher.Flush()
		}
	}
}

// lastUserText returns the text of the last user message, shortened, so
// request logs show which turn a request belongs to.
func lastUserText(req messagesRequest) string {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		msg := req.Messages[i]
		if msg.Role != "user" {
			continue
		}
		var s string
		if json.Unmarshal(msg.Content, &s) == nil {
			return shorten(s)
		}
		var blocks []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		if json.Unmarshal(msg.Content, &blocks) == nil {
			var texts []string
			for _, b := range blocks {
				if b.Type == "text" && !strings.HasPrefix(b.Text, "<system-reminder>") {
					texts = append(texts, b.Text)
				}
			}
			return shorten(strings.Join(texts, " "))
		}
	}
	return ""
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
