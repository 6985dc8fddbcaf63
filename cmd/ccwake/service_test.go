package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// contrib/'s unit and agent are the templates `ccwake service install`
// writes, rendered for a hand install. CCWAKE_UPDATE_CONTRIB=1 rewrites them.
func TestContribMatchesService(t *testing.T) {
	for _, f := range []struct {
		path string
		want []byte
	}{
		{filepath.Join("..", "..", "contrib", "systemd", "ccwake.service"), contribUnit()},
		{filepath.Join("..", "..", "contrib", "launchd", "io.github.ccwake.plist"), contribPlist()},
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

// verifyUnit runs `systemd-analyze verify --user` on a unit: no output, no
// error. It checks the syntax and that ExecStart's program is executable.
func verifyUnit(t *testing.T, unit, home string) {
	t.Helper()
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Log("systemd-analyze is not installed: the unit is not verified")
		return
	}
	run := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("systemd-analyze", "verify", "--user", unit)
	cmd.Env = []string{"HOME=" + home, "XDG_RUNTIME_DIR=" + run, "PATH=" + os.Getenv("PATH")}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil || out.Len() > 0 {
		body, _ := os.ReadFile(unit)
		t.Fatalf("systemd-analyze verify --user %s: %v\n%s\n%s", unit, err, out.String(), body)
	}
}

// The contrib unit passes systemd-analyze with ccwake in ~/go/bin, and its
// ExecStart's flags are ones ccwake accepts.
func TestSystemdUnit(t *testing.T) {
	unit, err := filepath.Abs(filepath.Join("..", "..", "contrib", "systemd", "ccwake.service"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	argv := strings.Fields(unitLine(string(body), "ExecStart="))
	if len(argv) < 2 || argv[0] != "%h/go/bin/ccwake" || !contains(argv, "--auto") {
		t.Fatalf("ExecStart=%q: want %%h/go/bin/ccwake --auto …", argv)
	}
	home := t.TempDir()
	bin := filepath.Join(home, "go", "bin", "ccwake")
	linkBinary(t, bin)
	if out, err := exec.Command(bin, append(argv[1:], "--print-config")...).CombinedOutput(); err != nil || !strings.Contains(string(out), "auto = true") {
		t.Fatalf("ccwake %v --print-config: %v\n%s", argv[1:], err, out)
	}
	verifyUnit(t, unit, home)
}

func unitLine(unit, prefix string) string {
	for _, l := range strings.Split(unit, "\n") {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return v
		}
	}
	return ""
}

// plistDict decodes a launchd plist's top dict: string, integer and bool
// values, string arrays, and nested dicts of strings.
type plistDict map[string]any

func parsePlist(t *testing.T, body []byte) plistDict {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	var value func(se xml.StartElement) any
	value = func(se xml.StartElement) any {
		switch se.Name.Local {
		case "string", "integer":
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				t.Fatal(err)
			}
			return s
		case "true", "false":
			if err := dec.Skip(); err != nil {
				t.Fatal(err)
			}
			return se.Name.Local == "true"
		case "array":
			var list []string
			for {
				tok, err := dec.Token()
				if err != nil {
					t.Fatal(err)
				}
				if s, ok := tok.(xml.StartElement); ok {
					list = append(list, value(s).(string))
				}
				if _, ok := tok.(xml.EndElement); ok {
					return list
				}
			}
		case "dict":
			d := plistDict{}
			var key string
			for {
				tok, err := dec.Token()
				if err != nil {
					t.Fatal(err)
				}
				switch tok := tok.(type) {
				case xml.StartElement:
					if tok.Name.Local == "key" {
						if err := dec.DecodeElement(&key, &tok); err != nil {
							t.Fatal(err)
						}
						continue
					}
					if key == "" {
						t.Fatalf("plist: <%s> without a key", tok.Name.Local)
					}
					d[key], key = value(tok), ""
				case xml.EndElement:
					return d
				}
			}
		}
		t.Fatalf("plist: unexpected <%s>", se.Name.Local)
		return nil
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			t.Fatal("plist: no top dict")
		}
		if err != nil {
			t.Fatalf("plist is not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "dict" {
			return value(se).(plistDict)
		}
	}
}

func plutilLint(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath("plutil"); err == nil {
		if out, err := exec.Command("plutil", "-lint", path).CombinedOutput(); err != nil {
			t.Fatalf("plutil -lint: %v\n%s", err, out)
		}
	}
}

// The contrib launchd plist parses, and its shell command, run with $HOME
// holding ccwake in go/bin, finds it, logs under ~/Library/Logs and passes
// flags ccwake accepts.
func TestLaunchdPlist(t *testing.T) {
	path := filepath.Join("..", "..", "contrib", "launchd", "io.github.ccwake.plist")
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := parsePlist(t, body)
	args, _ := d["ProgramArguments"].([]string)
	if d["Label"] != "io.github.ccwake" || len(args) != 3 || args[0] != "/bin/sh" || args[1] != "-c" {
		t.Fatalf("Label %q, ProgramArguments %q: want io.github.ccwake and /bin/sh -c SCRIPT", d["Label"], args)
	}
	if d["RunAtLoad"] != true || d["StandardErrorPath"] != nil {
		t.Errorf("RunAtLoad %v, StandardErrorPath %v: want true and none (launchd does not expand ~)", d["RunAtLoad"], d["StandardErrorPath"])
	}
	script := args[2]
	if strings.Count(script, "exec ccwake --auto") != 1 {
		t.Fatalf("script %q: want one `exec ccwake --auto`", script)
	}
	home := t.TempDir()
	linkBinary(t, filepath.Join(home, "go", "bin", "ccwake"))
	probe := strings.Replace(script, "exec ccwake", "exec ccwake --print-config", 1)
	cmd := exec.Command("/bin/sh", "-c", probe)
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("the plist's command with --print-config: %v\n%s", err, out)
	}
	out, err := os.ReadFile(filepath.Join(home, "Library", "Logs", "ccwake.launchd.log"))
	want := `log-file = "` + filepath.Join(home, "Library", "Logs", "ccwake.log") + `"`
	if err != nil || !strings.Contains(string(out), "auto = true") || !strings.Contains(string(out), want) {
		t.Fatalf("~/Library/Logs/ccwake.launchd.log: %v\n%s\nwant auto = true and %s", err, out, want)
	}
	plutilLint(t, path)
}

