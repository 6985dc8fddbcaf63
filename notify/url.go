package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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
			return err
		}
		body = b
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("notify-url: %w", err)
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
		return fmt.Errorf("notify-url: %s answered %s: %s", req.URL.Host, resp.Status, strings.TrimSpace(string(snippet)))
	}
	return nil
}
