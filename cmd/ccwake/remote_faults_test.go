package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testwait"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
)

// TestRemoteClientStates connects the dashboard's ssh client through a real
// sshd to remotes that fail in each way a user meets, and checks the state
// it shows, that it says why, and that it keeps trying with a backoff. No
// command is ever sent to a host that is not up.
func TestRemoteClientStates(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("real sshd: skipped with -short")
	}
	dir, err := os.MkdirTemp("", "ccws")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	sshd := startSSHD(t, dir)
	hello := func(proto int) string {
		return `echo '{"hello":{"version":"v0.0.1","host":"old","proto":` + string(rune('0'+proto)) + `}}'; cat`
	}
	// Only the silent remote is to outlast the wait for the hello; the
	// others answer as soon as ssh is through, however long a loaded
	// machine takes for that.
	patient := testwait.Left(t)
	tests := []struct {
		name, host, remote string
		handshake          time.Duration
		want               remote.State
		why                string
	}{
		{"host unreachable", "dead", "ccwake serve --stdio", patient, remote.Lost, "refused"},
		{"remote ccwake missing", "box", dir + "/no/such/ccwake serve --stdio", patient, remote.Missing, "no ccwake on the remote"},
		{"remote without serve", "box", `echo 'ccwake: unknown command "serve" (commands: status, doctor)' >&2; exit 2`, patient, remote.TooOld, "no serve command"},
		{"another protocol", "box", hello(0), patient, remote.TooOld, "protocol 0"},
		{"garbage", "box", `echo '<html>Welcome to box!</html>'; echo more junk; sleep 1`, patient, remote.Garbage, "Welcome to box"},
		{"silent", "box", "sleep 30", 3 * time.Second, remote.Lost, "no hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each its own client of the one sshd
			ctx, cancel := context.WithCancel(context.Background())
			c := remote.New(remote.Config{
				Host: tt.host, SSH: strings.Fields(sshd.sshCommand()), Remote: tt.remote,
				Handshake: tt.handshake, Backoff: resume.Backoff{Base: 200 * time.Millisecond, Cap: 400 * time.Millisecond},
			})
			done := make(chan struct{})
			go func() { c.Run(ctx); close(done) }()
			t.Cleanup(func() { cancel(); <-done })

			var st remote.Status
			waitCond(t, "state "+string(tt.want), func() bool { st = c.Status(); return st.State == tt.want }, func() string {
				return "last status: " + string(st.State) + ": " + st.Detail
			})
			if !strings.Contains(st.Detail, tt.why) {
				t.Errorf("detail %q: want it to say %q", st.Detail, tt.why)
			}
			if st.RetryAt.IsZero() {
				t.Errorf("no next attempt planned: %+v", st)
			}
			if err := c.Send(remote.Command{Cmd: "retry", Session: "x"}); err == nil {
				t.Errorf("Send to a host in state %s succeeded; want it refused", st.State)
			}
			// It tries again: a second failure is logged after a connecting.
			waitCond(t, "a second attempt", func() bool {
				n := 0
				for _, e := range c.Events() {
					if e.What == "host_connecting" {
						n++
					}
				}
				return n >= 2
			}, func() string { return "events: " + eventsText(c.Events()) })
			if _, ok := c.Update(); ok {
				t.Errorf("a failing remote produced an update")
			}
		})
	}
}

func eventsText(list []resume.Action) string {
	var b strings.Builder
	for _, e := range list {
		b.WriteString(e.What + ": " + e.Reason + "\n")
	}
	return b.String()
}
