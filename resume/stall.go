package resume

// stallState is what this ccwake knows and did about the newest entry of a
// track's transcript — while the session is stalled, its newest error. The
// value belongs to that one entry: track.see rebuilds it whenever the
// newest entry is another, so everything that happens at most once per
// stall is a field that starts out false with each new error, instead of a
// uuid marker per kind of deed, compared with the newest entry everywhere
// and cleared by hand.
//
// An entry without a uuid cannot be told from the next: its value counts as
// planned and typed, so nothing ever acts on it (Decide says why first).
type stallState struct {
	uuid        string   // the entry (watch.Session.LastUUID) this value is about
	plan        Decision // when to resume it (valid when planned)
	continuedIn string   // reopened, and the session goes on in this other transcript

	// noted holds What+Reason of this stall's onceAStall notes: they are
	// logged once per stall, so toggling auto-resume (which replans every
	// session) does not repeat the start-up lines.
	noted map[string]bool

	// The flags last and together, so the value packs (a track per
	// transcript, 10,000 of them on a big tree).
	planned bool // plan was drawn for this error (Config.Decide, with its jitter)
	// Never twice per stall: typed (or, in a dry run, would have typed) for
	// this error. Nothing is typed again until another error rebuilds the
	// value.
	typed       bool
	escaped     bool // the usage dialog got its one Escape
	probed      bool // the read-only probe ran
	dismissed   bool // the user dismissed it, until it stalls again
	reopenAsked bool // the user asked for it to be reopened
	reopened    bool // reopened (`claude --resume`): at most once per stall
	shown       bool // the pane of a session held for a human was looked up (show.go)
}

// newStall is the value of a newest entry nothing was done about yet.
func newStall(uuid string) stallState {
	if uuid == "" {
		return stallState{planned: true, typed: true}
	}
	return stallState{uuid: uuid}
}
