package watch

import (
	"fmt"
	"path/filepath"
	"slices"
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

	// LastUUID is the uuid of the newest main-thread conversation entry; the
	// resumer compares it to make sure nothing happened since it decided.
	LastUUID  string
	LastAt    time.Time // timestamp of that entry
	ModTime   time.Time // file modification time when last read
	LastError string    // last read problem of this transcript ("" when fine)
	// Note is what a human must do about a fatal error, or how a reset
	// beyond its cap's window was corrected ("" when nothing to add).
	Note string
	// TimeNote says why a time above is not the newest error's timestamp
	// as written (missing, in the future, before the entry above it); ""
	// when it is.
	TimeNote string
	// Agent: the stall is a usage cap that a subagent or background agent
	// hit (a sidechain entry, a subagent file, or a main-thread tool_result
	// "Agent terminated early due to an API error: …"). The main thread's
	// last entry is normal, so Message is not the last message on screen.
	Agent bool
}

// Tracker folds a transcript's entries, in any order, into its Session.
// The zero value is not usable: use NewTracker.
//
// Only main-thread (non-sidechain) user and assistant entries count;
// metadata and subagent turns never start or end a stall.
//
// Conversation order is the order of the file, corrected by parentUuid:
// an entry written above its own parent (a 2.1.145 file held an error above
// the prompt it answered) is placed right after that parent. Timestamps do
// not decide the order: a clock that jumped (an error dated in the future,
// or one without a timestamp, or dated before the entry above it) must
// neither pin a session as stalled after a later reply nor hide a stall.
// They are used for timing only (StalledAt, ErrorAt, LastAt), after a
// sanity check: a timestamp that is missing or later than when its line was
// read (plus maxSkew) is replaced by the read time, and an error's that is
// earlier than the entry above it (the previous conversation entry, or its
// parent) by that entry's time; Session.TimeNote says so. Entries added without
// a file offset (Add) fall back to timestamp order.
//
// Memory is bounded: entries older than the newest normal reply are
// forgotten (what lies before it cannot change the state), and the
// parentUuid links kept for ordering are the newest maxLinks.
type Tracker struct {
	root, transcript string           // passed through to the Session
	now              func() time.Time // when a line is read; nil: unknown

	convs   map[string]*conv // main-thread conversation entries, by uuid (or place)
	links   map[string]link  // uuid → parent and offset, every entry with a uuid
	pruneAt int              // len(convs) that triggers the next prune
	// dropped counts the oldest errors of a stall forgotten beyond
	// maxErrs; droppedLast is the newest of them, for order.
	dropped     int
	droppedLast *conv
	agents      agentState // usage caps hit by subagents, and replies of any thread

	id, cwd       string
	idPos, cwdPos pos
}

const (
	// maxSkew is how far past the moment its line was read a timestamp
	// may lie and still be taken as written (clocks of two machines
	// sharing a home directory, NTP steps).
	maxSkew = 2 * time.Minute
	// maxLinks bounds the parentUuid links kept for ordering. Entries are
	// written out of place by a few lines at most.
	maxLinks = 256
	// maxChain bounds how many parents one ordering walk follows.
	maxChain = 64
	// maxErrs bounds the errors of one stall kept in full; older ones are
	// only counted (a hostile or broken writer may append millions).
	maxErrs = 256
	// minPrune is the number of conversation entries kept before the
	// first prune; later prunes wait until the count doubles, so a long
	// stall costs amortised constant time per entry.
	minPrune = 64
)

// conv is one main-thread conversation entry.
type conv struct {
	pos
	parent    string
	seen      time.Time          // when the line was read
	assistant bool               // an assistant entry (else a user one)
	apiErr    *classify.APIError // set for API errors

	// Filled by order.
	key  place
	sane time.Time // timestamp after the sanity check
	note string    // why sane differs from t
}

// link is what ordering and the time check need of any entry with a uuid.
type link struct {
	parent string
	off    int64
	t      time.Time
}

// place is an entry's position in conversation order: the file offset of
// the line, or of the latest line among its ancestors when that is later,
// and its generation below that ancestor.
type place struct {
	off int64
	gen int
}

// pos places an entry in timestamp order, for identity and for entries
// without a file offset.
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
		root:       root,
		transcript: transcript,
		convs:      make(map[string]*conv),
		links:      make(map[string]link),
		pruneAt:    minPrune,
	}
}

