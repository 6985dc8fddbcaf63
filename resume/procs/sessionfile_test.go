package procs

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ccwake/ccwake/internal/testwait"
)

func TestReadSessionFileFixtures(t *testing.T) {
	tests := []struct {
		file string
		want SessionFile
	}{
		{"i-v2.1.145-oauth-throttle-sessionfile.json", SessionFile{PID: 13248, SessionID: "19363cf1-0b3c-4455-af79-a21503c3cb44",
			Cwd: "/home/dev/work", ProcStart: "626300", Version: "2.1.145", Kind: "interactive"}},
		{"i-v2.1.330-oauth-throttle-x2-sessionfile.json", SessionFile{PID: 13071, SessionID: "30e8c311-5fb6-44b2-9a8e-91d825bfeb21",
			Cwd: "/home/dev/work", ProcStart: "626194", Version: "2.1.330", Kind: "interactive", Tmux: "cc:@0.%0"}},
	}
	for _, tt := range tests {
		path := filepath.Join("..", "..", "testdata", "panes", "sessionfiles", tt.file)
		got, err := ReadSessionFile(path)
		tt.want.Path = path
		if err != nil || got != tt.want {
			t.Errorf("ReadSessionFile(%s) = %+v, %v; want %+v", tt.file, got, err, tt.want)
		}
	}
}

func TestParseSessionFile(t *testing.T) {
	tests := []struct {
		json      string
		pid       int
		procStart string
		wantErr   bool
	}{
		{`{"pid":1,"sessionId":"s","procStart":626300}`, 1, "626300", false},
		{`{"pid":"2","sessionId":"s","procStart":"7"}`, 2, "7", false},
		{`{"pid":3,"sessionId":"s"}`, 3, "", false},
		{`{"pid":3,"sessionId":"s","procStart":null}`, 3, "", false},
		{`{"pid":0,"sessionId":"s"}`, 0, "", true},
		{`{"pid":3}`, 0, "", true},
		{`{"pid":3,"sessionId":"s"`, 0, "", true},
		{``, 0, "", true},
	}
	for _, tt := range tests {
		got, err := parseSessionFile("x.json", []byte(tt.json))
		if (err != nil) != tt.wantErr || got.PID != tt.pid || got.ProcStart != tt.procStart {
			t.Errorf("parseSessionFile(%s) = %+v, %v", tt.json, got, err)
		}
	}
}

func TestFindSessionFiles(t *testing.T) {
	root := t.TempDir()
	if files, err := FindSessionFiles(root, "s1"); err != nil || len(files) != 0 {
		t.Errorf("no sessions dir: %v, %v; want none and no error", files, err)
	}
	dir := filepath.Join(root, "sessions")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"10.json":  `{"pid":10,"sessionId":"s1","procStart":"5"}`,
		"11.json":  `{"pid":11,"sessionId":"s2","procStart":"6"}`,
		"12.json":  `{"pid":12,"sessionId":"s1"`, // truncated: skipped
		"notes.md": `{"pid":13,"sessionId":"s1"}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := FindSessionFiles(root, "s1")
	if err != nil || len(files) != 1 || files[0].PID != 10 {
		t.Errorf("FindSessionFiles = %+v, %v; want only pid 10", files, err)
	}
	if got := SessionFilePath(root, 10); got != filepath.Join(dir, "10.json") {
		t.Errorf("SessionFilePath = %s", got)
	}
}

func TestParseTmuxField(t *testing.T) {
	tests := []struct {
		in                    string
		session, window, pane string
		wantErr               bool
	}{
		{"cc:@0.%0", "cc", "@0", "%0", false},
		{"my:odd.name:@12.%345", "my:odd.name", "@12", "%345", false},
		{"cc:@0", "", "", "", true},
		{"cc.%0", "", "", "", true},
		{"cc:@x.%0", "", "", "", true},
		{"cc:@1.%y", "", "", "", true},
		{"", "", "", "", true},
	}
	for _, tt := range tests {
		s, w, p, err := ParseTmuxField(tt.in)
		if (err != nil) != tt.wantErr || s != tt.session || w != tt.window || p != tt.pane {
			t.Errorf("ParseTmuxField(%q) = %q %q %q %v", tt.in, s, w, p, err)
		}
	}
}

// FuzzParseSessionFile: any file content never panics; accepted files have
// a pid and a session id.
func FuzzParseSessionFile(f *testing.F) {
	f.Add(`{"pid":13071,"sessionId":"s","procStart":"626194","tmux":"cc:@0.%0"}`)
	f.Add(`{"pid":"1","sessionId":"s","procStart":5}`)
	f.Fuzz(func(t *testing.T, data string) {
		sf, err := parseSessionFile("x.json", []byte(data))
		if err == nil && (sf.PID <= 0 || sf.SessionID == "") {
			t.Errorf("accepted %q as %+v", data, sf)
		}
		_, _, _, _ = ParseTmuxField(sf.Tmux)
	})
}

// A sessions dir holding things Claude Code never writes: a FIFO named
// <pid>.json (reading it used to block the engine until a writer came), a
// directory, a huge file, a deeply nested one. FindSessionFiles returns
// promptly with only the real file.
func TestFindSessionFilesBadEntries(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "sessions")
	if err := os.MkdirAll(filepath.Join(dir, "444.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "111.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Lets a reader stuck on the FIFO (the bug) go, so a failing run ends.
		if f, err := os.OpenFile(fifo, os.O_RDWR, 0); err == nil {
			f.Close()
		}
	})
	valid := `{"pid":555,"sessionId":"s1","cwd":"/w","procStart":"9","version":"2.1.330","kind":"interactive"}`
	files := map[string]string{
		"222.json": `{"pid":222,"sessionId":"s1"}` + strings.Repeat(" ", 1<<20),
		"333.json": `{"pid":333,"sessionId":"s1","x":` + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000) + `}`,
		"555.json": valid,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	type result struct {
		sfs []SessionFile
		err error
	}
	done := make(chan result, 1)
	go func() {
		sfs, err := FindSessionFiles(root, "s1")
		done <- result{sfs, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-testwait.After(t):
		t.Fatal("FindSessionFiles still running after 10 s")
	}
	if r.err != nil || len(r.sfs) != 1 || r.sfs[0].PID != 555 {
		t.Fatalf("FindSessionFiles = %+v, %v; want only pid 555", r.sfs, r.err)
	}
	for _, name := range []string{"111.json", "222.json", "333.json", "444.json"} {
		if _, err := ReadSessionFile(filepath.Join(dir, name)); err == nil {
			t.Errorf("ReadSessionFile(%s) accepted it", name)
		}
	}
}
