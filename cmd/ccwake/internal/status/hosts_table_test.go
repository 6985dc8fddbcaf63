package status

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// The hosts table's RESUME column says a resume on another day with its
// date (resume.HumanTime, as the local table does): a bare time of day
// would read as today.
func TestHostTableResumeOnAnotherDayHasItsDate(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name string
		at   time.Time
		want string
	}{
		{"two days on", now.Add(48 * time.Hour), now.Add(48 * time.Hour).Local().Format("Jan 2 15:04:05")},
		// A time already past is "due", as `ccwake status` says (the hosts
		// table prints status's columns, issue 18 item 11).
		{"two days ago", now.Add(-48 * time.Hour), "due"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := resume.Status{
				Session:  watch.Session{ID: "0123456789abcdef", State: watch.Stalled, Kind: classify.UsageLimit, Cwd: "/w/p"},
				Phase:    resume.Waiting,
				ResumeAt: tc.at,
			}
			var out bytes.Buffer
			c := &Options{Stdout: &out, Stderr: io.Discard, Getenv: os.Getenv, Now: time.Now, Loc: time.Local}
			if err := writeHostTable(c, []HostStatus{{Host: "h1", Sessions: []remote.Session{remote.FromStatus(st, 0)}}}, false); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Errorf("no %q in the table:\n%s", tc.want, out.String())
			}
		})
	}
}

// Another machine's transcripts reach this terminal through `status --host`:
// no raw control characters, as for local sessions.
func TestHostTableNoTerminalControls(t *testing.T) {
	evil := "/w/\x1b]52;c;ZXZpbA==\a\x1b[2J"
	st := resume.Status{
		Session: watch.Session{ID: "0123456789abcdef", State: watch.Stalled, Kind: classify.Throttle, Cwd: evil},
		Phase:   resume.Waiting, Pane: "tmux:%1\x1b[31m",
	}
	var out bytes.Buffer
	c := &Options{Stdout: &out, Stderr: io.Discard, Getenv: os.Getenv, Now: time.Now, Loc: time.Local}
	hosts := []HostStatus{{Host: "h1", Sessions: []remote.Session{remote.FromStatus(st, 0)}}}
	if err := writeHostTable(c, hosts, false); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\a") || !strings.Contains(out.String(), "/w/") {
		t.Errorf("table holds raw control characters:\n%q", out.String())
	}
}
