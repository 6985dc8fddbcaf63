package remote

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	askHello  = `{"hello":{"version":"v9","host":"box","proto":1}}`
	askUpdate = `{"update":{"host":"box","version":"v9","time":"2026-01-01T00:00:00Z","auto":false,"transcripts":1,"sessions":[{"session_id":"s1","cwd":"/w","transcript":"/t/s1.jsonl","state":"stalled","kind":"throttle","attempts":1,"phase":"waiting"}]}}`
)

// TestAskOnceAndSaysWhy: Ask runs the remote once (no second attempt, no
// backoff), returns its hello and first update, and otherwise says why in
// the dashboard's states and words: the same reading of ssh as Client's.
func TestAskOnceAndSaysWhy(t *testing.T) {
	tests := []struct {
		name, remote string
		want         State // "" for an answer
		why          string
	}{
		{"answers", `echo '` + askHello + `'; echo '{"ok":{"cmd":"pause"}}'; echo '` + askUpdate + `'; exec cat`, "", ""},
		{"no ccwake", `no-such-ccwake-here serve --stdio --status`, Missing, "no ccwake on the remote"},
		{"ccwake without --status", `echo 'ccwake: unknown flag --status' >&2; echo "see 'ccwake serve --help'" >&2; exit 2`, TooOld, "unknown flag --status"},
		{"ccwake without flags of its own", `echo 'flag provided but not defined: -status' >&2; exit 2`, TooOld, "flag provided but not defined"},
		{"ccwake without serve", `echo 'ccwake: unknown command "serve" (commands: status)' >&2; echo "see 'ccwake --help'" >&2; exit 2`, TooOld, `unknown command "serve"`},
		{"another protocol", `echo '{"hello":{"version":"v0","host":"box","proto":0}}'; exec cat`, TooOld, "protocol 0"},
		{"garbage", `echo '<html>Welcome to box!</html>'`, Garbage, "Welcome to box"},
		{"garbage after the hello", `echo '` + askHello + `'; echo 'Last login: today'; exec cat`, Garbage, "Last login"},
		{"an error instead of an update", `echo '` + askHello + `'; echo '{"error":"claude root /x: no such directory"}'; exec cat`, Lost, "claude root /x"},
		{"silent", `exec sleep 30`, Lost, "no hello from the remote ccwake within"},
		{"hello, then silent", `echo '` + askHello + `'; exec sleep 30`, Lost, "no update from the remote ccwake within"},
		{"hello, then gone", `echo '` + askHello + `'; echo 'Killed' >&2; exit 137`, Lost, "connection lost: Killed"},
		{"ssh fails", `echo 'ssh: connect to host box port 22: Connection refused' >&2; exit 255`, Lost, "Connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := filepath.Join(t.TempDir(), "runs")
			start := time.Now()
			hello, u, err := Ask(context.Background(), Config{Host: "box", SSH: fakeSSH, Remote: "echo run >> " + runs + "; " + tt.remote,
				Handshake: 500 * time.Millisecond})
			if b, _ := os.ReadFile(runs); strings.Count(string(b), "run") != 1 {
				t.Errorf("the remote ran %d times, want once", strings.Count(string(b), "run"))
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Ask took %s", d)
			}
			if tt.want == "" {
				if err != nil || hello.Version != "v9" || len(u.Sessions) != 1 || u.Sessions[0].SessionID != "s1" || u.Sessions[0].Phase != "waiting" {
					t.Fatalf("Ask: %+v %+v %v", hello, u, err)
				}
				return
			}
			he, ok := errors.AsType[*HostError](err)
			if !ok || he.Host != "box" || he.State != tt.want || !strings.Contains(he.Detail, tt.why) || err.Error() != he.Detail {
				t.Fatalf("Ask: %v (%#v), want state %q saying %q", err, he, tt.want, tt.why)
			}
		})
	}
}

