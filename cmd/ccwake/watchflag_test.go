package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// --watch picks the watcher from the command line, $CCWAKE_WATCH or the
// config file's watch key; doctor says which one runs and why, and a value
// that is none of auto, inotify and poll is a usage error naming where it
// was set.
func TestWatchSetting(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.145-key-429.jsonl")
	def := "ok    watch: inotify (auto: Linux has inotify"
	if runtime.GOOS != "linux" {
		def = "ok    watch: poll (auto: " + runtime.GOOS + " has no inotify"
	}
	const poll = "ok    watch: poll (chosen (--watch poll))"
	for _, c := range []struct {
		name   string
		config string
		env    []string
		args   []string
		want   string
	}{
		{"default", "", nil, nil, def},
		{"flag", "", nil, []string{"--watch", "poll"}, poll},
		{"environment", "", []string{"CCWAKE_WATCH=poll"}, nil, poll},
		{"config file", `watch = "poll"` + "\n", nil, nil, poll},
		{"flag over config", `watch = "poll"` + "\n", nil, []string{"--watch", "auto"}, def},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.writeConfig(c.config)
			r := e.run(c.env, append([]string{"doctor", "--claude-dir", root, "--tmux-socket", e.sock}, c.args...)...)
			if !strings.Contains(r.stdout, c.want) {
				t.Errorf("doctor output lacks %q:\n%s%s", c.want, r.stdout, r.stderr)
			}
			inotifyLimits := strings.Contains(r.stdout, "inotify: max_user_watches")
			if inotifyLimits != strings.Contains(c.want, "watch: inotify") {
				t.Errorf("inotify limits checked %v under %q:\n%s", inotifyLimits, c.want, r.stdout)
			}
		})
	}
	e.writeConfig("")
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"--watch", "kqueue"}, `invalid value "kqueue" for --watch: want auto, inotify or poll`},
		{[]string{"CCWAKE_WATCH=fanotify"}, nil, `$CCWAKE_WATCH="fanotify": want auto, inotify or poll`},
	} {
		r := e.run(c.env, append([]string{"status", "--claude-dir", root}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want 2 and %q", c.env, c.args, r.code, r.stderr, c.want)
		}
	}
}

// The start line of the log names the watcher in use.
func TestStartLineNamesWatcher(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the binary until it logs its start: skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: --auto refuses to start without it")
	}
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.330-key-ok.jsonl")
	want := map[string]string{"poll": "watch=poll", "auto": "watch=inotify"}
	if runtime.GOOS != "linux" {
		want["auto"] = "watch=poll"
	}
	for setting, line := range want {
		t.Run(setting, func(t *testing.T) {
			logFile := filepath.Join(e.dir, setting+".log")
			cmd := exec.Command(e.bin, "--auto", "--dry-run", "--claude-dir", root, "--tmux-socket", e.sock, "--log-file", logFile)
			cmd.Env = append(append([]string{}, e.env...), "CCWAKE_WATCH="+setting, "XDG_STATE_HOME="+filepath.Join(e.dir, "state-"+setting))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			started := func() string {
				b, _ := os.ReadFile(logFile)
				for _, l := range strings.Split(string(b), "\n") {
					if strings.Contains(l, "ccwake started") {
						return l
					}
				}
				return ""
			}
			waitCond(t, "ccwake started", func() bool { return started() != "" }, stderr.String)
			if l := started(); !strings.Contains(l, " "+line+" ") {
				t.Errorf("start line %q lacks %s", l, line)
			}
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
		})
	}
}
