package service

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/service/servicetest"
)

// contrib/'s unit and agent are the templates `ccwake service install`
// writes, rendered for a hand install. CCWAKE_UPDATE_CONTRIB=1 rewrites them.
func TestContribMatchesService(t *testing.T) {
	for _, f := range []struct {
		path string
		want []byte
	}{
		{filepath.Join("..", "..", "..", "..", "contrib", "systemd", "ccwake.service"), contribUnit()},
		{filepath.Join("..", "..", "..", "..", "contrib", "launchd", "io.github.ccwake.plist"), contribPlist()},
	} {
		if os.Getenv("CCWAKE_UPDATE_CONTRIB") == "1" {
			if err := os.WriteFile(f.path, f.want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s differs from serviceunit.go's template: CCWAKE_UPDATE_CONTRIB=1 go test -run TestContribMatchesService ./cmd/ccwake/", f.path)
		}
	}
}

// On macOS, install writes a launchd agent that runs the binary with its
// log in ~/Library/Logs, boots out the old one and bootstraps the new one;
// doctor's state comes from launchctl print; uninstall boots it out.
func TestServiceInstallLaunchd(t *testing.T) {
	home := t.TempDir()
	fake := t.TempDir()
	log := servicetest.FakeManager(t, fake, "launchctl", "print", "state = running")
	exe := filepath.Join(home, "bin & <tools>", "ccwake")
	// A stand-in: the agent's flags are run through the real binary by
	// cmd/ccwake's TestLaunchdPlist; here only the file must exist.
	if err := os.MkdirAll(filepath.Dir(exe), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	h := &Host{goos: "darwin", home: home, uid: 501, exe: exe, out: &out,
		path: servicePath("darwin", exe, func(string) (string, error) { return "", exec.ErrNotFound }),
		run: func(ctx context.Context, argv ...string) ([]byte, error) {
			bin, err := lookPathIn(argv[0], fake)
			if err != nil {
				return nil, err
			}
			return exec.CommandContext(ctx, bin, argv[1:]...).Output()
		}}
	ctx := context.Background()
	if st := h.State(ctx); st.File != "" || !st.Supported {
		t.Errorf("state before install: %+v", st)
	}
	if err := h.install(ctx); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(home, "Library", "LaunchAgents", "io.github.ccwake.plist")
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := servicetest.ParsePlist(t, body)
	logs := filepath.Join(home, "Library", "Logs")
	args, _ := d["ProgramArguments"].([]string)
	if want := []string{exe, "--auto", "--log-file", filepath.Join(logs, "ccwake.log")}; !slices.Equal(args, want) {
		t.Errorf("ProgramArguments %q, want %q", args, want)
	}
	envs, _ := d["EnvironmentVariables"].(servicetest.PlistDict)
	if p, _ := envs["PATH"].(string); !strings.HasPrefix(p, filepath.Dir(exe)+":") || !strings.Contains(p, ":/opt/homebrew/bin:") {
		t.Errorf("PATH %q: want the binary's directory, then Homebrew's among the rest", p)
	}
	for _, k := range []string{"StandardOutPath", "StandardErrorPath"} {
		if d[k] != filepath.Join(logs, "ccwake.launchd.log") {
			t.Errorf("%s %v: want it in ~/Library/Logs", k, d[k])
		}
	}
	if d["Label"] != "io.github.ccwake" || d["RunAtLoad"] != true {
		t.Errorf("Label %v, RunAtLoad %v", d["Label"], d["RunAtLoad"])
	}
	if st, err := os.Stat(logs); err != nil || !st.IsDir() {
		t.Errorf("~/Library/Logs not created: %v", err)
	}
	servicetest.PlutilLint(t, path)
	want := []string{"bootout gui/501/io.github.ccwake", "bootstrap gui/501 " + path}
	if got := servicetest.ManagerCalls(t, log); !slices.Equal(got, want) {
		t.Errorf("launchctl calls %q, want %q", got, want)
	}
	if st := h.State(ctx); !st.Running || st.Exe != exe || st.File != path {
		t.Errorf("state after install: %+v", st)
	}
	if err := h.uninstall(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("after uninstall: %v", err)
	}
	want = append(want, "print gui/501/io.github.ccwake", "bootout gui/501/io.github.ccwake")
	if got := servicetest.ManagerCalls(t, log); !slices.Equal(got, want) {
		t.Errorf("launchctl calls %q, want %q", got, want)
	}
}

func TestServiceExe(t *testing.T) {
	have := map[string]bool{"/opt/homebrew/opt/ccwake/bin/ccwake": true}
	exists := func(p string) bool { return have[p] }
	tests := []struct {
		exe, resolved, want string
		wantErr             bool
	}{
		{"/home/u/bin/ccwake", "/home/u/bin/ccwake", "/home/u/bin/ccwake", false},                          // GOBIN
		{"/usr/local/bin/ccwake", "/home/u/src/ccwake/bin/ccwake", "/home/u/src/ccwake/bin/ccwake", false}, // a link to a build
		{"/opt/homebrew/bin/ccwake", "/opt/homebrew/Cellar/ccwake/1.2.3/bin/ccwake", "/opt/homebrew/opt/ccwake/bin/ccwake", false},
		{"/usr/local/bin/ccwake", "/usr/local/Cellar/ccwake/1.2.3/bin/ccwake", "/usr/local/bin/ccwake", false},        // no opt link
		{"/opt/homebrew/bin/ccwake", "/opt/homebrew/Caskroom/ccwake/1.2.3/ccwake", "/opt/homebrew/bin/ccwake", false}, // cask
		{"/home/u/.nix-profile/bin/ccwake", "/nix/store/abc-ccwake-1.2.3/bin/ccwake", "/home/u/.nix-profile/bin/ccwake", false},
		{"/tmp/go-build123/b001/exe/ccwake", "/tmp/go-build123/b001/exe/ccwake", "", true},
	}
	for _, tt := range tests {
		got, err := serviceExe(tt.exe, tt.resolved, exists)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("serviceExe(%q, %q) = %q, %v; want %q", tt.exe, tt.resolved, got, err, tt.want)
		}
	}
}

func TestSystemdEscapeRoundTrip(t *testing.T) {
	for _, exe := range []string{"/usr/bin/ccwake", "/a b/ccwake", `/a"b\c/ccwake`, "/x%h/ccwake", "/it's/ccwake"} {
		unit := string(systemdUnit{Exec: systemdEscape(exe) + " --auto", Path: "/usr/bin"}.render())
		if got := UnitExe(unit); got != exe {
			t.Errorf("UnitExe(ExecStart=%s) = %q, want %q", servicetest.UnitLine(unit, "ExecStart="), got, exe)
		}
	}
}

func TestLaunchdState(t *testing.T) {
	out := "gui/501/io.github.ccwake = {\n\tactive count = 1\n\tpath = /Users/u/Library/LaunchAgents/io.github.ccwake.plist\n\tstate = running\n\n\tprogram = /opt/homebrew/bin/ccwake\n\tpid = 4242\n}\n"
	for in, want := range map[string]string{out: "running", strings.Replace(out, "running", "not running", 1): "not running", "": "unknown"} {
		if got := launchdState(in); got != want {
			t.Errorf("launchdState = %q, want %q", got, want)
		}
	}
}
