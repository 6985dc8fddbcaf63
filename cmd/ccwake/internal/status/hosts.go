package status

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ccwake/ccwake/internal/termsafe"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// hostTimeout bounds one host's answer over ssh: its hello and its first
// update.
const hostTimeout = 30 * time.Second

// HostStatus is one machine's answer to `status --host`.
type HostStatus struct {
	Host     string           `json:"host"`
	Local    bool             `json:"local,omitempty"`
	Error    *string          `json:"error"`
	Sessions []remote.Session `json:"sessions"`
}

// runStatusHosts is `ccwake status --host …`: this machine's status and
// every host's (`ssh -T host ccwake serve --stdio --status`, all at once,
// each within hostTimeout), as one table or one JSON object. A host that fails
// is an error line (and exit status 1); the others still print.
func runStatusHosts(ctx context.Context, o *Options) error {
	out := make([]HostStatus, len(o.Hosts)+1)
	var wg sync.WaitGroup
	for i, h := range o.Hosts {
		wg.Go(func() { out[i+1] = hostStatus(ctx, o, h) })
	}
	out[0] = localStatus(ctx, o)
	wg.Wait()

	failed := false
	for _, h := range out {
		if h.Error != nil {
			failed = true
			if !o.JSON {
				fmt.Fprintf(o.Stderr, "ccwake: %s: %s\n", h.Host, termsafe.String(*h.Error)) // ssh's stderr, the host's words
			}
		}
	}
	var err error
	if o.JSON {
		err = writeIndentedJSON(o.Stdout, struct {
			Hosts []HostStatus `json:"hosts"`
		}{out})
	} else {
		err = writeHostTable(o, out, failed)
	}
	if err != nil {
		return err
	}
	// A session that needs a human outranks an unreachable host: 4 stays 4
	// (the failure is on stderr); then the failure (1); then stalled (3).
	code := statusExit(hostRows(out))
	if es, ok := errors.AsType[ExitStatus](code); ok && es == ExitNeedsHuman {
		return code
	}
	if failed {
		return ErrHostFailed
	}
	return code
}

// localStatus is what `status --json` says about this machine.
func localStatus(ctx context.Context, o *Options) HostStatus {
	hs := HostStatus{Host: o.Host, Local: true, Sessions: []remote.Session{}}
	if !o.All {
		if rows, ok := statusFromService(ctx, o); ok { // the service's answer, from its memory
			for _, r := range rows {
				hs.Sessions = append(hs.Sessions, remote.FromStatus(r.status(), 0))
			}
			return hs
		}
	}
	roots, err := o.Roots, o.RootsErr
	if err != nil {
		hs.Error = remote.Str(err.Error())
		return hs
	}
	sessions, _, err := watch.Scan(ctx, watch.Config{Roots: roots, Since: o.Since, Loc: o.Loc, Now: o.Now})
	if err != nil {
		hs.Error = remote.Str(err.Error())
		return hs
	}
	var rows []statusRow
	for _, s := range sessions {
		if o.All || s.State == watch.Stalled {
			rows = append(rows, statusRow{Session: s})
		}
	}
	sortRows(rows)
	annotate(ctx, rows, o, o.Now(), true)
	slices.SortStableFunc(rows, func(a, b statusRow) int { return resume.CompareStatus(a.status(), b.status()) })
	for _, r := range rows {
		hs.Sessions = append(hs.Sessions, remote.FromStatus(r.status(), 0))
	}
	return hs
}

// hostStatus asks host for its status: remote.Ask (the dashboard's ssh
// path, one attempt) running `ccwake serve --stdio --status` there, which
// answers as `ccwake status --json` would and never types. Why a host did
// not answer is remote's reading of it, in the dashboard's words: no
// ccwake there, too old, not ccwake's output, no answer in time, or ssh's
// last error line.
func hostStatus(ctx context.Context, o *Options, host string) HostStatus {
	hs := HostStatus{Host: host, Sessions: []remote.Session{}}
	rc := o.RemoteCCWake + " serve --stdio --status"
	if o.All {
		rc += " --all"
	}
	_, u, err := remote.Ask(ctx, remote.Config{Host: host, SSH: o.SSH, Remote: rc, Handshake: hostTimeout})
	if err != nil {
		hs.Error = remote.Str(err.Error())
		return hs
	}
	if u.Sessions != nil {
		hs.Sessions = u.Sessions
	}
	return hs
}

// hostRows are every host's sessions as status rows, with their host.
func hostRows(hosts []HostStatus) []statusRow {
	var rows []statusRow
	for _, h := range hosts {
		for _, s := range h.Sessions {
			st := s.Status()
			rows = append(rows, statusRow{Session: st.Session, Phase: st.Phase, ResumeAt: st.ResumeAt, Pane: st.Pane, PaneErr: st.PaneErr, Host: h.Host})
		}
	}
	return rows
}

// writeHostTable prints every host's sessions in one table: the columns
// `ccwake status` prints (the same layout for the same width), with HOST
// first.
func writeHostTable(o *Options, hosts []HostStatus, failed bool) error {
	rows := termsafeRows(hostRows(hosts)) // another machine's transcripts: no raw control characters
	if len(rows) == 0 {
		msg := "nothing stalled on any host"
		if failed {
			msg = "nothing stalled on the hosts that answered"
		}
		_, err := fmt.Fprintln(o.Stdout, msg)
		return err
	}
	width, wide := statusWidth(&Options{Stdout: o.Stdout, Getenv: o.Getenv}) // --wide is not asked of hosts
	tc := tableCtx{now: o.Now(), loc: o.Loc}
	host := statusCol{"HOST", 16, func(r statusRow) string { return termsafe.String(r.Host) }}
	return writeCols(o.Stdout, rows, append([]statusCol{host}, statusCols(tc, wide)...), width, wide)
}