// TestAskCannotRun: an ssh program that does not exist is said at once.
func TestAskCannotRun(t *testing.T) {
	_, _, err := Ask(context.Background(), Config{Host: "box", SSH: []string{filepath.Join(t.TempDir(), "no-ssh")}})
	if he, ok := errors.AsType[*HostError](err); !ok || he.State != Lost || !strings.Contains(he.Detail, "cannot run") {
		t.Fatalf("Ask: %v", err)
	}
}

// TestServeReadOnly: a read-only server says hello, sends what its stream
// sends, answers every command (valid or not) with an error line, ends
// when its input does, and Ask over Dial reads it like any server.
func TestServeReadOnly(t *testing.T) {
	srvConn, cliConn := net.Pipe()
	streamed := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- ServeReadOnly(context.Background(), Hello{Version: "v9", Host: "box", Proto: Proto}, srvConn, srvConn,
			func(ctx context.Context, send func(Update) error) error {
				if err := send(Update{Host: "box", Sessions: []Session{{StatusFields: StatusFields{SessionID: "s1", State: "stalled"}}}}); err != nil {
					return err
				}
				close(streamed)
				<-ctx.Done()
				return ctx.Err()
			})
		_ = srvConn.Close()
	}()
	lines := bufio.NewScanner(cliConn)
	next := func() Line {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("no line: %v", lines.Err())
		}
		l, err := ParseLine(lines.Bytes())
		if err != nil {
			t.Fatalf("line %q: %v", lines.Text(), err)
		}
		return l
	}
	if l := next(); l.Hello == nil || l.Hello.Version != "v9" {
		t.Fatalf("first line: %+v", l)
	}
	if l := next(); l.Update == nil || l.Update.Sessions[0].SessionID != "s1" {
		t.Fatalf("second line: %+v", l)
	}
	<-streamed
	for _, cmd := range []string{`{"cmd":"retry","session":"s1"}`, `{"cmd":"auto_on"}`, `{"cmd":"type","session":"s1"}`, `continue`} {
		if _, err := io.WriteString(cliConn, cmd+"\n"); err != nil {
			t.Fatal(err)
		}
		if l := next(); l.Error == "" || l.OK != nil {
			t.Fatalf("%s answered %+v, want an error line", cmd, l)
		}
	}
	_ = cliConn.Close() // the client went
	if err := <-done; err != nil {
		t.Fatalf("ServeReadOnly after its input ended: %v", err)
	}

	// Ask reads such a server over Dial.
	_, u, err := Ask(context.Background(), Config{Host: "service", Handshake: 5 * time.Second,
		Dial: func(context.Context) (io.ReadWriteCloser, error) {
			s, c := net.Pipe()
			go func() {
				_ = ServeReadOnly(context.Background(), Hello{Version: "v9", Proto: Proto}, s, s,
					func(ctx context.Context, send func(Update) error) error {
						_ = send(Update{Host: "service", Sessions: []Session{}})
						<-ctx.Done()
						return nil
					})
				_ = s.Close()
			}()
			return c, nil
		}})
	if err != nil || u.Host != "service" {
		t.Fatalf("Ask over Dial: %+v %v", u, err)
	}
}

// TestServeReadOnlySaysWhyNoUpdateComes: a stream that fails is an error
// line, which Ask returns as the reason.
func TestServeReadOnlySaysWhyNoUpdateComes(t *testing.T) {
	_, _, err := Ask(context.Background(), Config{Host: "box", Handshake: 5 * time.Second,
		Dial: func(context.Context) (io.ReadWriteCloser, error) {
			s, c := net.Pipe()
			go func() {
				_ = ServeReadOnly(context.Background(), Hello{Proto: Proto}, s, s, func(context.Context, func(Update) error) error {
					return errors.New("claude root /x: no such directory")
				})
				_ = s.Close()
			}()
			return c, nil
		}})
	if he, ok := errors.AsType[*HostError](err); !ok || he.State != Lost || !strings.Contains(he.Detail, "claude root /x") {
		t.Fatalf("Ask: %v", err)
	}
}
