package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccwake/ccwake/internal/testkit"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/resume/mux/tmux"
	"github.com/ccwake/ccwake/watch"
)

// stalled is a real transcript of Claude Code 2.1.330 that stopped on a
// server throttle (testdata/transcripts/INDEX.md), and its session id.
const (
	stalled   = "v2.1.330-oauth-throttle.jsonl"
	stalledID = "70d99ef0-be45-4a8f-b9bb-7bba93e07771"
)

// lines collects what a Stdio writes, parsed, for WaitFor to look at.
type lines struct {
	mu   sync.Mutex
	got  []remote.Line
	errs []string
}

func (l *lines) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, remote.MaxLine)
	for sc.Scan() {
		line, err := remote.ParseLine(sc.Bytes())
		l.mu.Lock()
		if err != nil {
			l.errs = append(l.errs, sc.Text())
		} else {
			l.got = append(l.got, line)
		}
		l.mu.Unlock()
	}
}

// find is the newest line that ok accepts.
func (l *lines) find(ok func(remote.Line) bool) (remote.Line, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.got) - 1; i >= 0; i-- {
		if ok(l.got[i]) {
			return l.got[i], true
		}
	}
	return remote.Line{}, false
}

// wait waits for a line that ok accepts and returns the newest such.
func (l *lines) wait(t *testing.T, what string, ok func(remote.Line) bool) remote.Line {
	t.Helper()
	var found remote.Line
	testkit.WaitFor(t, what, func() bool {
		var seen bool
		found, seen = l.find(ok)
		return seen
	}, l.String)
	return found
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, _ := json.MarshalIndent(l.got, "", "  ")
	return string(b) + "\nnot protocol lines: " + strings.Join(l.errs, "\n")
}

// session is the update's session id, or false.
func session(u *remote.Update, id string) (remote.Session, bool) {
	if u == nil {
		return remote.Session{}, false
	}
	for _, s := range u.Sessions {
		if s.SessionID == id {
			return s, true
		}
	}
	return remote.Session{}, false
}

