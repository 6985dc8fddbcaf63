package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
	"github.com/ccwake/ccwake/remote"
)

// Tests of `ccwake serve --stdio --status` (what `status --host` runs on
// each host) and of `status --host` reaching it through remote.Ask.

// fakeSSHScript writes an "ssh" for --ssh-command: it drops "-T HOST" and
// runs the remote command with sh on this machine.
func fakeSSHScript(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fakessh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\nshift 2\nexec sh -c \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// remoteEnv is the command line prefix that runs e's ccwake as a remote
// host would: a clean environment of its own (sshd gives one), with run as
// $XDG_RUNTIME_DIR, where a service's socket is looked for.
func (e *cliEnv) remoteEnv(run string) string {
	return strings.Join([]string{"env", "-i", "PATH=" + os.Getenv("PATH"), "HOME=" + e.home, "XDG_CONFIG_HOME=" + e.config,
		"XDG_RUNTIME_DIR=" + run, "TZ=UTC", e.bin}, " ")
}

// sessionIDs are the ids of sessions, sorted.
func sessionIDs[S any](list []S, id func(S) string) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, id(s))
	}
	slices.Sort(out)
	return out
}

// With no service, the first update of `serve --stdio --status` is what
// `status --json` says (with --all, `status --json --all`): the whole
// tree, not what a cold start has read so far, since remote.Ask takes the
// first update as the answer.
func TestServeStatusFirstUpdateIsTheWholeStatus(t *testing.T) {
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.330-oauth-5h.jsonl", "v2.1.145-key-429.jsonl", "v2.1.330-key-ok.jsonl")
	run := filepath.Join(e.dir, "run")
	for _, all := range []bool{false, true} {
		args := []string{"--claude-dir", root, "--tmux-socket", e.sock}
		flag := ""
		if all {
			args = append(args, "--all")
			flag = " --all"
		}
		r := e.run(nil, append([]string{"status", "--json"}, args...)...)
		var want struct{ Sessions []remote.StatusFields }
		if err := json.Unmarshal([]byte(r.stdout), &want); err != nil || len(want.Sessions) == 0 {
			t.Fatalf("status --json%s: %v\n%s%s", flag, err, r.stdout, r.stderr)
		}
		hello, u, err := remote.Ask(context.Background(), remote.Config{Host: "box", SSH: []string{fakeSSHScript(t)},
			Remote:    e.remoteEnv(run) + " serve --stdio --status --claude-dir " + root + " --tmux-socket " + e.sock + flag,
			Handshake: 30 * time.Second})
		if err != nil || hello.Proto != remote.Proto || hello.Version == "" {
			t.Fatalf("Ask%s: %+v %v", flag, hello, err)
		}
		if u.Auto || !u.DryRun {
			t.Errorf("update%s: auto %v, dry run %v: want a status (auto off, dry run)", flag, u.Auto, u.DryRun)
		}
		got := sessionIDs(u.Sessions, func(s remote.Session) string { return s.SessionID })
		if w := sessionIDs(want.Sessions, func(s remote.StatusFields) string { return s.SessionID }); !slices.Equal(got, w) {
			t.Errorf("serve --stdio --status%s: sessions %v, want status --json's %v", flag, got, w)
		}
	}
}

// With a service holding the root, `serve --stdio --status` reports the
// service's rows (its phases, without what it dismissed: the tree here is
// empty, so its own watch would find nothing), and `status --host` shows
// them with the exit status they make: 4, a session needs a human.
func TestServeStatusReportsTheServiceRows(t *testing.T) {
	e := newCLIEnv(t)
	root, run, src := memService(t)
	serveMemory(t, run, root, src)

	_, u, err := remote.Ask(context.Background(), remote.Config{Host: "box", SSH: []string{fakeSSHScript(t)},
		Remote: e.remoteEnv(run) + " serve --stdio --status --claude-dir " + root, Handshake: 30 * time.Second})
	if err != nil {
		t.Fatalf("Ask: %v", err)
	}
	phases := map[string]string{}
	for _, s := range u.Sessions {
		phases[s.SessionID] = s.Phase
	}
	if len(phases) != 2 || phases["fatal-1"] != "fatal" || phases["blocked-1"] != "blocked" {
		t.Fatalf("update: %+v, want the service's fatal-1 and blocked-1", u.Sessions)
	}

	local := claudeRoot(t)
	r := e.run(nil, "status", "--json", "--claude-dir", local, "--tmux-socket", e.sock, "--host", "box",
		"--ssh-command", fakeSSHScript(t), "--remote-ccwake", e.remoteEnv(run)+" --claude-dir "+root)
	var all struct{ Hosts []status.HostStatus }
	if err := json.Unmarshal([]byte(r.stdout), &all); err != nil || len(all.Hosts) != 2 {
		t.Fatalf("status --host --json: %v\n%s%s", err, r.stdout, r.stderr)
	}
	if r.code != status.ExitNeedsHuman {
		t.Errorf("status --host: exit %d, want %d (box has a fatal session)\n%s", r.code, status.ExitNeedsHuman, r.stderr)
	}
	if h := all.Hosts[1]; h.Host != "box" || h.Error != nil || len(h.Sessions) != 2 {
		t.Errorf("box: %+v, want the service's two sessions", h)
	}
}

// TestServeStatusRefusesCommandsAndTypesNothing: `serve --stdio --status`
// streams the stalled session with its plan and pane as `status` would,
// answers retry (and auto_on) with an error line, types nothing past the
// planned resume time, and exits 0 when stdin closes.
func TestServeStatusRefusesCommandsAndTypesNothing(t *testing.T) {
	e := newDashEnv(t, 120, 40)
	s := e.startClaude(filepath.Join(e.home, "src", "p"), "429,ok", "say hi")
	cmd, stdin, lines := e.startPiped("serve", "--stdio", "--status", "--claude-dir", e.root, "--tmux-socket", e.sock,
		"--throttle-base", "2s", "--throttle-cap", "2s")
	hello := lines.next("hello", func(string) bool { return true })
	if l, err := remote.ParseLine([]byte(hello)); err != nil || l.Hello == nil || l.Hello.Proto != remote.Proto {
		t.Fatalf("first line %q: want a hello (%v)", hello, err)
	}
	lines.next("an update with the stalled session, its plan and pane", func(l string) bool {
		p, err := remote.ParseLine([]byte(l))
		if err != nil || p.Update == nil {
			return false
		}
		for _, ws := range p.Update.Sessions {
			if ws.SessionID == s.ID && ws.Phase == "waiting" && ws.ResumeAt != nil && ws.Pane != nil && *ws.Pane == "tmux:"+s.Pane {
				return true
			}
		}
		return false
	})
	for _, c := range []string{`{"cmd":"retry","session":"` + s.ID + `"}`, `{"cmd":"auto_on"}`} {
		if _, err := io.WriteString(stdin, c+"\n"); err != nil {
			t.Fatal(err)
		}
		got := lines.next("an error line for "+c, func(l string) bool { return strings.HasPrefix(l, `{"error":`) })
		if !strings.Contains(got, "refused") {
			t.Errorf("%s → %s: want it refused", c, got)
		}
	}
	// Past its planned resume time (2 s) it still types nothing: it is a status.
	time.Sleep(3 * time.Second) // the plan's due time passing is what is tested
	if n := count(userEntries(s.Transcript), "continue"); n != 0 {
		t.Fatalf("serve --stdio --status typed %d times", n)
	}
	_ = stdin.Close()
	if err := exitsWithin(t, cmd, 10*time.Second); err != nil {
		t.Fatalf("exit after stdin closed: %v", err)
	}
}
