package notify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch/classify"
)

// flaky is a real HTTP server on 127.0.0.1 that answers the first fails
// requests with status (and Retry-After, when set), the rest with 200.
type flaky struct {
	*httptest.Server
	hits atomic.Int32
}

func newFlaky(t *testing.T, fails int, status int, retryAfter string) *flaky {
	f := &flaky{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body)
		if int(f.hits.Add(1)) <= fails {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(status)
			io.WriteString(w, "restarting")
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// logBuf is a log a test reads while the code under test writes it.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// warnings are the log's lines at WARN or above.
func (l *logBuf) warnings() []string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
			out = append(out, line)
		}
	}
	return out
}

func (l *logBuf) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// counting counts the attempts that reach a sink.
type counting struct {
	Sink
	n atomic.Int32
}

func (c *counting) Send(ctx context.Context, ev Event) error {
	c.n.Add(1)
	return c.Sink.Send(ctx, ev)
}

// attemptTimeout is the tests' attempt timeout: longer than any backoff,
// so a timer at now+backoff is the retry's and nothing else.
const attemptTimeout = time.Hour

// TestRetryRecoversFromFailures: a server that fails a few times (5xx,
// 429 with Retry-After, a restart) gets the event at the next attempt
// after the backoff, waits doubling from 5 s; once delivered nothing is
// sent again and nothing is logged as a failure.
func TestRetryRecoversFromFailures(t *testing.T) {
	for _, tc := range []struct {
		name       string
		fails      int
		status     int
		retryAfter string
		waits      []time.Duration
	}{
		{"503 three times", 3, http.StatusServiceUnavailable, "", []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second}},
		{"500 once", 1, http.StatusInternalServerError, "", []time.Duration{5 * time.Second}},
		{"429 with Retry-After 30", 1, http.StatusTooManyRequests, "30", []time.Duration{30 * time.Second}},
		{"502 with Retry-After of a day is capped", 1, http.StatusBadGateway, "86400", []time.Duration{MaxRetryAfter}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFlaky(t, tc.fails, tc.status, tc.retryAfter)
			u, err := NewURL(srv.URL+"/hook", FormatJSON, nil)
			if err != nil {
				t.Fatal(err)
			}
			clock := newFakeClock(t0)
			var logs logBuf
			r := NewRetrying(u, RetryConfig{Clock: clock, Logger: logs.logger(), Timeout: attemptTimeout})
			defer r.Close()
			if err := r.Send(context.Background(), sampleEvent()); err != nil {
				t.Fatal(err)
			}
			for i, wait := range tc.waits {
				waitFor(t, fmt.Sprintf("attempt %d and a retry in %s", i+1, wait), func() bool {
					return int(srv.hits.Load()) == i+1 && clock.TimerIn(wait)
				})
				clock.Advance(wait)
			}
			waitFor(t, "the delivery", func() bool { return int(srv.hits.Load()) == tc.fails+1 && len(clock.Pending()) == 0 })
			clock.Advance(time.Hour)
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			if got := srv.hits.Load(); int(got) != tc.fails+1 {
				t.Fatalf("%d requests, want %d", got, tc.fails+1)
			}
			if w := logs.warnings(); len(w) != 0 {
				t.Fatalf("a delivery that succeeded logged failures: %q", w)
			}
		})
	}
}

// TestRetryGivesUpOnce: a refused connection is tried Attempts times with
// backoffs that double up to MaxBackoff, then given up with one warning
// (without the URL's path, which may be a secret); a 4xx that no retry
// cures is given up at once, also with one warning.
func TestRetryGivesUpOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/secret-topic"
	ln.Close() // nothing listens there now: connections are refused
	forbidden := newFlaky(t, 1000, http.StatusForbidden, "")
	for _, tc := range []struct {
		name     string
		url      string
		cfg      RetryConfig
		waits    []time.Duration
		wantLog  string
		attempts int
	}{
		{"refused, defaults", refused, RetryConfig{},
			[]time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, 60 * time.Second}, "gave up", DefaultAttempts},
		{"refused, capped backoff", refused, RetryConfig{Attempts: 4, Backoff: time.Second, MaxBackoff: 3 * time.Second},
			[]time.Duration{time.Second, 2 * time.Second, 3 * time.Second}, "gave up", 4},
		{"403 is not retried", forbidden.URL + "/secret-topic", RetryConfig{}, nil, "403", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := NewURL(tc.url, FormatJSON, nil)
			if err != nil {
				t.Fatal(err)
			}
			sink := &counting{Sink: u}
			clock := newFakeClock(t0)
			var logs logBuf
			cfg := tc.cfg
			cfg.Clock, cfg.Logger, cfg.Timeout = clock, logs.logger(), attemptTimeout
			r := NewRetrying(sink, cfg)
			defer r.Close()
			if err := r.Send(context.Background(), sampleEvent()); err != nil {
				t.Fatal(err)
			}
			for i, wait := range tc.waits {
				waitFor(t, fmt.Sprintf("attempt %d and a retry in %s", i+1, wait), func() bool {
					return int(sink.n.Load()) == i+1 && clock.TimerIn(wait)
				})
				clock.Advance(wait)
			}
			waitFor(t, "the warning", func() bool { return len(logs.warnings()) > 0 && len(clock.Pending()) == 0 })
			clock.Advance(24 * time.Hour) // nothing is tried after giving up
			r.Close()
			if got := int(sink.n.Load()); got != tc.attempts {
				t.Fatalf("%d attempts, want %d", got, tc.attempts)
			}
			w := logs.warnings()
			if len(w) != 1 || !strings.Contains(w[0], tc.wantLog) || !strings.Contains(w[0], "attempts="+strconv.Itoa(tc.attempts)) {
				t.Fatalf("want one warning with %q and attempts=%d, got %q", tc.wantLog, tc.attempts, w)
			}
			if strings.Contains(logs.String(), "secret-topic") {
				t.Errorf("the log repeats the URL's path: %s", logs.String())
			}
		})
	}
}

