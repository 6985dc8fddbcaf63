package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/service"
	"github.com/ccwake/ccwake/cmd/ccwake/internal/service/servicetest"
)

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
	t.Parallel()
	unit, err := filepath.Abs(filepath.Join("..", "..", "contrib", "systemd", "ccwake.service"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	argv := strings.Fields(servicetest.UnitLine(string(body), "ExecStart="))
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

// The contrib launchd plist parses, and its shell command, run with $HOME
// holding ccwake in go/bin, finds it, logs under ~/Library/Logs and passes
// flags ccwake accepts.
func TestLaunchdPlist(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "contrib", "launchd", "io.github.ccwake.plist")
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := servicetest.ParsePlist(t, body)
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
	servicetest.PlutilLint(t, path)
}

// `ccwake service install` on Linux writes a unit that runs the binary that
// ran it (here from a directory that is not ~/go/bin, with a space and a %
// in its name), which passes systemd-analyze, and loads it through
// systemctl --user; doctor says it runs; uninstall stops and removes it.
func TestServiceInstallSystemd(t *testing.T) {
	t.Parallel()
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
	log := servicetest.FakeManager(t, fake, "systemctl", "is-active", "active")
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
	if got := service.UnitExe(string(body)); got != bin {
		t.Errorf("ExecStart runs %q, want the running binary %q\n%s", got, bin, body)
	}
	if !strings.Contains(servicetest.UnitLine(string(body), "Environment="), filepath.Dir(strings.ReplaceAll(bin, "%", "%%"))) {
		t.Errorf("Environment=%s: want the binary's directory on PATH", servicetest.UnitLine(string(body), "Environment="))
	}
	verifyUnit(t, unit, home)
	want := []string{"--user daemon-reload", "--user enable ccwake.service", "--user restart ccwake.service"}
	if got := servicetest.ManagerCalls(t, log); !slices.Equal(got, want) {
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
	if got := servicetest.ManagerCalls(t, log); !slices.Equal(got, want) {
		t.Errorf("systemctl calls %q, want %q", got, want)
	}
	if out := run("doctor"); !strings.Contains(out, "ok    service: not installed") {
		t.Errorf("doctor after uninstall:\n%s", out)
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
