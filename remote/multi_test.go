package remote

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// fakeSSH is an "ssh" that runs the remote command with sh on this
// machine: argv is sh -c SCRIPT sh -T HOST REMOTE, so $3 is the command.
// The real-sshd tests are in cmd/ccwake; this one checks the merging and
// routing without a network.
var fakeSSH = []string{"sh", "-c", `eval "$3"`, "sh"}

// localEngine records the commands the dashboard sends to this machine.
type localEngine struct {
	mu      sync.Mutex
	calls   []string
	changes chan struct{}
}

func (l *localEngine) Snapshot() resume.Snapshot {
	return resume.Snapshot{Auto: true, Sessions: []resume.Status{{
		Session: watch.Session{ID: "local-1", State: watch.Stalled}, Phase: resume.Waiting,
	}}}
}
func (l *localEngine) Changes() <-chan struct{} { return l.changes }
func (l *localEngine) record(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, s)
}
func (l *localEngine) Retry(id string)          { l.record("retry " + id) }
func (l *localEngine) Pause(id string, on bool) { l.record("pause " + id) }
func (l *localEngine) Dismiss(id string)        { l.record("dismiss " + id) }
func (l *localEngine) Reopen(id string)         { l.record("reopen " + id) }
func (l *localEngine) SetAuto(on bool)          { l.record("auto") }
func (l *localEngine) Jump(context.Context, string) error {
	l.record("jump")
	return nil
}

// waitFor is testkit.WaitFor without a dump.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, what, cond, nil)
}

// TestMultiRoutesCommandsToTheSessionsHost: a remote row's r, p and x go to
// its host as commands naming the host's own session id; a local row's to
// the local engine; jump and auto-resume never leave this machine; a host
// that is down gets nothing and the log says so.
func TestMultiRoutesCommandsToTheSessionsHost(t *testing.T) {
	dir := t.TempDir()
	got := filepath.Join(dir, "commands")
	script := `echo '{"hello":{"version":"v1","host":"box","proto":1}}'
echo '{"update":{"host":"box","version":"v1","time":"2026-01-01T00:00:00Z","auto":true,"transcripts":4,"sessions":[{"session_id":"s1","cwd":"/w","transcript":"/t/s1.jsonl","state":"stalled","kind":"throttle","attempts":1,"phase":"waiting","pane":"%3"}]}}'
cat > ` + got
	c := New(Config{Host: "box", SSH: fakeSSH, Remote: script, Backoff: resume.Backoff{Base: time.Hour, Cap: time.Hour}})
	down := New(Config{Host: "down", SSH: fakeSSH, Remote: "exit 255", Backoff: resume.Backoff{Base: time.Hour, Cap: time.Hour}})
	local := &localEngine{changes: make(chan struct{}, 1)}
	m := NewMulti(local, []*Client{c, down})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	var snap resume.Snapshot
	waitFor(t, "the remote session and both hosts' states", func() bool {
		snap = m.Snapshot()
		return len(snap.Sessions) == 2 && len(snap.Hosts) == 2 && snap.Hosts[0].State == "up" && snap.Hosts[1].State == "lost"
	})
	var rs resume.Status
	for _, s := range snap.Sessions {
		if s.Host == "box" {
			rs = s
		}
	}
	if rs.Session.ID != "s1@box" || rs.Pane != "%3" || rs.Phase != resume.Waiting || rs.Session.Transcript != "/t/s1.jsonl" {
		t.Fatalf("remote row %+v: want s1@box waiting in %%3", rs)
	}
	if snap.Transcripts != 4 {
		t.Errorf("transcripts %d, want the remote's 4 added", snap.Transcripts)
	}

	m.Retry("s1@box")
	m.Pause("s1@box", true)
	m.Pause("s1@box", false)
	m.Dismiss("s1@box")
	m.Retry("local-1")
	m.SetAuto(false)
	if err := m.Jump(ctx, "s1@box"); err == nil || !strings.Contains(err.Error(), "box") {
		t.Errorf("jump to a remote row: %v, want an error naming the host", err)
	}
	want := `{"cmd":"retry","session":"s1"}
{"cmd":"pause","session":"s1"}
{"cmd":"resume","session":"s1"}
{"cmd":"dismiss","session":"s1"}
`
	waitFor(t, "the four commands on the remote's stdin", func() bool {
		b, _ := os.ReadFile(got)
		return string(b) == want
	})
	local.mu.Lock()
	calls := slices.Clone(local.calls)
	local.mu.Unlock()
	if !slices.Equal(calls, []string{"retry local-1", "auto"}) {
		t.Errorf("local engine got %q, want only the local retry and the auto toggle", calls)
	}

	// The host that is down: its row does not exist, so a forged id goes
	// local; a row of a host that went down is refused with a log line.
	c.mu.Lock()
	c.send = nil // as after the connection dropped
	c.st.State = Lost
	c.mu.Unlock()
	m.Retry("s1@box")
	found := false
	for _, a := range m.Snapshot().Log {
		if a.What == "not_sent" && a.SessionID == "s1@box" && strings.Contains(a.Reason, "not connected") {
			found = true
		}
	}
	if !found {
		t.Errorf("a retry to a lost host left no not_sent line in the log: %+v", m.Snapshot().Log)
	}
}

// TestClientDropsAConnectionThatTurnsToGarbage: a line that is not the
// protocol after the hello ends the connection with a clear state, and the
// client reconnects on its own.
func TestClientDropsAConnectionThatTurnsToGarbage(t *testing.T) {
	script := `echo '{"hello":{"version":"v1","host":"box","proto":1}}'; echo 'Segmentation fault (core dumped)'; sleep 5`
	c := New(Config{Host: "box", SSH: fakeSSH, Remote: script, Backoff: resume.Backoff{Base: 50 * time.Millisecond, Cap: 100 * time.Millisecond}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	waitFor(t, "garbage then a second up", func() bool {
		ups, garbage := 0, 0
		for _, e := range c.Events() {
			switch e.What {
			case "host_up":
				ups++
			case "host_garbage":
				garbage++
				if !strings.Contains(e.Reason, "Segmentation fault") {
					t.Fatalf("garbage event %q does not quote the line", e.Reason)
				}
			}
		}
		return ups >= 2 && garbage >= 1
	})
}
