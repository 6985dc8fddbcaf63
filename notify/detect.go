package notify

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// Detector turns the engine's Snapshots into events, each at most once per
// stall: the key is (transcript, error uuid, kind). It is level-triggered
// (it looks at each session's phase, not at a stream of actions), so a
// coalesced or missed snapshot loses nothing. Not safe for concurrent use;
// the Notifier calls it from one goroutine.
type Detector struct {
	cfg   Config
	start time.Time

	sessions map[string]*sessionState // by transcript; only stalls and their all-clear
	sent     map[key]time.Time        // keys already raised; pruned each pass
	gen      uint64                   // pass number: sessions not seen in this pass are gone
}

// sessionState is what the Detector remembers about one session between
// snapshots.
type sessionState struct {
	uuid         string    // newest error of the current (or last) stall
	announced    bool      // an event about this stall reached the human: its end is worth one too
	blockedSince time.Time // first seen Blocked in this stall (zero: not blocked)
	historySeen  time.Time // actions up to this time were looked at
	gen          uint64    // the last pass that saw the session
}

// NewDetector returns a Detector whose backlog window starts at start: stalls
// whose newest error is older than start-Backlog are old news and raise
// nothing, so starting ccwake does not replay last week.
func NewDetector(cfg Config, start time.Time) *Detector {
	return &Detector{
		cfg:      cfg.withDefaults(),
		start:    start,
		sessions: map[string]*sessionState{},
		sent:     map[key]time.Time{},
	}
}

// Detect returns the new events in snap as of now, and forgets sessions the
// engine no longer tracks and stalls that ended.
func (d *Detector) Detect(snap resume.Snapshot, now time.Time) []Event {
	var out []Event
	d.gen++
	quiet := snap.LockHeldBy != "" // another ccwake acts (and tells) for these roots
	for i := range snap.Sessions {
		st := &snap.Sessions[i]
		tr := transcriptOf(st.Session)
		ss := d.sessions[tr]
		if ss == nil {
			if st.Session.State != watch.Stalled {
				continue // nothing to tell about a session that never stalled while we looked
			}
			ss = &sessionState{historySeen: d.start}
			d.sessions[tr] = ss
		}
		ss.gen = d.gen
		for _, ev := range d.session(st, ss, now) {
			if quiet {
				continue
			}
			if _, dup := d.sent[ev.key]; dup {
				continue
			}
			d.sent[ev.key] = now
			if ev.Event != Resumed {
				ss.announced = true
			}
			out = append(out, ev)
		}
		if st.Session.State != watch.Stalled && !ss.announced {
			delete(d.sessions, tr) // the stall is over and told: forget it
		}
	}
	d.prune()
	return out
}

// session returns the events one session's status stands for now (before
// de-duplication) and updates what is remembered about it.
func (d *Detector) session(st *resume.Status, ss *sessionState, now time.Time) []Event {
	s := st.Session
	var out []Event
	for _, a := range st.History {
		if !a.Time.After(ss.historySeen) {
			continue
		}
		ss.historySeen = a.Time
		if a.What == string(Reopened) {
			ev := d.event(Reopened, st, now, ss.uuid)
			ev.Reason = a.Reason
			ev.Message = fmt.Sprintf("Session %s in %s was reopened with claude --resume: %s", shortID(s.ID), ev.Project, a.Reason)
			out = append(out, ev)
		}
		if a.What == needsHuman && s.State == watch.Stalled {
			// Waiting cures nothing here (the session's cwd is gone, its
			// id cannot be passed on): say so now, not after BlockedAfter.
			// The key is Blocked's: the later Blocked event is this one.
			ev := d.event(Blocked, st, now, s.LastUUID)
			ev.Reason = a.Reason
			ev.Message = fmt.Sprintf("Session %s in %s needs you: %s", shortID(s.ID), ev.Project, a.Reason)
			out = append(out, ev)
		}
	}

	if s.State != watch.Stalled {
		if st.Phase == resume.Resumed && ss.announced && ss.uuid != "" {
			out = append(out, d.event(Resumed, st, now, ss.uuid))
		}
		ss.announced, ss.blockedSince = false, time.Time{}
		return out
	}
	if s.LastUUID != ss.uuid {
		ss.uuid, ss.blockedSince = s.LastUUID, time.Time{}
	}
	switch st.Phase {
	case resume.Blocked:
		if ss.blockedSince.IsZero() {
			ss.blockedSince = now
		}
	case resume.Waiting, resume.Watching, resume.Paused, resume.Dismissed:
		ss.blockedSince = time.Time{} // settled somewhere else: the streak ended
	}
	if errorTime(s).Before(d.start.Add(-d.cfg.Backlog)) {
		return out // a stall from before ccwake started: the dashboard shows it
	}
	switch st.Phase {
	case resume.Fatal:
		out = append(out, d.event(Fatal, st, now, ss.uuid))
	case resume.GaveUp:
		out = append(out, d.event(GaveUp, st, now, ss.uuid))
	case resume.Unconfirmed:
		out = append(out, d.event(Unconfirmed, st, now, ss.uuid))
	case resume.Blocked:
		if now.Sub(ss.blockedSince) >= d.cfg.BlockedAfter {
			ev := d.event(Blocked, st, now, ss.uuid)
			ev.Message = fmt.Sprintf("Session %s in %s has been blocked for %s: %s", shortID(s.ID), ev.Project, now.Sub(ss.blockedSince).Round(time.Second), st.Reason)
			out = append(out, ev)
		}
	case resume.Waiting, resume.Watching:
		if !st.ResumeAt.IsZero() && st.ResumeAt.Sub(now) >= d.cfg.LongWait {
			out = append(out, d.event(Stalled, st, now, ss.uuid))
		}
	}
	return out
}

