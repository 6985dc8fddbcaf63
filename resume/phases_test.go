package resume

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccwake/ccwake/watch"
)

// phaseConstants reads every constant of type Phase declared in this
// package's source, so a phase added later without a table row fails here.
func phaseConstants(t *testing.T) []Phase {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []Phase
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, spec := range g.Specs {
					v := spec.(*ast.ValueSpec)
					if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Phase" {
						continue
					}
					for _, val := range v.Values {
						lit, ok := val.(*ast.BasicLit)
						if !ok {
							t.Fatalf("Phase constant with a non-literal value at %s", fset.Position(val.Pos()))
						}
						out = append(out, Phase(lit.Value[1:len(lit.Value)-1]))
					}
				}
			}
		}
	}
	if len(out) < 10 {
		t.Fatalf("found only %d Phase constants: the parse is broken", len(out))
	}
	return out
}

func TestEveryPhaseHasARow(t *testing.T) {
	consts := phaseConstants(t)
	for _, p := range consts {
		i, ok := phases[p]
		if !ok {
			t.Errorf("phase %q has no row in the phase table", p)
			continue
		}
		if len([]rune(i.Help)) > 66 {
			t.Errorf("phase %q: help %q is wider than 66 columns", p, i.Help)
		}
		if i.Label == "" || i.Help == "" {
			t.Errorf("phase %q: empty label or help: %+v", p, i)
		}
	}
	if len(phases) != len(consts) {
		t.Errorf("table has %d rows, source declares %d phases", len(phases), len(consts))
	}
	if got := Phases(); len(got) != len(phases) || !slices.IsSortedFunc(got, func(a, b Phase) int { return a.Info().Rank - b.Info().Rank }) {
		t.Errorf("Phases() = %v: not every phase in rank order", got)
	}
}

// Everything that needs a human sorts before everything that does not: the
// one ranking both the dashboard and the snapshot use.
func TestAttentionSortsFirst(t *testing.T) {
	for _, a := range Phases() {
		for _, b := range Phases() {
			if a.Info().Attention && !b.Info().Attention && a.Info().Rank >= b.Info().Rank {
				t.Errorf("%s needs attention but ranks %d, after %s (%d)", a, a.Info().Rank, b, b.Info().Rank)
			}
		}
	}
}

func TestCompareStatus(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	st := func(id string, p Phase, resumeAt time.Duration, lastAgo time.Duration) Status {
		s := Status{Phase: p, Session: watch.Session{ID: id, State: watch.Stalled, LastAt: now.Add(-lastAgo)}}
		if resumeAt != 0 {
			s.ResumeAt = now.Add(resumeAt)
		}
		return s
	}
	in := []Status{
		st("resumed", Resumed, 0, time.Minute),
		st("wait-late", Waiting, time.Hour, 0),
		st("wait-soon", Waiting, time.Minute, 0),
		st("fatal", Fatal, 0, 0),
		st("resuming", Resuming, 0, 0),
		st("blocked", Blocked, 0, 0),
		st("paused-old", Paused, 0, time.Hour),
		st("paused-new", Paused, 0, time.Minute),
	}
	slices.SortFunc(in, CompareStatus)
	var got []string
	for _, s := range in {
		got = append(got, s.Session.ID)
	}
	want := []string{"fatal", "blocked", "resuming", "wait-soon", "wait-late", "paused-new", "paused-old", "resumed"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestStatusLabel(t *testing.T) {
	for _, c := range []struct {
		phase Phase
		state watch.State
		want  string
	}{
		{Idle, watch.Working, "WORKING"},
		{"", watch.Working, "WORKING"},
		{Idle, watch.Stalled, "STALLED"},
		{Watching, watch.Stalled, "STALLED"},
		{GaveUp, watch.Stalled, "GAVE UP"},
		{Waiting, watch.Stalled, "WAITING"},
		{Resumed, watch.Working, "RESUMED"},
	} {
		if got := (Status{Phase: c.phase, Session: watch.Session{State: c.state}}).Label(); got != c.want {
			t.Errorf("%q/%s: label %q, want %q", c.phase, c.state, got, c.want)
		}
	}
}

func TestHumanTime(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		t    time.Time
		loc  *time.Location
		want string
	}{
		{now.Add(2 * time.Hour), time.UTC, "14:00:00"},
		{now.Add(2 * time.Hour), berlin, "15:00:00"},                        // the zone, not UTC
		{now.Add(-26 * time.Hour), time.UTC, "Mar 9 10:00:00"},              // past: a date, never a weekday
		{now.Add(30 * time.Hour), time.UTC, "Mar 11 18:00:00"},              // tomorrow: a date
		{now.Add(11*time.Hour + 30*time.Minute), berlin, "Mar 11 00:30:00"}, // tomorrow only in that zone
		{time.Time{}, time.UTC, "now"},
	} {
		if got := HumanTime(c.t, now, c.loc); got != c.want {
			t.Errorf("HumanTime(%v, %v) = %q, want %q", c.t, c.loc, got, c.want)
		}
	}
}

// Reasons are written in the policy's zone, with a date when not today.
func TestPolicyReasonInZone(t *testing.T) {
	p := defaultPolicy()
	p.Loc = time.FixedZone("X", -5*3600)
	at := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC) // Mar 9 22:00 in X
	s := watch.Session{ID: "s", State: watch.Stalled, Kind: "usage_limit", Attempts: 1,
		ErrorAt: at, StalledAt: at, ResetsAt: at.Add(2 * time.Hour)}
	d := p.Decide(s, at, nil)
	if want := "usage limit resets Mar 10 00:00:00"; !strings.Contains(d.Why, want) {
		t.Errorf("reason %q lacks %q (local zone, dated)", d.Why, want)
	}
	if strings.Contains(d.Why, "T05:00:00Z") || strings.Contains(d.Why, "05:00") {
		t.Errorf("reason %q still in UTC", d.Why)
	}
}

// A reset on the error's day, read days later, is dated: it is not today
// for the reader.
func TestPolicyReasonDatedAgainstNow(t *testing.T) {
	p := defaultPolicy()
	p.Loc = time.UTC
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	s := watch.Session{ID: "s", State: watch.Stalled, Kind: "usage_limit", Attempts: 1,
		ErrorAt: at, StalledAt: at, ResetsAt: at.Add(2 * time.Hour)}
	d := p.Decide(s, at.Add(48*time.Hour), nil)
	if want := "resets Mar 10 11:00:00"; !strings.Contains(d.Why, want) {
		t.Errorf("reason %q lacks %q", d.Why, want)
	}
}
