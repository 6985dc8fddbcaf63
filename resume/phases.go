package resume

import (
	"cmp"
	"slices"
	"time"

	"github.com/ccwake/ccwake/watch"
)

// PhaseInfo is what every part of ccwake says about a phase: the word the
// dashboard, `ccwake status` and notifications show, where it sorts, and
// whether it needs a human. It is data only; the dashboard maps styles onto
// phases itself.
type PhaseInfo struct {
	// Label is the state word in capitals, as the dashboard's STATE column
	// and `ccwake status` print it.
	Label string
	// Rank orders phases by how much they need the user's eyes: lower
	// first. Ties sort by resume time, then most recent activity.
	Rank int
	// Attention says a human has to act: waiting will not cure it.
	Attention bool
	// Help is one line for the dashboard's help and the README.
	Help string // fits 66 columns, so the help fits 80
}

// phases is the one table of phases. Every Phase constant has a row (a test
// checks it); an unknown or empty phase reads as Idle.
//
// The order: what needs a human first (fatal, unconfirmed, gave up,
// blocked), then what is happening or about to (resuming, waiting), then
// what ccwake only watches, then the quiet ones.
var phases = map[Phase]PhaseInfo{
	Fatal:       {Label: "FATAL", Rank: 0, Attention: true, Help: "an error waiting cannot cure (auth, bad request): fix it by hand"},
	Unconfirmed: {Label: "UNCONF", Rank: 1, Attention: true, Help: "typed, but the transcript never showed it: look at the pane"},
	GaveUp:      {Label: "GAVE UP", Rank: 2, Attention: true, Help: "the attempt cap was reached: resume it by hand or press r"},
	Blocked:     {Label: "BLOCKED", Rank: 3, Attention: true, Help: "a safety guard refused to type (dialog, copy mode, typed text)"},
	Resuming:    {Label: "RESUMING", Rank: 4, Help: "typing continue or confirming it right now"},
	Waiting:     {Label: "WAITING", Rank: 5, Help: "stalled; ccwake resumes it when the countdown ends"},
	Watching:    {Label: "STALLED", Rank: 6, Help: stalledHelp},
	Idle:        {Label: "STALLED", Rank: 6, Help: stalledHelp},
	Paused:      {Label: "PAUSED", Rank: 7, Help: "you paused it (p): never resumed until you unpause"},
	Resumed:     {Label: "RESUMED", Rank: 8, Help: "continue typed and seen in the transcript; the row goes in a while"},
	Dismissed:   {Label: "DISMISSED", Rank: 9, Help: "you dismissed it (x) until it stalls again"},
}

// stalledHelp explains STALLED, which two phases share.
const stalledHelp = "stalled, only shown: auto off, lock held elsewhere, or not planned"

// Info is the phase's row in the table; an unknown phase reads as Idle.
func (p Phase) Info() PhaseInfo {
	if i, ok := phases[p]; ok {
		return i
	}
	return phases[Idle]
}

// Phases lists every phase in rank order (the help and the docs print it).
func Phases() []Phase {
	out := make([]Phase, 0, len(phases))
	for p := range phases {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Phase) int {
		return cmp.Or(cmp.Compare(a.Info().Rank, b.Info().Rank), cmp.Compare(a, b))
	})
	return out
}

// Label is the state word for a session: its phase's label, except that a
// session with nothing to do that is not stalled reads WORKING.
func (s Status) Label() string {
	if s.Phase.Info().Rank == phases[Idle].Rank && s.Session.State != watch.Stalled {
		return "WORKING"
	}
	return s.Phase.Info().Label
}

// LastActivity is when anything last happened to a session: its newest
// action, else its newest transcript entry.
func (s Status) LastActivity() time.Time {
	if n := len(s.History); n > 0 {
		return s.History[n-1].Time
	}
	return s.Session.LastAt
}

// CompareStatus is the one "what needs attention first" order, used by the
// snapshot, the dashboard and `ccwake status`: phase rank, then the soonest
// resume time (unset last), then the most recent activity, then the id.
func CompareStatus(a, b Status) int {
	return cmp.Or(
		cmp.Compare(a.Phase.Info().Rank, b.Phase.Info().Rank),
		compareTimes(a.ResumeAt, b.ResumeAt),
		b.LastActivity().Compare(a.LastActivity()),
		cmp.Compare(a.Session.ID, b.Session.ID),
		cmp.Compare(a.Session.Transcript, b.Session.Transcript), // two files of one session
	)
}
