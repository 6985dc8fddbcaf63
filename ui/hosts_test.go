package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// TestHostsHeaderAndColumn: with --host the header says each host's
// connection (why and when it tries again when it is not up), and the HOST
// column appears only when some row runs on another machine.
func TestHostsHeaderAndColumn(t *testing.T) {
	retry := time.Date(2026, 1, 1, 14, 20, 5, 0, time.Local)
	tests := []struct {
		name  string
		hosts []resume.HostInfo
		want  []string
	}{
		{"none", nil, nil},
		{"all up", []resume.HostInfo{{Name: "box", State: "up"}}, []string{"hosts: box up"}},
		{"each failure says why", []resume.HostInfo{
			{Name: "box", State: "up"},
			{Name: "vm", State: "missing", Detail: "no ccwake on the remote: bash: ccwake: command not found", RetryAt: retry},
			{Name: "old", State: "too old", Detail: "remote ccwake v0.1 speaks protocol 0"},
		}, []string{"box up", "vm missing: no ccwake on the remote", "next try 14:20:05", "old too old: remote ccwake v0.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := headerView(headerData{snap: resume.Snapshot{Auto: true, Hosts: tt.hosts}}, NewStyles(true, true), 300)
			text := strings.Join(lines, "\n")
			if tt.hosts == nil && strings.Contains(text, "hosts:") {
				t.Errorf("a hosts line without --host:\n%s", text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("header lacks %q:\n%s", w, text)
				}
			}
		})
	}

	st := func(id, host string) resume.Status {
		return resume.Status{Session: watch.Session{ID: id, State: watch.Stalled, Cwd: "/w/p"}, Phase: resume.Waiting, Host: host}
	}
	hasHost := func(rows []row) bool {
		tm := tableModel{}.setSize(120, 10).setRows(rows)
		return strings.Contains(tm.view(NewStyles(true, true), ""), "HOST")
	}
	c := rowCtx{now: time.Now(), loc: time.Local, recent: time.Minute}
	local := buildRows(resume.Snapshot{Sessions: []resume.Status{st("a", "")}}, c)
	if hasHost(local) {
		t.Errorf("HOST column shown with local rows only")
	}
	mixed := buildRows(resume.Snapshot{Sessions: []resume.Status{st("a", ""), st("b", "box")}}, c)
	if !hasHost(mixed) {
		t.Errorf("no HOST column with a remote row")
	}
	if mixed[0].cells[colHost]+mixed[1].cells[colHost] != "box" {
		t.Errorf("host cells %q %q: want box on the remote row only", mixed[0].cells[colHost], mixed[1].cells[colHost])
	}
}
