package resume

import (
	"os"
	"path/filepath"
	"testing"
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
		path := filepath.Join("..", "testdata", "panes", "sessionfiles", tt.file)
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