// SetClock sets the clock that says when a line was read. Without one (the
// default, and nil) read times are unknown: a timestamp is then only checked
// against the entries around it, so a fold of fixed entries does not depend
// on the machine's clock.
func (t *Tracker) SetClock(now func() time.Time) { t.now = now }

// Add folds one entry in. Entries may arrive out of conversation order (cold
// start reads backwards; some files hold an entry above its parent). Add
// knows no file offset, so its entries are ordered by timestamp; use AddAt
// when the offset is known.
func (t *Tracker) Add(e classify.Entry) { t.AddAt(e, -1) }

// AddAt folds in one entry read from the line starting at byte offset off.
// Adding the same entry twice changes nothing.
func (t *Tracker) AddAt(e classify.Entry, off int64) {
	p := pos{t: e.Time, off: off, err: e.Err != nil, uuid: e.UUID}
	t.noteIdentity(e, p)
	t.agents.add(e, p)
	if e.UUID != "" && off >= 0 {
		t.links[e.UUID] = link{parent: e.ParentUUID, off: off, t: e.Time}
		if len(t.links) > 2*maxLinks {
			t.pruneLinks()
		}
	}
	if e.Sidechain || (e.Role != classify.User && e.Role != classify.Assistant) {
		return
	}
	c := &conv{pos: p, parent: e.ParentUUID, assistant: e.Role == classify.Assistant}
	if t.now != nil {
		c.seen = t.now()
	}
	key := c.mapKey()
	if old, ok := t.convs[key]; ok && !p.after(old.pos) {
		return
	}
	if e.Err != nil {
		apiErr := *e.Err
		c.apiErr = &apiErr
	}
	t.convs[key] = c
	if len(t.convs) >= t.pruneAt {
		t.prune()
	}
}

// pruneLinks keeps the maxLinks links of the latest lines.
func (t *Tracker) pruneLinks() {
	offs := make([]int64, 0, len(t.links))
	for _, l := range t.links {
		offs = append(offs, l.off)
	}
	slices.Sort(offs)
	cut := offs[len(offs)-maxLinks]
	for k, l := range t.links {
		if l.off < cut {
			delete(t.links, k)
		}
	}
}

// prune forgets the entries ordered before the newest normal reply (they
// cannot change the state), counts instead of keeps the oldest errors beyond
// maxErrs, and drops the messages of all but the newest errors (only the
// newest one's is shown).
func (t *Tracker) prune() {
	order := t.order()
	for i := len(order) - 1; i >= 0; i-- {
		if !order[i].reply() {
			continue
		}
		for k, c := range t.convs {
			if before(c, order[i]) {
				delete(t.convs, k)
			}
		}
		if t.droppedLast != nil {
			t.droppedLast.key = t.place(t.droppedLast)
			if before(t.droppedLast, order[i]) {
				t.dropped, t.droppedLast = 0, nil
			}
		}
		break
	}
	var errs []*conv // kept errors, newest first
	for i := len(order) - 1; i >= 0; i-- {
		if c := order[i]; c.apiErr != nil && t.convs[c.mapKey()] == c {
			errs = append(errs, c)
		}
	}
	for i, c := range errs {
		switch {
		case i >= maxErrs:
			delete(t.convs, c.mapKey())
			t.dropped++
			if i == maxErrs {
				t.droppedLast = c
			}
		case i >= 8:
			c.apiErr.Message = ""
		}
	}
	t.pruneAt = max(minPrune, 2*len(t.convs))
}

// reply reports whether c is a normal (non-error) assistant reply.
func (c *conv) reply() bool { return c.assistant && c.apiErr == nil }

