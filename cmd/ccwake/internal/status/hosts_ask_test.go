package status

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeSSH is an "ssh" that runs the remote command with sh on this
// machine: argv is sh -c SCRIPT sh -T HOST REMOTE, so $3 is the command.
// The real sshd runs in cmd/ccwake's tests.
var fakeSSH = []string{"sh", "-c", `eval "$3"`, "sh"}

// fakeRemote is a "ccwake" for --remote-ccwake: a shell function that
// records its arguments and answers as a ccwake of this version does
// (`serve --stdio --status`: a hello, then one update with the sessions
// given), then waits for its stdin to close.
func fakeRemote(argsFile, sessions string) string {
	return `ccw() { echo "$*" > ` + argsFile + `; ` +
		`echo '{"hello":{"version":"v9","host":"box","proto":1}}'; ` +
		`echo '{"update":{"host":"box","version":"v9","time":"2026-01-01T00:00:00Z","auto":false,"transcripts":1,"sessions":[` + sessions + `]}}'; ` +
		`cat >/dev/null; }; ccw`
}

const (
	waitingSession = `{"session_id":"w1","cwd":"/w","transcript":"/t/w1.jsonl","state":"stalled","kind":"throttle","attempts":1,"phase":"waiting"}`
	fatalSession   = `{"session_id":"f1","cwd":"/w","transcript":"/t/f1.jsonl","state":"stalled","kind":"fatal","attempts":0,"phase":"fatal"}`
)

// TestStatusHostsThroughAsk: `status --host` asks each host with
// remote.Ask to run `ccwake serve --stdio --status` (plus --all), prints
// its rows, and says why a host did not answer in remote's words (no
// ccwake there, a ccwake too old for --status, output that is not
// ccwake's), one line each on stderr or as "error" in the JSON. The exit
// status: 4 (needs a human) beats 1 (a host failed) beats 3 (stalled).
func TestStatusHostsThroughAsk(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, ".claude")
	if err := os.MkdirAll(filepath.Join(root, "projects"), 0o700); err != nil {
		t.Fatal(err)
	}
	args := filepath.Join(dir, "args")
	old := `ccw() { echo 'ccwake: unknown flag --status' >&2; echo "see 'ccwake serve --help'" >&2; exit 2; }; ccw`
	tests := []struct {
		name   string
		remote string
		all    bool
		code   int    // 0: nil
		errs   string // in the host's error; "" for none
		rows   int
	}{
		{"waiting", fakeRemote(args, waitingSession), false, ExitStalled, "", 1},
		{"needs a human", fakeRemote(args, waitingSession+","+fatalSession), true, ExitNeedsHuman, "", 2},
		{"nothing stalled", fakeRemote(args, ""), false, 0, "", 0},
		{"no ccwake there", "no-such-ccwake-here", false, 1, "no ccwake on the remote", 0},
		{"too old", old, false, 1, "too old (ccwake: unknown flag --status)", 0},
		{"garbage", `echo '<html>Welcome</html>'; true`, false, 1, `not ccwake's protocol: "<html>Welcome</html>"`, 0},
	}
	for _, tt := range tests {
		for _, js := range []bool{false, true} {
			name := tt.name
			if js {
				name += ", json"
			}
			t.Run(name, func(t *testing.T) {
				_ = os.Remove(args)
				var out, errs bytes.Buffer
				err := Run(context.Background(), Options{
					Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }, Now: time.Now, Loc: time.UTC,
					JSON: js, All: tt.all, Roots: []string{root}, Since: time.Hour,
					Hosts: []string{"box"}, SSH: fakeSSH, RemoteCCWake: tt.remote, Host: "here",
					Settings: func() any { return nil },
				})
				code := 0
				switch es, ok := errors.AsType[ExitStatus](err); {
				case ok:
					code = int(es)
				case errors.Is(err, ErrHostFailed):
					code = 1
				case err != nil:
					t.Fatalf("Run: %v", err)
				}
				if code != tt.code {
					t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out.String(), errs.String())
				}
				if tt.errs == "" {
					want := "serve --stdio --status"
					if tt.all {
						want += " --all"
					}
					if b, _ := os.ReadFile(args); strings.TrimSpace(string(b)) != want {
						t.Errorf("the remote ran with %q, want %q", b, want)
					}
				}
				if !js {
					if tt.errs != "" && (!strings.HasPrefix(errs.String(), "ccwake: box: ") || !strings.Contains(errs.String(), tt.errs)) {
						t.Errorf("stderr %q: want it to say %q", errs.String(), tt.errs)
					}
					if got := strings.Count(out.String(), "\nbox "); got != tt.rows {
						t.Errorf("%d rows of box, want %d:\n%s", got, tt.rows, out.String())
					}
					return
				}
				var got struct{ Hosts []HostStatus }
				if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got.Hosts) != 2 || !got.Hosts[0].Local {
					t.Fatalf("--json: %v\n%s", err, out.String())
				}
				h := got.Hosts[1]
				switch {
				case h.Host != "box" || len(h.Sessions) != tt.rows || h.Sessions == nil:
					t.Errorf("box: %+v, want %d sessions", h, tt.rows)
				case tt.errs == "" && h.Error != nil, tt.errs != "" && (h.Error == nil || !strings.Contains(*h.Error, tt.errs)):
					t.Errorf("box's error %v, want %q", h.Error, tt.errs)
				}
				if errs.Len() != 0 {
					t.Errorf("--json printed on stderr: %q", errs.String())
				}
			})
		}
	}
}
