package tmux

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/resume/mux"
)

func TestResolveSocket(t *testing.T) {
	tests := []struct{ flag, env, want string }{
		{"/run/s", "/tmp/tmux-1000/default,123,0", "/run/s"},
		{"", "/tmp/tmux-1000/default,123,0", "/tmp/tmux-1000/default"},
		{"", "", ""},
		{"", "/odd path/with space,1,2", "/odd path/with space"},
	}
	for _, tt := range tests {
		if got := ResolveSocket(tt.flag, tt.env); got != tt.want {
			t.Errorf("ResolveSocket(%q, %q) = %q, want %q", tt.flag, tt.env, got, tt.want)
		}
	}
}

func TestTmuxArgv(t *testing.T) {
	fmtStr := "#{pane_id}\t#{pane_pid}\t#{pane_current_command}\t#{pane_dead}\t#{pane_in_mode}\t#{pane_mode}\t#{pane_input_off}\t#{pane_tty}\t#{session_name}\t#{window_id}"
	tests := []struct {
		name   string
		socket string
		args   []string
		want   []string
	}{
		{"default server", "", listPanesArgs(), []string{"tmux", "list-panes", "-a", "-F", fmtStr}},
		{"socket", "/tmp/x/s", listPanesArgs(), []string{"tmux", "-S", "/tmp/x/s", "list-panes", "-a", "-F", fmtStr}},
		{"pane info", "", paneInfoArgs("%3"), []string{"tmux", "display-message", "-p", "-t", "%3", fmtStr}},
		{"capture", "", captureArgs("%3"), []string{"tmux", "capture-pane", "-p", "-t", "%3"}},
		{"literal", "", sendLiteralArgs("%3", "continue"), []string{"tmux", "send-keys", "-t", "%3", "-l", "--", "continue"}},
		{"literal dash", "", sendLiteralArgs("%3", "-n Enter C-c"), []string{"tmux", "send-keys", "-t", "%3", "-l", "--", "-n Enter C-c"}},
		{"enter", "", sendKeyArgs("%3", "Enter"), []string{"tmux", "send-keys", "-t", "%3", "Enter"}},
		{"escape", "/s", sendKeyArgs("%12", "Escape"), []string{"tmux", "-S", "/s", "send-keys", "-t", "%12", "Escape"}},
	}
	for _, tt := range tests {
		if got := tmuxArgv(tt.socket, tt.args...); !slices.Equal(got, tt.want) {
			t.Errorf("%s: argv = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParsePaneLine(t *testing.T) {
	tests := []struct {
		line    string
		want    mux.Pane
		wantErr bool
	}{
		{"%3\t4242\tclaude\t0\t0\t\t0\t/dev/pts/4\tcc\t@1", mux.Pane{ID: "%3", PID: 4242, Command: "claude", TTY: "/dev/pts/4", Session: "cc", Window: "@1"}, false},
		{"%0\t1\tbash\t1\t1\tcopy-mode\t1\t/dev/pts/0\tmy session\t@0\n", mux.Pane{ID: "%0", PID: 1, Command: "bash", Dead: true, InMode: true, Mode: "copy-mode", InputOff: true, TTY: "/dev/pts/0", Session: "my session", Window: "@0"}, false},
		{"%3\tx\tclaude\t0\t0\t\t0\t/dev/pts/4\tcc\t@1", mux.Pane{}, true},
		{"%3\t1\tclaude", mux.Pane{}, true},
		{"3\t1\tclaude\t0\t0\t\t0\t/dev/pts/4\tcc\t@1", mux.Pane{}, true},
		{"", mux.Pane{}, true},
	}
	for _, tt := range tests {
		got, err := parsePaneLine(tt.line)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parsePaneLine(%q) = %+v, %v; want %+v, err %v", tt.line, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestTmuxClientErrors(t *testing.T) {
	ctx := context.Background()
	f := newFakeRunner(t)
	tm := New(f, "/tmp/s")
	for _, msg := range []string{"no server running on /tmp/s", "error connecting to /tmp/s (No such file or directory)",
		"server exited unexpectedly"} {
		f.Expect("", errors.New("tmux -S /tmp/s list-panes: exit status 1: "+msg), tmuxArgv("/tmp/s", listPanesArgs()...)...)
		if _, err := tm.ListPanes(ctx); !errors.Is(err, mux.ErrNoServer) {
			t.Errorf("ListPanes, tmux says %q: err = %v, want mux.ErrNoServer", msg, err)
		}
	}
	// display-message on a vanished pane prints an empty line and exits 0.
	f.Expect("\t\t\t\t\t\t\t\t\t\n", nil, tmuxArgv("/tmp/s", paneInfoArgs("%9")...)...)
	if _, err := tm.PaneInfo(ctx, "%9"); !errors.Is(err, mux.ErrNoPane) {
		t.Errorf("PaneInfo of a vanished pane: err = %v, want mux.ErrNoPane", err)
	}
	f.Expect("", errors.New("exit status 1: can't find pane: %9"), tmuxArgv("/tmp/s", captureArgs("%9")...)...)
	if _, err := tm.Capture(ctx, "%9"); !errors.Is(err, mux.ErrNoPane) {
		t.Errorf("Capture of a vanished pane: err = %v, want mux.ErrNoPane", err)
	}
	f.Expect("%1\t10\tclaude\t0\t0\t\t0\t/dev/pts/1\tcc\t@0\n%2\t11\tbash\t0\t1\tcopy-mode\t0\t/dev/pts/2\tcc\t@0\n", nil,
		tmuxArgv("/tmp/s", listPanesArgs()...)...)
	panes, err := tm.ListPanes(ctx)
	if err != nil || len(panes) != 2 || panes[1].Mode != "copy-mode" || panes[0].Command != "claude" {
		t.Errorf("ListPanes = %+v, %v", panes, err)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
