package status

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// `status --host` prints the columns `status` prints, in the same layout
// for the same width, with HOST first.
func TestHostTableHasStatusColumns(t *testing.T) {
	now := time.Now()
	st := resume.Status{
		Session:  watch.Session{ID: "0123456789abcdef", State: watch.Stalled, Kind: classify.UsageLimit, Cwd: "/w/proj", Message: "You've hit your limit", Attempts: 1, StalledAt: now.Add(-time.Minute)},
		Phase:    resume.Waiting,
		ResumeAt: now.Add(time.Hour),
		Pane:     "tmux:%1",
	}
	for _, cols := range []string{"", "100"} {
		getenv := func(k string) string {
			if k == "COLUMNS" {
				return cols
			}
			return ""
		}
		var local, hosts bytes.Buffer
		c := &Options{Stdout: &local, Stderr: io.Discard, Getenv: getenv, Now: time.Now, Loc: time.Local}
		if err := writeStatus(c, []statusRow{{Session: st.Session, Phase: st.Phase, ResumeAt: st.ResumeAt, Pane: st.Pane}}, now); err != nil {
			if _, ok := err.(ExitStatus); !ok {
				t.Fatal(err)
			}
		}
		c.Stdout = &hosts
		if err := writeHostTable(c, []HostStatus{{Host: "box", Sessions: []remote.Session{remote.FromStatus(st, 0)}}}, false); err != nil {
			t.Fatal(err)
		}
		lh := strings.Fields(strings.SplitN(local.String(), "\n", 2)[0])
		hh := strings.Fields(strings.SplitN(hosts.String(), "\n", 2)[0])
		if len(hh) == 0 || hh[0] != "HOST" || strings.Join(hh[1:], " ") != strings.Join(lh, " ") {
			t.Errorf("COLUMNS=%q: hosts header %q, want HOST then status's %q\n%s\n%s", cols, hh, lh, local.String(), hosts.String())
		}
		if !strings.Contains(hosts.String(), "box") || !strings.Contains(hosts.String(), "tmux:") {
			t.Errorf("hosts table:\n%s", hosts.String())
		}
	}
}