// fakeManager writes a stand-in systemctl or launchctl into dir that
// appends its argv to dir/name.log and prints answer for an argv holding
// key.
func fakeManager(t *testing.T, dir, name, key, answer string) string {
	t.Helper()
	log := filepath.Join(dir, name+".log")
	script := fmt.Sprintf("#!/bin/sh\nprintf '%%s\\n' \"$*\" >> '%s'\ncase \"$*\" in *%s*) printf '%%s\\n' '%s';; esac\n", log, key, answer)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return log
}

func managerCalls(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// `ccwake service install` on Linux writes a unit that runs the binary that
// ran it (here from a directory that is not ~/go/bin, with a space and a %
// in its name), which passes systemd-analyze, and loads it through
// systemctl --user; doctor says it runs; uninstall stops and removes it.
func TestServiceInstallSystemd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary: skipped with -short")
	}
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".claude", "projects"), 0o700); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(home, "opt", "bin dir%x", "ccwake")
	copyBinary(t, sharedBinary(t), bin)
	fake := t.TempDir()
	log := fakeManager(t, fake, "systemctl", "is-active", "active")
	env := []string{"HOME=" + home, "PATH=" + fake + ":/usr/bin:/bin"}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ccwake %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("service", "install")
	unit := filepath.Join(home, ".config", "systemd", "user", "ccwake.service")
	body, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	if got := unitExe(string(body)); got != bin {
		t.Errorf("ExecStart runs %q, want the running binary %q\n%s", got, bin, body)
	}
	if !strings.Contains(unitLine(string(body), "Environment="), filepath.Dir(strings.ReplaceAll(bin, "%", "%%"))) {
		t.Errorf("Environment=%s: want the binary's directory on PATH", unitLine(string(body), "Environment="))
	}
	verifyUnit(t, unit, home)
	want := []string{"--user daemon-reload", "--user enable ccwake.service", "--user restart ccwake.service"}
	if got := managerCalls(t, log); !slices.Equal(got, want) {
		t.Errorf("systemctl calls %q, want %q", got, want)
	}
	if out := run("doctor"); !strings.Contains(out, "ok    service: runs ~/opt/bin dir%x/ccwake --auto") {
		t.Errorf("doctor does not say the service runs:\n%s", out)
	}
	run("service", "uninstall")
	if _, err := os.Stat(unit); !os.IsNotExist(err) {
		t.Errorf("after uninstall: %v", err)
	}
	want = append(want, "--user is-active ccwake.service", "--user disable --now ccwake.service", "--user daemon-reload")
	if got := managerCalls(t, log); !slices.Equal(got, want) {
		t.Errorf("systemctl calls %q, want %q", got, want)
	}
	if out := run("doctor"); !strings.Contains(out, "ok    service: not installed") {
		t.Errorf("doctor after uninstall:\n%s", out)
	}
}

