package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/ccwake/ccwake/internal/termsafe"
	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/ui"
	"github.com/ccwake/ccwake/watch"
)

// hostTimeout bounds one host's `ccwake status` over ssh.
const hostTimeout = 30 * time.Second

// hostStatus is one machine's answer to `status --host`.
type hostStatus struct {
	Host     string           `json:"host"`
	Local    bool             `json:"local,omitempty"`
	Error    *string          `json:"error"`
	Sessions []remote.Session `json:"sessions"`
}

// runStatusHosts is `ccwake status --host …`: this machine's status and
// every host's (`ssh -T host ccwake status --json`, all at once, each
// within hostTimeout), as one table or one JSON object. A host that fails
// is an error line (and exit status 1); the others still print.
func runStatusHosts(ctx context.Context, c *cli, o *options) error {
	if err := o.checkHosts("status"); err != nil {
		return err
	}
	out := make([]hostStatus, len(o.hosts)+1)
	var wg sync.WaitGroup
	for i, h := range o.hosts {
		wg.Go(func() { out[i+1] = sshStatus(ctx, o, h) })
	}
	out[0] = localStatus(ctx, o, c)
	wg.Wait()

	failed := false
	for _, h := range out {
		if h.Error != nil {
			failed = true
			if !o.json {
				fmt.Fprintf(c.stderr, "ccwake: %s: %s\n", h.Host, termsafe.String(*h.Error)) // ssh's stderr, the host's words
			}
		}
	}
	var err error
	if o.json {
		err = writeIndentedJSON(c.stdout, struct {
			Hosts []hostStatus `json:"hosts"`
		}{out})
	} else {
		err = writeHostTable(c, out, failed)
	}
	if err != nil {
		return err
	}
	if failed {
		return errReported
	}
	return nil
}

// localStatus is what `status --json` says about this machine.
func localStatus(ctx context.Context, o *options, c *cli) hostStatus {
	hs := hostStatus{Host: hostName(), Local: true, Sessions: []remote.Session{}}
	roots, err := resolveRoots(o.roots, c.getenv)
	if err != nil {
		hs.Error = remote.Str(err.Error())
		return hs
	}
	sessions, _, err := watch.Scan(ctx, watch.Config{Roots: roots, Since: o.since, Loc: time.Local, Now: time.Now})
	if err != nil {
		hs.Error = remote.Str(err.Error())
		return hs
	}
	var rows []statusRow
	for _, s := range sessions {
		if o.all || s.State == watch.Stalled {
			rows = append(rows, statusRow{Session: s})
		}
	}
	sortRows(rows)
	annotate(ctx, rows, o, time.Now(), true)
	slices.SortStableFunc(rows, func(a, b statusRow) int { return resume.CompareStatus(a.status(), b.status()) })
	for _, r := range rows {
		hs.Sessions = append(hs.Sessions, remote.FromStatus(r.status(), 0))
	}
	return hs
}

// sshStatus runs `ccwake status --json` on host. Its exit statuses 3 and 4
// (something is stalled) are answers, not failures.
func sshStatus(ctx context.Context, o *options, host string) hostStatus {
	hs := hostStatus{Host: host, Sessions: []remote.Session{}}
	ctx, cancel := context.WithTimeout(ctx, hostTimeout)
	defer cancel()
	rc := o.remoteCCWake + " status --json"
	if o.all {
		rc += " --all"
	}
	argv := append(strings.Fields(expandHome(o.sshCommand, os.Getenv)), "-T", host, rc)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var got struct {
		Sessions []remote.Session `json:"sessions"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err == nil && got.Sessions != nil {
		hs.Sessions = got.Sessions
		return hs
	}
	why := strings.TrimSpace(stderr.String())
	if i := strings.LastIndexByte(why, '\n'); i >= 0 {
		why = why[i+1:]
	}
	switch ee, _ := errors.AsType[*exec.ExitError](runErr); {
	case ctx.Err() != nil:
		why = fmt.Sprintf("no answer within %s", hostTimeout)
	case ee != nil && ee.ExitCode() == 127:
		why = "no ccwake on the host: " + why
	case why == "" && runErr != nil:
		why = runErr.Error()
	case why == "" && strings.TrimSpace(stdout.String()) == "":
		why = "no output: is ccwake installed there?"
	case why == "":
		why = "not ccwake's output: " + strings.TrimSpace(firstLine(stdout.String()))
	}
	hs.Error = &why
	return hs
}

// writeHostTable prints every host's sessions in one table.
func writeHostTable(c *cli, hosts []hostStatus, failed bool) error {
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tSTATE\tKIND\tSESSION\tPROJECT\tRESUME\tPANE")
	n, now := 0, time.Now()
	for _, h := range hosts {
		for _, s := range h.Sessions {
			st := termsafe.Status(s.Status()) // another machine's transcripts: no raw control characters
			label := termsafe.String(resume.Phase(s.Phase).Info().Label)
			if s.Phase == "" && st.Session.State != watch.Stalled {
				label = "WORKING"
			}
			resumeAt := "-"
			if !st.ResumeAt.IsZero() {
				resumeAt = resume.HumanTime(st.ResumeAt, now, time.Local) // a reset tomorrow shows its date
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", h.Host, label, dash(string(st.Session.Kind)),
				ui.ShortID(st.Session.ID), dash(st.Session.Cwd), resumeAt, dash(st.Pane))
			n++
		}
	}
	switch {
	case n == 0 && failed:
		fmt.Fprintln(tw, "nothing stalled on the hosts that answered")
	case n == 0:
		fmt.Fprintln(tw, "nothing stalled on any host")
	}
	return tw.Flush()
}
