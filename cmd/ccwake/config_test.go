package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/status"
)

// settingLine finds "key = value  # source" in --print-config output.
func settingLine(t *testing.T, out, key string) (value, source string) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + ` = (.*?)\s+# (.*)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s in:\n%s", key, out)
	}
	return m[1], m[2]
}

// Every flag can come from the config file, the environment or the command
// line, and the command line wins over the environment, which wins over
// the file; --print-config shows each value and where it came from.
func TestConfigPrecedence(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	root := claudeRoot(t, "v2.1.145-key-429.jsonl")
	path := e.writeConfig(`# mine
claude-dir = ["` + root + `"]
since = "3d"
message = "please go on"
throttle-cap = "45s"
max-attempts = 4
auto = true
all = true
log-file = "~/ccwake.log"
`)
	r := e.run(nil, "--print-config", "--all")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "# config file: "+path) {
		t.Errorf("does not name the file:\n%s", r.stdout)
	}
	for key, want := range map[string][2]string{
		"claude-dir":    {`["` + root + `"]`, "config file"},
		"since":         {`"3d"`, "config file"},
		"message":       {`"please go on"`, "config file"},
		"throttle-cap":  {`"45s"`, "config file"},
		"max-attempts":  {"4", "config file"},
		"auto":          {"true", "config file"},
		"log-file":      {`"` + filepath.Join(e.home, "ccwake.log") + `"`, "config file"},
		"throttle-base": {`"1s"`, "default"},
		"log-format":    {`"text"`, "default"},
	} {
		if v, src := settingLine(t, r.stdout, key); v != want[0] || src != want[1] {
			t.Errorf("%s = %s # %s, want %s # %s", key, v, src, want[0], want[1])
		}
	}
	if strings.Contains(r.stdout, "\nall =") {
		t.Errorf("status's --all printed for the main command:\n%s", r.stdout)
	}

	// The environment beats the file, the command line beats both.
	r = e.run([]string{"CCWAKE_SINCE=2d", "CCWAKE_MESSAGE=env says go", "CCWAKE_AUTO=false"}, "--since", "1d", "--print-config", "--all")
	for key, want := range map[string][2]string{
		"since":        {`"1d"`, "command line"},
		"message":      {`"env says go"`, "$CCWAKE_MESSAGE"},
		"auto":         {"false", "$CCWAKE_AUTO"},
		"max-attempts": {"4", "config file"},
	} {
		if v, src := settingLine(t, r.stdout, key); v != want[0] || src != want[1] {
			t.Errorf("%s = %s # %s, want %s # %s", key, v, src, want[0], want[1])
		}
	}

	// status reads the same file: its root comes from claude-dir, and the
	// main command's auto = true is no error there.
	r = e.run(nil, "status", "--json", "--tmux-socket", e.sock)
	var doc struct {
		Sessions []map[string]any `json:"sessions"`
	}
	if r.code != status.ExitStalled || json.Unmarshal([]byte(r.stdout), &doc) != nil || len(doc.Sessions) != 1 {
		t.Fatalf("status with claude-dir from the config: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	// A bad value in the file names the file and the setting.
	e.writeConfig("throttle-cap = \"0s\"\n")
	r = e.run(nil, "--print-config")
	if r.code != 2 || !strings.Contains(r.stderr, "--throttle-cap (from config file): must be more than 0s") {
		t.Errorf("zero cap in the file: exit %d, %q", r.code, r.stderr)
	}
	e.writeConfig("since = \"-3d\"\n")
	if r = e.run(nil, "status"); r.code != 2 || !strings.Contains(r.stderr, path+": since: must not be negative") {
		t.Errorf("negative since in the file: exit %d, %q", r.code, r.stderr)
	}
	e.writeConfig("sincee = \"3d\"\n")
	if r = e.run(nil, "status"); r.code != 2 || !strings.Contains(r.stderr, `unknown setting "sincee"`) {
		t.Errorf("unknown key: exit %d, %q", r.code, r.stderr)
	}
	e.writeConfig("since = 3\n")
	if r = e.run(nil, "status"); r.code != 2 || !strings.Contains(r.stderr, "want a number with a unit") {
		t.Errorf("number for a duration: exit %d, %q", r.code, r.stderr)
	}
	e.writeConfig("since = \"3d\"\nsince = \"4d\"\n")
	if r = e.run(nil, "status"); r.code != 2 || !strings.Contains(r.stderr, path) {
		t.Errorf("invalid TOML: exit %d, %q", r.code, r.stderr)
	}
	e.writeConfig("config = \"/elsewhere.toml\"\n")
	if r = e.run(nil, "status"); r.code != 2 || !strings.Contains(r.stderr, `"config" cannot be set in the config file`) {
		t.Errorf("config in config: exit %d, %q", r.code, r.stderr)
	}
	if r = e.run(nil, "--config", filepath.Join(e.dir, "nope.toml"), "status"); r.code != 2 || !strings.Contains(r.stderr, "nope.toml") {
		t.Errorf("missing --config file: exit %d, %q", r.code, r.stderr)
	}
}

// --print-config's output is a config file that gives the same settings.
func TestPrintConfigRoundTrip(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	root := claudeRoot(t)
	first := e.run([]string{"CLAUDE_CONFIG_DIR=" + root}, "--since", "36h", "--message", `say "go" \ on`, "--seed", "7",
		"--overloaded-cap", "90s", "--dry-run", "--print-config", "--all")
	if first.code != 0 {
		t.Fatalf("exit %d: %s", first.code, first.stderr)
	}
	saved := filepath.Join(e.dir, "saved.toml")
	if err := os.WriteFile(saved, []byte(first.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	second := e.run(nil, "--config", saved, "--print-config", "--all")
	if second.code != 0 {
		t.Fatalf("reading it back: exit %d: %s", second.code, second.stderr)
	}
	values := func(out string) []string {
		var v []string
		for _, l := range strings.Split(out, "\n") {
			if k, rest, ok := strings.Cut(l, " = "); ok && !strings.HasPrefix(l, "#") {
				val, _, _ := strings.Cut(rest, "  #")
				v = append(v, k+"="+strings.TrimSpace(val))
			}
		}
		return v
	}
	a, b := values(first.stdout), values(second.stdout)
	if strings.Join(a, "\n") != strings.Join(b, "\n") || len(a) < 15 {
		t.Fatalf("round trip differs:\n%s\n---\n%s", first.stdout, second.stdout)
	}
}

// Issue 18 item 12: --print-config writes only what differs from the
// defaults, so a saved config does not freeze this machine's paths (the
// Claude root, the log file) or today's defaults; a setting given its
// default value is no difference either. Read back, it gives the same.
func TestPrintConfigOnlyDiffers(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	root := claudeRoot(t)
	r := e.run([]string{"CLAUDE_CONFIG_DIR=" + root}, "--auto", "--since", "3d", "--throttle-base", "1s", "--print-config")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for key, want := range map[string]string{"auto": "true", "since": `"3d"`} {
		if v, src := settingLine(t, r.stdout, key); v != want || src != "command line" {
			t.Errorf("%s = %s # %s, want %s # command line", key, v, src, want)
		}
	}
	for _, absent := range []string{"claude-dir", "log-file", "throttle-base", "throttle-cap", "message", "max-attempts", "log-format", "all"} {
		if regexp.MustCompile(`(?m)^` + absent + ` =`).MatchString(r.stdout) {
			t.Errorf("%s printed, though at its default:\n%s", absent, r.stdout)
		}
	}
	if strings.Contains(r.stdout, root) || strings.Contains(r.stdout, e.home) {
		t.Errorf("a path of this machine is in the config:\n%s", r.stdout)
	}
	saved := filepath.Join(e.dir, "saved.toml")
	if err := os.WriteFile(saved, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	back := e.run(nil, "--config", saved, "--print-config")
	if back.code != 0 {
		t.Fatalf("reading it back: exit %d: %s", back.code, back.stderr)
	}
	for _, key := range []string{"auto", "since"} {
		v1, _ := settingLine(t, r.stdout, key)
		if v2, src := settingLine(t, back.stdout, key); v2 != v1 || src != "config file" {
			t.Errorf("read back: %s = %s # %s, want %s # config file", key, v2, src, v1)
		}
	}

	// Nothing set: nothing to write but the note that all is default.
	none := e.run(nil, "--print-config")
	if none.code != 0 || !strings.Contains(none.stdout, "every setting is at its default") || strings.Contains(none.stdout, " = ") {
		t.Errorf("no settings: exit %d\n%s", none.code, none.stdout)
	}
}
