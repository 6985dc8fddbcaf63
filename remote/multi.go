package remote

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/ccwake/ccwake/resume"
)

// Local is the dashboard's view of this machine's engine; *resume.Engine
// satisfies it (and so does ui.Engine).
type Local interface {
	Snapshot() resume.Snapshot
	Changes() <-chan struct{}
	Retry(id string)
	Pause(id string, paused bool)
	Dismiss(id string)
	SetAuto(on bool)
	Reopen(id string)
	Jump(ctx context.Context, id string) error
}

// Multi shows this machine's engine and several remote hosts as one engine
// for the dashboard. A remote session's id gets "@host" appended, so ids
// never collide and every command finds its host; r, p and x on a remote
// row go to that host's ccwake as a command, which decides and types there.
// Auto-resume (a) and jump stay local.
type Multi struct {
	local   Local
	hosts   []*Client
	changes chan struct{}

	mu      sync.Mutex
	routes  map[string]route // merged id → host and its own id, as of the last Snapshot
	refused []resume.Action  // commands that could not be sent
}

type route struct {
	c  *Client
	id string
}

// NewMulti merges local with the hosts; Run starts the hosts' clients.
func NewMulti(local Local, hosts []*Client) *Multi {
	return &Multi{local: local, hosts: hosts, changes: make(chan struct{}, 1), routes: map[string]route{}}
}

// Run runs every host's client and forwards every change until the local
// engine stops (its Changes closes) or ctx ends; then Changes closes.
func (m *Multi) Run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for _, c := range m.hosts {
		wg.Go(func() { c.Run(ctx) })
		wg.Go(func() {
			for range c.Changes() {
				m.signal()
			}
		})
	}
	local := m.local.Changes()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case _, ok := <-local:
			if !ok {
				break loop
			}
			m.signal()
		}
	}
	cancel()
	wg.Wait()
	close(m.changes)
}

func (m *Multi) signal() {
	select {
	case m.changes <- struct{}{}:
	default:
	}
}

// Changes signals a change of the local engine or of any host.
func (m *Multi) Changes() <-chan struct{} { return m.changes }

// Snapshot is the local snapshot with every host's sessions, log and
// connection state added.
func (m *Multi) Snapshot() resume.Snapshot {
	snap := m.local.Snapshot()
	snap.Sessions = slices.Clone(snap.Sessions)
	logs := slices.Clone(snap.Log)
	routes := map[string]route{}
	for _, c := range m.hosts {
		st := c.Status()
		info := resume.HostInfo{Name: st.Host, State: string(st.State), Detail: st.Detail, RetryAt: st.RetryAt}
		logs = append(logs, c.Events()...)
		u, ok := c.Update()
		if ok && st.State == Up && u.LockHeldBy != "" {
			// Up, but another ccwake there holds the lock: it resumes,
			// the one we talk to only shows.
			info.State, info.Detail = "up, watch only", "another ccwake there ("+u.LockHeldBy+") holds the lock and resumes"
		}
		snap.Hosts = append(snap.Hosts, info)
		if !ok {
			continue
		}
		snap.Transcripts += u.Transcripts
		snap.ResumedDay += u.ResumedDay
		for _, ws := range u.Sessions {
			s := ws.Status()
			s.Host = c.Host()
			id := s.Session.ID + "@" + c.Host()
			routes[id] = route{c: c, id: s.Session.ID}
			s.Session.ID = id
			s.History = tagged(s.History, c.Host())
			snap.Sessions = append(snap.Sessions, s)
		}
		logs = append(logs, tagged(u.Log, c.Host())...)
	}
	m.mu.Lock()
	m.routes = routes
	logs = append(logs, m.refused...)
	m.mu.Unlock()
	slices.SortStableFunc(logs, func(a, b resume.Action) int { return a.Time.Compare(b.Time) })
	if len(logs) > 200 {
		logs = logs[len(logs)-200:]
	}
	snap.Log = logs
	slices.SortStableFunc(snap.Sessions, resume.CompareStatus)
	return snap
}

// tagged copies a remote's actions with their session ids made unique.
func tagged(list []resume.Action, host string) []resume.Action {
	out := make([]resume.Action, len(list))
	for i, a := range list {
		if a.SessionID != "" {
			a.SessionID += "@" + host
		}
		out[i] = a
	}
	return out
}

// remote finds the host of a merged session id.
func (m *Multi) remote(id string) (route, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.routes[id]
	return r, ok
}

// send sends a command to a remote row's host; a failure shows in the log.
func (m *Multi) send(r route, cmd, merged string) {
	if err := r.c.Send(Command{Cmd: cmd, Session: r.id}); err != nil {
		m.mu.Lock()
		m.refused = append(m.refused, resume.Action{Time: r.c.cfg.Now(), SessionID: merged, What: "not_sent", Reason: err.Error()})
		if len(m.refused) > 50 {
			m.refused = slices.Clone(m.refused[len(m.refused)-25:])
		}
		m.mu.Unlock()
		m.signal()
	}
}

// Retry asks the session's own machine to resume it now.
func (m *Multi) Retry(id string) {
	if r, ok := m.remote(id); ok {
		m.send(r, "retry", id)
		return
	}
	m.local.Retry(id)
}

// Pause pauses or unpauses the session on its own machine.
func (m *Multi) Pause(id string, on bool) {
	if r, ok := m.remote(id); ok {
		cmd := "resume"
		if on {
			cmd = "pause"
		}
		m.send(r, cmd, id)
		return
	}
	m.local.Pause(id, on)
}

// Dismiss dismisses the session on its own machine.
func (m *Multi) Dismiss(id string) {
	if r, ok := m.remote(id); ok {
		m.send(r, "dismiss", id)
		return
	}
	m.local.Dismiss(id)
}

// Reopen asks the session's own machine to reopen it (`claude --resume`
// there, in that machine's tmux, with all its guards).
func (m *Multi) Reopen(id string) {
	if r, ok := m.remote(id); ok {
		m.send(r, "reopen", id)
		return
	}
	m.local.Reopen(id)
}

// SetAuto turns this machine's auto-resume on or off; each remote keeps
// its own (it runs as --auto does).
func (m *Multi) SetAuto(on bool) { m.local.SetAuto(on) }

// Jump brings a local session's pane to the front; a remote one's pane is
// on another machine's tmux.
func (m *Multi) Jump(ctx context.Context, id string) error {
	if r, ok := m.remote(id); ok {
		return fmt.Errorf("this session runs on %s: jump to it there (ssh %s, then tmux)", r.c.Host(), r.c.Host())
	}
	return m.local.Jump(ctx, id)
}
