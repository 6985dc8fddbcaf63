package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Body formats for URL.
const (
	FormatAuto = "auto" // text for ntfy-style URLs (host contains "ntfy"), else JSON
	FormatJSON = "json" // the event's JSON, Content-Type application/json
	FormatText = "text" // title, newline, message; Content-Type text/plain
)

// URL POSTs each event to an HTTP endpoint (--notify-url).
type URL struct {
	URL    string
	Format string       // FormatAuto ("" too), FormatJSON or FormatText
	Client *http.Client // nil: http.DefaultClient (the Notifier's timeout applies)
}

// NewURL checks the URL and the format up front, so a typo fails at start,
// not at the first stall.
func NewURL(raw, format string, client *http.Client) (URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return URL{}, fmt.Errorf("notify-url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return URL{}, fmt.Errorf("notify-url %q: want an http:// or https:// URL", raw)
	}
	switch format {
	case "", FormatAuto:
		format = FormatJSON
		if strings.Contains(strings.ToLower(u.Hostname()), "ntfy") {
			format = FormatText
		}
	case FormatJSON, FormatText:
	default:
		return URL{}, fmt.Errorf("notify-format %q: want auto, json or text", format)
	}
	return URL{URL: raw, Format: format, Client: client}, nil
}

// Name implements Sink.
func (u URL) Name() string { return "url" }

// Send implements Sink.
func (u URL) Send(ctx context.Context, ev Event) error {
	var body []byte
	ctype := "application/json"
	if u.Format == FormatText {
		body, ctype = []byte(ev.Text()), "text/plain; charset=utf-8"
	} else {
		b, err := ev.JSON()
		if err != nil {
			return Permanent(err)
		}
		body = b
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.URL, bytes.NewReader(body))
	if err != nil {
		return Permanent(fmt.Errorf("notify-url: %w", err))
	}
	req.Header.Set("Content-Type", ctype)
	client := u.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text repeats the URL, whose path may be a secret (webhooks, ntfy topics)
		}
		return fmt.Errorf("notify-url: POST to %s: %w", req.URL.Host, err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := &StatusError{Code: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
		return fmt.Errorf("notify-url: %s answered %s: %s: %w", req.URL.Host, resp.Status, strings.TrimSpace(string(snippet)), err)
	}
	return nil
}

// StatusError is an HTTP answer other than 2xx. A server error, 408 and
// 429 are worth trying again (Retryable); any other 4xx says the request
// itself is wrong (a bad token, a deleted topic) and will be answered the
// same way every time.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // the server's Retry-After in seconds; 0: none
}

func (e *StatusError) Error() string { return "HTTP " + strconv.Itoa(e.Code) }

// Temporary reports whether trying again later may succeed.
func (e *StatusError) Temporary() bool {
	return e.Code >= 500 || e.Code == http.StatusRequestTimeout || e.Code == http.StatusTooManyRequests
}

// retryAfter reads a Retry-After of delay-seconds; the HTTP-date form and
// garbage count as none.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return time.Duration(min(n, 24*3600)) * time.Second
}
