package e2e

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// killClient closes the client's terminal: a second window keeps the tmux
// server (and the environment that points the client at the mock) alive,
// the client's pane is killed, and the client must be gone.
func (r *run) killClient() {
	t := r.t
	pane, pid := r.paneID(), r.tmux.panePID()
	if _, err := r.tmux.tmux("new-window", "-d", "-t", "cc", "sleep", "3600"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.tmux.tmux("kill-pane", "-t", pane); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "the killed client to exit", r.dump, func() bool {
		return exited(pid)
	})
	t.Logf("killed pane %s (client pid %d)", pane, pid)
}

var reopenedPane = regexp.MustCompile(`\(pane (?:tmux:)?(%[0-9]+)\)`)

// expectReopened: ccwake reopens the session once in a new window, types
// exactly one continue there and the client answers it. The resumed client
// may write a new file with copies of the old entries: entries are counted
// once however many files hold them.
func (r *run) expectReopened(started time.Time) {
	t := r.t
	var reopened logLine
	waitFor(t, 60*time.Second, "ccwake to log reopened", r.dump, func() bool {
		l, ok := findLog(logLines(r.watch.out.String()), "reopened")
		reopened = l
		return ok
	})
	if m := reopenedPane.FindStringSubmatch(reopened.Reason); m != nil {
		r.tmux.pane = m[1]
	}
	t.Logf("reopened %s after start: %s", reopened.Time.Sub(started).Round(time.Millisecond), reopened.Reason)
	var tr transcript
	waitFor(t, 90*time.Second, "ccwake's continue and the mock's reply", r.dump, func() bool {
		tr, _ = readTranscripts(r.root)
		tr = tr.unique()
		i := tr.firstError()
		return i >= 0 && len(tr.after(i, typedContinue(message))) > 0 && len(tr.after(i, mockAnswer)) > 0
	})
	waitFor(t, 30*time.Second, "ccwake to log confirmed", r.dump, func() bool {
		_, ok := findLog(logLines(r.watch.out.String()), "confirmed")
		return ok
	})
	// A second continue would come within the retry backoff (1-2 s): watch
	// for one a while longer than that.
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		tr, _ = readTranscripts(r.root)
		tr = tr.unique()
		if i := tr.firstError(); i >= 0 && len(tr.after(i, typedContinue(message))) > 1 {
			break
		}
	}
	i := tr.firstError()
	if typed := tr.after(i, typedContinue(message)); len(typed) != 1 {
		t.Errorf("want exactly one %q after the stall, got %d\n%s", message, len(typed), r.dump())
	}
	if n := tr.errors(); n != 1 {
		t.Errorf("want 1 API error, got %d\n%s", n, r.dump())
	}
	logs := logLines(r.watch.out.String())
	n := 0
	for _, l := range logs {
		if l.Msg == "reopened" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("ccwake reopened %d times, want 1\n%s", n, r.dump())
	}
	tl, _ := findLog(logs, "typed")
	if tl.Pane != "tmux:"+r.tmux.pane {
		t.Errorf("ccwake typed into pane %q, it reopened the session in %q", tl.Pane, r.tmux.pane)
	}
	files := map[string]bool{}
	for _, e := range tr {
		files[e.SessionID] = true
	}
	t.Logf("session ids in the transcripts: %d; typed %s after start: %s", len(files), tl.Time.Sub(started).Round(time.Millisecond), tl.Reason)
	r.logActions()
}

// unique drops entries that repeat an earlier one (the copies `claude
// --resume` may write into a new file: same time, type and text).
func (tr transcript) unique() transcript {
	seen := map[string]bool{}
	var out transcript
	for _, e := range tr {
		k := e.Time.String() + "\x00" + e.Type + "\x00" + e.Text + "\x00" + strings.Repeat("e", boolInt(e.APIError))
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// exited reports whether pid is gone or a zombie not reaped yet (tmux 3.3a
// was seen to leave a killed pane's process unreaped for 30 s).
func exited(pid int) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && (f[0] == "Z" || f[0] == "X")
}
