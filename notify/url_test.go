package notify

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// post is one request the test server received.
type post struct {
	method, path, ctype, body string
}

// receiver is a real HTTP server on 127.0.0.1 that records every request
// and answers with status.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	posts  []post
	status int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{status: http.StatusOK}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.posts = append(r.posts, post{req.Method, req.URL.Path, req.Header.Get("Content-Type"), string(b)})
		status := r.status
		r.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, "topic says no")
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got() []post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]post(nil), r.posts...)
}

// clientTo is an HTTP client that dials addr whatever host the URL names,
// so an "ntfy" host name reaches the local server over real HTTP.
func clientTo(addr string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
}

func TestURLPostsJSONAndText(t *testing.T) {
	r := newReceiver(t)
	ev := sampleEvent()
	addr := strings.TrimPrefix(r.URL, "http://")
	for _, tc := range []struct {
		name, url, format string
		wantType          string
	}{
		{"json by default", r.URL + "/hook", "", "application/json"},
		{"text asked for", r.URL + "/hook", FormatText, "text/plain; charset=utf-8"},
		{"text for an ntfy host", "http://ntfy.example.test/ccwake-topic", FormatAuto, "text/plain; charset=utf-8"},
		{"json asked for on an ntfy host", "http://ntfy.example.test/ccwake-topic", FormatJSON, "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := NewURL(tc.url, tc.format, clientTo(addr))
			if err != nil {
				t.Fatal(err)
			}
			before := len(r.got())
			if err := u.Send(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			posts := r.got()[before:]
			if len(posts) != 1 {
				t.Fatalf("%d posts", len(posts))
			}
			p := posts[0]
			if p.method != http.MethodPost || p.ctype != tc.wantType {
				t.Fatalf("got %s with %q", p.method, p.ctype)
			}
			if tc.wantType == "application/json" {
				var got Event
				if err := json.Unmarshal([]byte(p.body), &got); err != nil {
					t.Fatalf("body is not JSON: %v", err)
				}
				got.key = ev.key
				if got != ev {
					t.Fatalf("JSON round trip:\n got %+v\nwant %+v", got, ev)
				}
				return
			}
			if p.body != ev.Title+"\n"+ev.Message {
				t.Fatalf("text body %q", p.body)
			}
		})
	}
}

func TestURLErrors(t *testing.T) {
	r := newReceiver(t)
	r.status = http.StatusForbidden
	u, err := NewURL(r.URL+"/secret-topic", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	err = u.Send(context.Background(), sampleEvent())
	if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "topic says no") {
		t.Fatalf("want the status and body in the error, got %v", err)
	}
	if strings.Contains(err.Error(), "secret-topic") {
		t.Errorf("the error repeats the URL path, which may be a secret: %v", err)
	}
	r.Close()
	if err := u.Send(context.Background(), sampleEvent()); err == nil || strings.Contains(err.Error(), "secret-topic") {
		t.Fatalf("closed server: want an error without the path, got %v", err)
	}

	for _, bad := range []struct{ url, format string }{
		{"ftp://example.com/x", ""}, {"not a url", ""}, {"http://", ""}, {"https://ntfy.sh/x", "xml"},
	} {
		if _, err := NewURL(bad.url, bad.format, nil); err == nil {
			t.Errorf("NewURL(%q, %q): want an error", bad.url, bad.format)
		}
	}
}
