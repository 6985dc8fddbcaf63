package watch

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/ccwake/ccwake/watch/classify"
)

// State is a session's state as far as the transcript tells.
type State string

const (
	Working State = "working" // the last main-thread conversation entry is not an API error
	Stalled State = "stalled" // it is: Claude Code stopped and waits for a human
)

// Session is one transcript's view: who it is and whether it is stalled.
// It is a value: the watcher hands out copies.
type Session struct {
	ID         string // session id (from the entries; else the file name)
	Cwd        string
	Transcript string // absolute path of the .jsonl file
	Root       string // the Claude config root it was found under
	State      State

	// Set while State == Stalled (from the newest error of the stall).
	Kind      classify.Kind
	Limit     classify.Limit
	Message   string
	Attempts  int       // API errors since the last normal assistant reply
	StalledAt time.Time // time of the stall's first error
	ErrorAt   time.Time // time of the stall's newest error
	// ResetsAt is when the wait ends: a usage cap's reset, or the end of a
	// wait the error text states ("try again in 15 minutes") for any
	// retryable kind. Zero when unknown.
	ResetsAt time.Time
	// ResetFromText: ResetsAt came from a message shown to the minute.
	ResetFromText bool
	// Note is what a human must do about a fatal error, or how a reset
	// beyond its cap's window was corrected ("" when nothing to add).
	Note string
	// Agent: the stall is a usage cap that a subagent or background agent
	// hit (a sidechain entry, a subagent file, or a main-thread tool_result
	// "Agent terminated early due to an API error: …"). The main thread's
	// last entry is normal, so Message is not the last message on screen.
	Agent bool

	// LastUUID is the uuid of the newest main-thread conversation entry; the
	// resumer compares it to make sure nothing happened since it decided.
	LastUUID  string
	LastAt    time.Time // timestamp of that entry
	ModTime   time.Time // file modification time when last read
	LastError string    // last read problem of this transcript ("" when fine)
}

// Tracker folds a transcript's entries, in any order, into its Session.
// The zero value is not usable: use NewTracker.
//
// Only main-thread (non-sidechain) user and assistant entries count;
// metadata and subagent turns never start or end a stall. Conversation order
// is timestamp order, ties broken by file offset, never line order (a
// 2.1.145 file held an error above the prompt it answered). The fold keeps
// the newest conversation entry, the newest normal assistant reply and the
// API errors newer than that reply, so its memory is bounded by one stall's
// attempts and the result does not depend on the order entries arrive in.
type Tracker struct {
	s Session // Root, Transcript, ModTime and LastError pass through

	newest    pos // newest main-thread conversation entry
	hasNewest bool
	reply     pos // newest normal (non-error) main-thread assistant reply
	hasReply  bool
	errs      map[string]pos // API errors newer than reply, by uuid
	top       pos            // newest of errs
	topErr    classify.APIError
	agents    agentState // usage caps hit by subagents, and replies of any thread

	id, cwd       string
	idPos, cwdPos pos
}

// pos places an entry in conversation order.
type pos struct {
	t    time.Time
	off  int64 // file offset of the line; -1 when unknown
	err  bool
	uuid string
}

// after reports whether p comes after q: by timestamp, then file offset;
// at equal timestamp and offset a normal entry counts as newer than an
// error, so an order the file cannot tell never looks like a stall; the
// uuid settles the rest so that the fold is deterministic.
func (p pos) after(q pos) bool {
	if !p.t.Equal(q.t) {
		return p.t.After(q.t)
	}
	if p.off != q.off {
		return p.off > q.off
	}
	if p.err != q.err {
		return !p.err
	}
	return p.uuid > q.uuid
}

// NewTracker starts the fold for one transcript.
func NewTracker(root, transcript string) *Tracker {
	return &Tracker{
		s:    Session{Root: root, Transcript: transcript, State: Working},
		errs: make(map[string]pos),
	}
}

// Add folds one entry in. Entries may arrive out of conversation order (cold
// start reads backwards; some files hold an entry above its parent). Add
// knows no file offset; use AddAt when it is known so that entries with the
// same timestamp are ordered by their place in the file.
func (t *Tracker) Add(e classify.Entry) { t.AddAt(e, -1) }

// AddAt folds in one entry read from the line starting at byte offset off.
// Adding the same entry twice changes nothing.
func (t *Tracker) AddAt(e classify.Entry, off int64) {
	p := pos{t: e.Time, off: off, err: e.Err != nil, uuid: e.UUID}
	t.noteIdentity(e, p)
	t.agents.add(e, p)
	if e.Sidechain || (e.Role != classify.User && e.Role != classify.Assistant) {
		return
	}
	if !t.hasNewest || p.after(t.newest) {
		t.newest, t.hasNewest = p, true
	}
	switch {
	case e.Err != nil:
		t.addError(p, *e.Err)
	case e.Role == classify.Assistant:
		if !t.hasReply || p.after(t.reply) {
			t.reply, t.hasReply = p, true
			t.pruneErrors()
		}
	}
}

// addError records an API error unless a reply already follows it.
func (t *Tracker) addError(p pos, apiErr classify.APIError) {
	if t.hasReply && !p.after(t.reply) {
		return
	}
	key := p.uuid
	if key == "" {
		key = fmt.Sprintf("@%d/%d", p.t.UnixNano(), p.off)
	}
	if old, ok := t.errs[key]; ok && !p.after(old) {
		return
	}
	t.errs[key] = p
	if len(t.errs) == 1 || p.after(t.top) {
		t.top, t.topErr = p, apiErr
	}
}