// TestStdioServesAStall runs the stack `ccwake serve --stdio` runs, in
// this process: a real watcher on a Claude root in a temp dir, the engine
// (dry-run, its tmux on a private socket no server listens on), the local
// socket, and the protocol on a pipe. A transcript that stalls after the
// start appears in an update; a pause is answered and shows; closing stdin
// (ssh went) ends Stdio, and Stop ends the rest.
func TestStdioServesAStall(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, ".claude")
	proj := filepath.Join(root, "projects", "-work")
	if err := os.MkdirAll(proj, 0o700); err != nil {
		t.Fatal(err)
	}
	sockets := filepath.Join(dir, "run")
	if err := os.Mkdir(sockets, 0o700); err != nil {
		t.Fatal(err)
	}
	o := Options{
		Roots: []string{root}, Loc: time.UTC, Now: time.Now,
		Getenv:   func(string) string { return "" },
		Backends: []string{"tmux"}, TmuxSocket: filepath.Join(dir, "tmux.sock"),
		Engine: resume.DefaultConfig(), DryRun: true,
		RecordBase: dir,
		Record:     func(string) (string, error) { return filepath.Join(dir, "record.json"), nil },
		ReopenConfig: func(*tmux.Tmux, *slog.Logger) (resume.ReopenConfig, error) {
			return resume.ReopenConfig{}, nil
		},
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		SocketDirs: []string{sockets},
		Wire:       Wire{Host: "box", Version: "v-test"},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := Start(ctx, o, o.Roots, "")
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	got := &lines{}
	readDone := make(chan struct{})
	go func() { defer close(readDone); got.read(outR) }()
	stdioErr := make(chan error, 1)
	go func() {
		err := Stdio(ctx, st, inR, outW)
		outW.Close()
		stdioErr <- err
	}()

	if h := got.wait(t, "the hello", func(l remote.Line) bool { return l.Hello != nil }); h.Hello.Host != "box" || h.Hello.Proto != remote.Proto || len(h.Hello.RootIDs) != 1 {
		t.Errorf("hello = %+v, want host box, proto %d, the one root it holds", *h.Hello, remote.Proto)
	}

	data, err := os.ReadFile(filepath.Join(testkit.ModuleRoot(t), "testdata", "transcripts", stalled))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, stalledID+".jsonl"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	l := got.wait(t, "an update with the stalled session", func(l remote.Line) bool {
		_, ok := session(l.Update, stalledID)
		return ok
	})
	s, _ := session(l.Update, stalledID)
	if s.State != string(watch.Stalled) || s.Kind == nil || *s.Kind != "throttle" {
		b, _ := json.Marshal(s)
		t.Errorf("session = %s, want stalled on a throttle", b)
	}
	if !l.Update.Auto || !l.Update.DryRun || l.Update.Host != "box" {
		t.Errorf("update auto=%v dry_run=%v host=%q, want auto, dry-run, box", l.Update.Auto, l.Update.DryRun, l.Update.Host)
	}

	cmd, _ := json.Marshal(remote.Command{Cmd: "pause", Session: stalledID})
	if _, err := inW.Write(append(cmd, '\n')); err != nil {
		t.Fatal(err)
	}
	got.wait(t, "the pause answered", func(l remote.Line) bool {
		return l.OK != nil && l.OK.Cmd == "pause" && l.OK.Session == stalledID
	})
	got.wait(t, "the pause shown", func(l remote.Line) bool {
		s, ok := session(l.Update, stalledID)
		return ok && s.Phase == string(resume.Paused)
	})

	inW.Close() // the client went
	if err := <-stdioErr; err != nil {
		t.Errorf("Stdio: %v", err)
	}
	<-readDone
	if err := st.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	got.mu.Lock()
	defer got.mu.Unlock()
	if len(got.errs) > 0 {
		t.Errorf("lines that are not the protocol's: %q", got.errs)
	}
}

// TestServeUpdateShows: the wire carries stalled sessions and those in a
// phase of the resumer's own, not working ones nor one resumed long ago,
// and the newest actions only.
func TestServeUpdateShows(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	st := func(id string, state watch.State, phase resume.Phase, last time.Time) resume.Status {
		s := resume.Status{Session: watch.Session{ID: id, State: state}, Phase: phase}
		if !last.IsZero() {
			s.History = []resume.Action{{Time: last, What: "resumed"}}
		}
		return s
	}
	snap := resume.Snapshot{Sessions: []resume.Status{
		st("stalled", watch.Stalled, resume.Waiting, time.Time{}),
		st("working", watch.Working, resume.Idle, time.Time{}),
		st("watching", watch.Working, resume.Watching, time.Time{}),
		st("no phase", watch.Working, "", time.Time{}),
		st("resumed now", watch.Working, resume.Resumed, now.Add(-time.Minute)),
		st("resumed long ago", watch.Working, resume.Resumed, now.Add(-2*time.Hour)),
		st("paused", watch.Working, resume.Paused, time.Time{}),
	}}
	for i := range 60 {
		snap.Log = append(snap.Log, resume.Action{Time: now.Add(time.Duration(i) * time.Second), What: "x"})
	}
	u := Wire{Host: "box"}.ServeUpdate(snap, now)
	var ids []string
	for _, s := range u.Sessions {
		ids = append(ids, s.SessionID)
	}
	if want := "stalled,resumed now,paused"; strings.Join(ids, ",") != want {
		t.Errorf("sessions = %q, want %q", ids, want)
	}
	if len(u.Log) != 50 || !u.Log[49].Time.Equal(snap.Log[59].Time) {
		t.Errorf("log: %d actions ending %v, want the newest 50", len(u.Log), u.Log[len(u.Log)-1].Time)
	}
}