// mapKey is c's key in Tracker.convs.
func (c *conv) mapKey() string {
	if c.uuid != "" {
		return c.uuid
	}
	return fmt.Sprintf("@%d/%d", c.t.UnixNano(), c.off)
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

// order returns the conversation entries in conversation order, with their
// place and sanity-checked time filled in.
func (t *Tracker) order() []*conv {
	out := make([]*conv, 0, len(t.convs))
	for _, c := range t.convs {
		c.key = t.place(c)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *conv) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	})
	var prev time.Time
	for _, c := range out {
		c.sane, c.note = c.t, ""
		switch {
		case c.t.IsZero():
			c.sane, c.note = c.seen, "has no timestamp"
		case !c.seen.IsZero() && c.t.After(c.seen.Add(maxSkew)):
			c.sane, c.note = c.seen, fmt.Sprintf("is dated %s, %s after it was read", c.t.UTC().Format(time.RFC3339), c.t.Sub(c.seen).Round(time.Second))
		}
		// An error is never earlier than the entry above it: the previous
		// conversation entry, or its parent (an attachment, say), whose
		// time the cold start knows even when the prompt lies beyond its
		// budget. Other entries keep their times: only the stall is timed.
		if c.apiErr != nil {
			floor := prev
			if l, ok := t.links[c.parent]; ok && l.t.After(floor) && (c.seen.IsZero() || !l.t.After(c.seen.Add(maxSkew))) {
				floor = l.t
			}
			if c.sane.Before(floor) {
				if c.note == "" {
					c.note = fmt.Sprintf("is dated %s, before the entry above it", c.t.UTC().Format(time.RFC3339))
				}
				c.sane = floor
			}
		}
		prev = c.sane
	}
	return out
}

// place is c's position in file order corrected by parentUuid: below the
// latest line among its known ancestors when that line is later than its
// own. The walk is bounded (maxChain), so a cycle of parents ends.
func (t *Tracker) place(c *conv) place {
	if c.off < 0 {
		return place{off: -1}
	}
	var chain [maxChain]int64
	n := 0
	for p := c.parent; p != "" && n < maxChain; n++ {
		l, ok := t.links[p]
		if !ok {
			break
		}
		chain[n] = l.off
		p = l.parent
	}
	k := place{off: -1}
	for i := n - 1; i >= -1; i-- {
		off := c.off
		if i >= 0 {
			off = chain[i]
		}
		if off > k.off {
			k = place{off: off}
		} else {
			k.gen++
		}
	}
	return k
}

// before reports whether a comes before b in conversation order: by place
// when both offsets are known, else by timestamp (pos.after).
func before(a, b *conv) bool {
	if a.off >= 0 && b.off >= 0 {
		if a.key != b.key {
			return a.key.off < b.key.off || a.key.off == b.key.off && a.key.gen < b.key.gen
		}
		if a.off != b.off {
			return a.off < b.off
		}
	}
	return b.pos.after(a.pos)
}

// Session returns the current view.
func (t *Tracker) Session() Session { return t.sessionWith(nil) }

// sessionWith is Session with the agent states of the session's subagent
// files (read by their own Trackers) folded in.
func (t *Tracker) sessionWith(subagents []agentState) Session {
	s := Session{Root: t.root, Transcript: t.transcript, ID: t.id, Cwd: t.cwd, State: Working}
	if s.ID == "" {
		s.ID = strings.TrimSuffix(filepath.Base(s.Transcript), ".jsonl")
	}
	order := t.order()
	if len(order) == 0 {
		return t.agentStall(s, nil, subagents)
	}
	newest := order[len(order)-1]
	s.LastUUID, s.LastAt = newest.uuid, newest.sane
	if newest.apiErr == nil {
		return t.agentStall(s, newest, subagents)
	}
	first := len(order) - 1 // the stall's first error: errors since the newest reply
	for first > 0 && !order[first-1].reply() {
		first--
	}
	for _, c := range order[first:] {
		if c.apiErr != nil {
			if s.Attempts == 0 {
				s.StalledAt = c.sane
			}
			s.Attempts++
		}
	}
	if t.droppedLast != nil {
		t.droppedLast.key = t.place(t.droppedLast)
		if first == 0 || before(order[first-1], t.droppedLast) {
			s.Attempts += t.dropped // older errors of this stall, counted only
		}
	}
	top := newest.apiErr
	s.State = Stalled
	s.Kind, s.Limit, s.Message, s.ResetsAt = top.Kind, top.Limit, top.Message, top.ResetsAt
	s.ResetFromText, s.Note = top.ResetFromText, top.Note
	s.ErrorAt = newest.sane
	if newest.note != "" {
		s.TimeNote = fmt.Sprintf("API error %s %s: timed from %s instead", newest.uuid, newest.note, newest.sane.UTC().Format(time.RFC3339))
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
func (t *Tracker) agentStall(s Session, newest *conv, subagents []agentState) Session {
	a := t.agents
	for _, b := range subagents {
		a.merge(b)
	}
	if !a.hasCap || a.hasOK && !a.cap.after(a.ok) || newest != nil && newest.pos.after(a.cap) {
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