// TestRetryHungServerHoldsUpNothing runs the Notifier with two URL
// channels: one to a real server that accepts every request and never
// answers, one to a server that works. Both events reach the working one
// while the hung one holds its requests; the second event is not queued
// behind the first (both hang at once); each attempt ends at its timeout,
// is retried, and each event is given up once, with one warning each.
// Stopping ccwake then returns at once.
func TestRetryHungServerHoldsUpNothing(t *testing.T) {
	var hung atomic.Int32 // requests the hung server holds now
	var hits atomic.Int32
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body) // then the server notices a client that gave up
		hits.Add(1)
		hung.Add(1)
		defer hung.Add(-1)
		select {
		case <-req.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })
	good := newReceiver(t)

	clock := newFakeClock(t0)
	var logs logBuf
	const timeout = 30 * time.Second
	mk := func(raw string) *Retrying {
		u, err := NewURL(raw, FormatJSON, nil)
		if err != nil {
			t.Fatal(err)
		}
		return NewRetrying(u, RetryConfig{Attempts: 3, Clock: clock, Logger: logs.logger(), Timeout: timeout})
	}
	src := &mutableSource{}
	src.set(snapshot(
		status(stalled("aaaa0001", classify.Fatal, "fa", t0), resume.Fatal, time.Time{}, "credit balance too low"),
		status(stalled("bbbb0002", classify.Fatal, "fb", t0), resume.Fatal, time.Time{}, "credit balance too low")))
	n := New(Config{Clock: clock, Poll: 24 * time.Hour, Host: "box", Logger: logs.logger()}, src, mk(hang.URL+"/hook"), mk(good.URL+"/hook"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()

	waitFor(t, "both events at the working server and both hung at once", func() bool {
		return len(good.got()) == 2 && hung.Load() == 2
	})
	for attempt := 1; attempt <= 3; attempt++ {
		waitFor(t, fmt.Sprintf("attempt %d of both to hang", attempt), func() bool {
			return hung.Load() == 2 && int(hits.Load()) == 2*attempt && clock.TimerIn(timeout)
		})
		clock.Advance(timeout) // both attempts time out
		if attempt < 3 {
			wait := DefaultBackoff * time.Duration(1<<(attempt-1))
			waitFor(t, "both retries scheduled", func() bool {
				return strings.Count(logs.String(), "trying again") == 2*attempt && clock.TimerIn(wait)
			})
			clock.Advance(wait)
		}
	}
	waitFor(t, "two warnings", func() bool { return len(logs.warnings()) >= 2 })
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run: %v", err)
	}
	w := logs.warnings()
	if len(w) != 2 || !strings.Contains(w[0], "gave up") || !strings.Contains(w[1], "gave up") ||
		!strings.Contains(w[0], "no answer within 30s") || strings.Contains(logs.String(), "not delivered") {
		t.Fatalf("want one give-up per event, got %q", w)
	}
	if got := len(good.got()); got != 2 {
		t.Fatalf("the working server got %d posts, want 2", got)
	}
}

// TestRetryCloseEndsAHungAttempt: stopping ccwake while an attempt hangs
// returns without waiting for the attempt's timeout and says what was not
// delivered.
func TestRetryCloseEndsAHungAttempt(t *testing.T) {
	var hung atomic.Int32
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body)
		hung.Add(1)
		select {
		case <-req.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })
	u, err := NewURL(hang.URL, FormatJSON, nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs logBuf
	r := NewRetrying(u, RetryConfig{Clock: newFakeClock(t0), Logger: logs.logger(), Timeout: attemptTimeout})
	for range 2 {
		if err := r.Send(context.Background(), sampleEvent()); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "both attempts to hang", func() bool { return hung.Load() == 2 })
	r.Close()
	if w := logs.warnings(); len(w) != 1 || !strings.Contains(w[0], "notifications=2") {
		t.Fatalf("want one warning for the 2 undelivered, got %q", w)
	}
	if err := r.Send(context.Background(), sampleEvent()); err == nil {
		t.Fatal("Send after Close: want an error")
	}
}
