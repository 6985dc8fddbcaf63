package kitty

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEncodeFramesASCIIJSON(t *testing.T) {
	b, err := Encode("send-text", map[string]any{"match": "id:3", "data": "text:fix ❯ é 😀"}, true)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "\x1bP@kitty-cmd{") || !strings.HasSuffix(s, "}\x1b\\") {
		t.Fatalf("frame %q", s)
	}
	body := strings.TrimSuffix(strings.TrimPrefix(s, "\x1bP@kitty-cmd"), "\x1b\\")
	for _, r := range body {
		if r > 127 {
			t.Fatalf("non-ASCII %q in %q", r, body)
		}
	}
	var cmd struct {
		Cmd        string         `json:"cmd"`
		Version    []int          `json:"version"`
		NoResponse bool           `json:"no_response"`
		Payload    map[string]any `json:"payload"`
	}
	if err := json.Unmarshal([]byte(body), &cmd); err != nil {
		t.Fatal(err)
	}
	if cmd.Cmd != "send-text" || !cmd.NoResponse || cmd.Payload["data"] != "text:fix ❯ é 😀" || len(cmd.Version) != 3 {
		t.Errorf("decoded %+v", cmd)
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		data    string
		wantErr bool
	}{
		{"\x1bP@kitty-cmd{\"ok\": true, \"data\": \"hi\"}\x1b\\", true, `"hi"`, false},
		{"\x1bP@kitty-cmd{\"ok\": false, \"error\": \"No matching windows for expression: id:9\"}\x1b\\", false, "", false},
		{"{\"ok\": true}", false, "", true},
		{"\x1bP@kitty-cmd{\"ok\": true", false, "", true},
		{"\x1bP@kitty-cmdnot json\x1b\\", false, "", true},
	}
	for _, tt := range tests {
		r, err := Decode([]byte(tt.in))
		if (err != nil) != tt.wantErr || r.OK != tt.ok || string(r.Data) != tt.data {
			t.Errorf("Decode(%q) = %+v, %v", tt.in, r, err)
		}
	}
}

func TestParseLS(t *testing.T) {
	out := `[{"id":1,"tabs":[{"id":1,"windows":[{"id":1,"pid":100,"cwd":"/tmp"},{"id":4,"pid":200}]},{"id":2,"windows":[{"id":7,"pid":300}]}]}]`
	panes, err := ParseLS([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range panes {
		got = append(got, p.ID+"@"+p.Window)
	}
	if strings.Join(got, " ") != "1@1 4@1 7@2" || panes[1].PID != 200 {
		t.Errorf("ParseLS = %+v", panes)
	}
	if _, err := ParseLS([]byte("nope")); err == nil {
		t.Error("ParseLS(garbage): no error")
	}
}