// pruneErrors drops the errors the newest reply answered.
func (t *Tracker) pruneErrors() {
	for k, p := range t.errs {
		if !p.after(t.reply) {
			delete(t.errs, k)
		}
	}
	if len(t.errs) == 0 {
		t.top, t.topErr = pos{}, classify.APIError{}
	}
}

// noteIdentity keeps the session id and cwd of the newest entry naming them
// (any entry, metadata and sidechain included: they share the session).
func (t *Tracker) noteIdentity(e classify.Entry, p pos) {
	if e.SessionID != "" && (t.id == "" || p.after(t.idPos) || (!t.idPos.after(p) && e.SessionID > t.id)) {
		t.id, t.idPos = e.SessionID, p
	}
	if e.Cwd != "" && (t.cwd == "" || p.after(t.cwdPos) || (!t.cwdPos.after(p) && e.Cwd > t.cwd)) {
		t.cwd, t.cwdPos = e.Cwd, p
	}
}

// Session returns the current view.
func (t *Tracker) Session() Session { return t.sessionWith(nil) }

// sessionWith is Session with the agent states of the session's subagent
// files (read by their own Trackers) folded in.
func (t *Tracker) sessionWith(subagents []agentState) Session {
	s := t.s
	s.ID = t.id
	if s.ID == "" {
		s.ID = strings.TrimSuffix(filepath.Base(s.Transcript), ".jsonl")
	}
	s.Cwd = t.cwd
	s.State = Working
	s.Kind, s.Limit, s.Message = "", "", ""
	s.Attempts = 0
	s.StalledAt, s.ErrorAt, s.ResetsAt = time.Time{}, time.Time{}, time.Time{}
	s.ResetFromText, s.Note, s.Agent = false, "", false
	s.LastUUID, s.LastAt = "", time.Time{}
	if t.hasNewest {
		s.LastUUID, s.LastAt = t.newest.uuid, t.newest.t
	}
	if !t.hasNewest || !t.newest.err || len(t.errs) == 0 {
		return t.agentStall(s, subagents)
	}
	s.State = Stalled
	s.Kind, s.Limit, s.Message, s.ResetsAt = t.topErr.Kind, t.topErr.Limit, t.topErr.Message, t.topErr.ResetsAt
	s.ResetFromText, s.Note = t.topErr.ResetFromText, t.topErr.Note
	s.Attempts = len(t.errs)
	s.ErrorAt = t.top.t
	s.StalledAt = t.top.t
	for _, p := range t.errs {
		if p.t.Before(s.StalledAt) {
			s.StalledAt = p.t
		}
	}
	return s
}

// agentStall turns a working view into a stall on a subagent's usage cap
// when one is pending: a cap a subagent or background agent hit leaves the
// main thread idle with a normal last entry, yet the session waits on the
// cap, and "continue" in the main pane after the reset resumes it. The cap
// counts only while nothing followed it: no newer main-thread entry (a
// prompt, a reply: someone or something is active) and no newer normal
// reply in any thread (the cap has lifted).
func (t *Tracker) agentStall(s Session, subagents []agentState) Session {
	a := t.agents
	for _, b := range subagents {
		a.merge(b)
	}
	if !a.hasCap || a.hasOK && !a.cap.after(a.ok) || t.hasNewest && t.newest.after(a.cap) {
		return s
	}
	s.State, s.Agent = Stalled, true
	s.Kind, s.Limit, s.Message = a.capErr.Kind, a.capErr.Limit, a.capErr.Message
	s.ResetsAt, s.ResetFromText, s.Note = a.capErr.ResetsAt, a.capErr.ResetFromText, a.capErr.Note
	s.Attempts = 1
	s.StalledAt, s.ErrorAt = a.cap.t, a.cap.t
	return s
}

// agentState is what one transcript says about subagent caps: the newest
// usage cap a subagent hit (a sidechain API error, or a main-thread
// tool_result reporting that an agent died on one) and the newest normal
// assistant reply of any thread. Both are maxima, so the fold does not
// depend on the order entries arrive in, and states of several files merge.
type agentState struct {
	cap    pos
	capErr classify.APIError
	hasCap bool
	ok     pos
	hasOK  bool
}

// add folds one entry in.
func (a *agentState) add(e classify.Entry, p pos) {
	switch {
	case e.Sidechain && e.Err != nil:
		a.addCap(p, e.Err)
	case e.Role == classify.User && e.AgentErr != nil:
		a.addCap(p, e.AgentErr)
	case e.Role == classify.Assistant && e.Err == nil:
		if !a.hasOK || p.after(a.ok) {
			a.ok, a.hasOK = p, true
		}
	}
}

// addCap keeps err when it is a usage cap newer than the one held.
func (a *agentState) addCap(p pos, err *classify.APIError) {
	if err.Kind != classify.UsageLimit {
		return // transient subagent errors are the main thread's to handle
	}
	if !a.hasCap || p.after(a.cap) {
		a.cap, a.capErr, a.hasCap = p, *err, true
	}
}

// merge folds b (another file's state) into a.
func (a *agentState) merge(b agentState) {
	if b.hasCap && (!a.hasCap || b.cap.after(a.cap)) {
		a.cap, a.capErr, a.hasCap = b.cap, b.capErr, true
	}
	if b.hasOK && (!a.hasOK || b.ok.after(a.ok)) {
		a.ok, a.hasOK = b.ok, true
	}
}