// needsHuman is the engine's action for a stall only a human can cure
// short of a fatal error (resume.Engine's cannotReopen).
const needsHuman = "needs_human"

// event fills an Event of kind k from a session's status.
func (d *Detector) event(k Kind, st *resume.Status, now time.Time, uuid string) Event {
	s := st.Session
	ev := Event{
		Time:      now.Truncate(time.Second),
		Host:      d.cfg.Host,
		Event:     k,
		SessionID: s.ID,
		Cwd:       s.Cwd,
		Kind:      string(s.Kind),
		Limit:     string(s.Limit),
		Error:     s.Message,
		Pane:      st.Pane,
		Reason:    st.Reason,
		key:       key{transcript: transcriptOf(s), uuid: uuid, kind: k},
	}
	if s.Cwd != "" {
		ev.Project = filepath.Base(s.Cwd)
	} else {
		ev.Project = "(unknown project)"
	}
	id := shortID(s.ID)
	what := strings.ReplaceAll(string(s.Kind), "_", " ")
	switch k {
	case Stalled:
		ev.ResumeAt = st.ResumeAt
		ev.Title = "ccwake: " + ev.Project + " stalled (" + what + ")"
		ev.Message = fmt.Sprintf("Session %s in %s stalled on a %s error; next resume at %s (in %s). %s",
			id, ev.Project, what, st.ResumeAt.In(d.cfg.Loc).Format("Mon 15:04"), st.ResumeAt.Sub(now).Round(time.Minute), st.Reason)
	case Resumed:
		ev.Kind, ev.Limit, ev.Error = "", "", "" // the error is over
		ev.Title = "ccwake: " + ev.Project + " resumed"
		ev.Message = fmt.Sprintf("Session %s in %s works again. %s", id, ev.Project, st.Reason)
	case GaveUp:
		ev.Title = "ccwake: " + ev.Project + " gave up"
		ev.Message = fmt.Sprintf("Session %s in %s: ccwake gave up resuming it. %s", id, ev.Project, st.Reason)
	case Fatal:
		ev.Title = "ccwake: " + ev.Project + " needs you"
		ev.Message = fmt.Sprintf("Session %s in %s stopped on an error waiting cannot cure: %s", id, ev.Project, firstNonEmpty(s.Message, st.Reason))
	case Blocked:
		ev.Title = "ccwake: " + ev.Project + " blocked"
	case Unconfirmed:
		ev.Title = "ccwake: " + ev.Project + " not confirmed"
		ev.Message = fmt.Sprintf("Session %s in %s: %s", id, ev.Project, st.Reason)
	case Reopened:
		ev.Title = "ccwake: " + ev.Project + " reopened"
	}
	ev.Message = strings.TrimSpace(ev.Message)
	return ev
}

// prune forgets sessions that are gone and sent keys of stalls that are no
// longer a session's current one, so memory follows the stalls the engine
// tracks now.
func (d *Detector) prune() {
	for tr, ss := range d.sessions {
		if ss.gen != d.gen {
			delete(d.sessions, tr)
		}
	}
	for k := range d.sent {
		if ss := d.sessions[k.transcript]; ss == nil || ss.uuid != k.uuid {
			delete(d.sent, k)
		}
	}
}

// transcriptOf is the session's stable identity: its transcript path (the
// id when the path is unknown).
func transcriptOf(s watch.Session) string {
	if s.Transcript != "" {
		return s.Transcript
	}
	return s.ID
}

// errorTime is when the stall's newest error was written.
func errorTime(s watch.Session) time.Time {
	if !s.ErrorAt.IsZero() {
		return s.ErrorAt
	}
	return s.LastAt
}

func firstNonEmpty(a ...string) string {
	for _, s := range a {
		if s != "" {
			return s
		}
	}
	return ""
}
