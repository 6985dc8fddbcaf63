package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The systemd user unit passes `systemd-analyze verify --user` without a
// warning, and its ExecStart's flags are ones ccwake accepts.
func TestSystemdUnit(t *testing.T) {
	unit, err := filepath.Abs(filepath.Join("..", "..", "contrib", "systemd", "ccwake.service"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	var exec0 string
	for _, l := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(l, "ExecStart="); ok {
			exec0 = v
		}
	}
	argv := strings.Fields(exec0)
	if len(argv) < 2 || argv[0] != "%h/go/bin/ccwake" || !contains(argv, "--auto") {
		t.Fatalf("ExecStart=%s: want %%h/go/bin/ccwake --auto …", exec0)
	}
	// The unit's home: ccwake where `make install` puts it.
	home := t.TempDir()
	bin := filepath.Join(home, "go", "bin", "ccwake")
	linkBinary(t, bin)
	out, err := exec.Command(bin, append(argv[1:], "--print-config")...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "auto = true") {
		t.Fatalf("ccwake %v --print-config: %v\n%s", argv[1:], err, out)
	}

	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed: the unit is not verified")
	}
	run := filepath.Join(home, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("systemd-analyze", "verify", "--user", unit)
	cmd.Env = []string{"HOME=" + home, "XDG_RUNTIME_DIR=" + run, "PATH=" + os.Getenv("PATH")}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("systemd-analyze verify --user: %v\n%s", err, stderr.String())
	}
}

// The launchd plist is well-formed, and its shell command, run with $HOME
// holding ccwake in go/bin, finds it and passes flags ccwake accepts.
func TestLaunchdPlist(t *testing.T) {
	path := filepath.Join("..", "..", "contrib", "launchd", "io.github.ccwake.plist")
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Dict struct {
			Inner []byte `xml:",innerxml"`
		} `xml:"dict"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	// The top dict's keys and values, in order.
	type entry struct {
		Key   string
		Value string
		Array []string
	}
	dec := xml.NewDecoder(bytes.NewReader(doc.Dict.Inner))
	var entries []entry
	var cur *entry
	var inArray bool
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "array" {
				inArray = false
			}
			continue
		}
		switch se.Name.Local {
		case "key":
			var k string
			if err := dec.DecodeElement(&k, &se); err != nil {
				t.Fatal(err)
			}
			if !inArray {
				entries = append(entries, entry{Key: k})
				cur = &entries[len(entries)-1]
			}
		case "array":
			inArray = true
		case "string":
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				t.Fatal(err)
			}
			if inArray {
				cur.Array = append(cur.Array, s)
			} else if cur != nil && cur.Value == "" {
				cur.Value = s
			}
		}
	}
	var label string
	var args []string
	for _, e := range entries {
		switch e.Key {
		case "Label":
			label = e.Value
		case "ProgramArguments":
			args = e.Array
		}
	}
	if label != "io.github.ccwake" || len(args) != 3 || args[0] != "/bin/sh" || args[1] != "-c" {
		t.Fatalf("Label %q, ProgramArguments %q: want io.github.ccwake and /bin/sh -c SCRIPT", label, args)
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
	out, err := cmd.CombinedOutput()
	want := `log-file = "` + filepath.Join(home, "Library", "Logs", "ccwake.log") + `"`
	if err != nil || !strings.Contains(string(out), "auto = true") || !strings.Contains(string(out), want) {
		t.Fatalf("the plist's command with --print-config: %v\n%s\nwant auto = true and %s", err, out, want)
	}
	if _, err := exec.LookPath("plutil"); err == nil {
		if out, err := exec.Command("plutil", "-lint", path).CombinedOutput(); err != nil {
			t.Fatalf("plutil -lint: %v\n%s", err, out)
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