// On macOS, install writes a launchd agent that runs the binary with its
// log in ~/Library/Logs, boots out the old one and bootstraps the new one;
// doctor's state comes from launchctl print; uninstall boots it out.
func TestServiceInstallLaunchd(t *testing.T) {
	home := t.TempDir()
	fake := t.TempDir()
	log := fakeManager(t, fake, "launchctl", "print", "state = running")
	exe := filepath.Join(home, "bin & <tools>", "ccwake")
	linkBinary(t, exe)
	var out bytes.Buffer
	h := &serviceHost{goos: "darwin", home: home, uid: 501, exe: exe, out: &out,
		path: servicePath("darwin", exe, func(string) (string, error) { return "", exec.ErrNotFound }),
		run: func(ctx context.Context, argv ...string) ([]byte, error) {
			bin, err := lookPathIn(argv[0], fake)
			if err != nil {
				return nil, err
			}
			return exec.CommandContext(ctx, bin, argv[1:]...).Output()
		}}
	ctx := context.Background()
	if st := h.state(ctx); st.file != "" || !st.supported {
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
	d := parsePlist(t, body)
	logs := filepath.Join(home, "Library", "Logs")
	args, _ := d["ProgramArguments"].([]string)
	if want := []string{exe, "--auto", "--log-file", filepath.Join(logs, "ccwake.log")}; !slices.Equal(args, want) {
		t.Errorf("ProgramArguments %q, want %q", args, want)
	}
	envs, _ := d["EnvironmentVariables"].(plistDict)
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
	plutilLint(t, path)
	// The agent's arguments are ones ccwake accepts.
	cfg, err := exec.Command(args[0], append(args[1:], "--print-config")...).CombinedOutput()
	if err != nil || !strings.Contains(string(cfg), `log-file = "`+filepath.Join(logs, "ccwake.log")+`"`) {
		t.Errorf("%q --print-config: %v\n%s", args, err, cfg)
	}
	want := []string{"bootout gui/501/io.github.ccwake", "bootstrap gui/501 " + path}
	if got := managerCalls(t, log); !slices.Equal(got, want) {
		t.Errorf("launchctl calls %q, want %q", got, want)
	}
	if st := h.state(ctx); !st.running || st.exe != exe || st.file != path {
		t.Errorf("state after install: %+v", st)
	}
	if err := h.uninstall(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("after uninstall: %v", err)
	}
	want = append(want, "print gui/501/io.github.ccwake", "bootout gui/501/io.github.ccwake")
	if got := managerCalls(t, log); !slices.Equal(got, want) {
		t.Errorf("launchctl calls %q, want %q", got, want)
	}
}

// doctor reads the service's state without needing the running binary:
// this test binary is go's temporary build, which install refuses, yet
// doctor says plainly that no service is installed.
func TestDoctorServiceWithoutBinary(t *testing.T) {
	home := t.TempDir()
	var out bytes.Buffer
	c := &cli{stdout: &out, stderr: &out, getenv: func(k string) string {
		return map[string]string{"HOME": home, "PATH": t.TempDir()}[k]
	}}
	if _, err := runningExe(); err == nil {
		t.Skip("the test binary is not in a go-build directory")
	}
	d := &doctor{w: &out, home: home}
	d.checkService(context.Background(), c)
	if d.warnings+d.failures != 0 || !strings.Contains(out.String(), "service: not installed") {
		t.Errorf("doctor: %d warnings, %d failures:\n%s", d.warnings, d.failures, out.String())
	}
	if err := runService(context.Background(), c, nil, []string{"install"}); err == nil || !strings.Contains(err.Error(), "go run") {
		t.Errorf("install from go's temporary build: %v", err)
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
		if got := unitExe(unit); got != exe {
			t.Errorf("unitExe(ExecStart=%s) = %q, want %q", unitLine(unit, "ExecStart="), got, exe)
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

// linkBinary puts the shared ccwake binary at path.
func linkBinary(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(sharedBinary(t), path); err != nil {
		t.Fatal(err)
	}
}

// copyBinary copies src to dst: os.Executable resolves a link, so a test of
// "the binary that runs" needs a real file.
func copyBinary(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
