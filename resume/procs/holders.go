package procs

import (
	"context"
	"errors"
	"fmt"

	"github.com/ccwake/ccwake/watch"
)

// HolderFinder finds the Claude Code processes that may hold a session by
// reading the process table, whatever terminal they run in (tmux, screen, a
// plain terminal, none).
type HolderFinder struct{ Procs Table }

// Holder is one live Claude Code process that may hold a session.
type Holder struct {
	PID int
	Why string // "its sessions file names this session", "in the session's cwd under its root", …
}

// Holders returns every live Claude Code process that could hold s: one
// whose sessions file names s (in s's root or its own), or one in s's cwd
// whose root is s's root or unknown and whose sessions file names no other
// session. Any doubt counts as holding it: reopening a session that still
// runs would open it twice.
func (h HolderFinder) Holders(ctx context.Context, s watch.Session) ([]Holder, error) {
	list, err := h.Procs.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("holders of session %s: %w", s.ID, err)
	}
	var out []Holder
	seen := map[int]bool{}
	add := func(pid int, why string) {
		if !seen[pid] {
			seen[pid] = true
			out = append(out, Holder{PID: pid, Why: why})
		}
	}
	byPID := map[int]Proc{}
	for _, p := range list {
		if !p.Exited {
			byPID[p.PID] = p
		}
	}
	files, err := FindSessionFiles(s.Root, s.ID)
	if err != nil {
		return nil, fmt.Errorf("holders of session %s: %w", s.ID, err)
	}
	for _, f := range files {
		if p, ok := byPID[f.PID]; ok && StartMatches(f.ProcStart, p.Start) {
			add(f.PID, "its sessions file names this session")
		}
	}
	for _, p := range list {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("holders of session %s: %w", s.ID, err)
		}
		if seen[p.PID] || p.Exited || !LooksLikeClaude(ctx, h.Procs, p) {
			continue
		}
		id := Identify(ctx, h.Procs, p.PID, s.Root, p.Start)
		switch {
		case id.File != nil && id.File.SessionID == s.ID:
			add(p.PID, "its sessions file names this session")
		case id.RootKnown && !id.SameRoot:
			// another root: it cannot hold a transcript of this root
		case id.OtherSession(s.ID) != "" && id.Exact:
			// its own sessions file names another session
		default:
			cwd, err := h.Procs.Cwd(ctx, p.PID)
			if err != nil {
				if errors.Is(err, ErrExiting) {
					continue
				}
				if q, gone := h.Procs.Get(ctx, p.PID); gone != nil || q.Exited || q.Start != p.Start {
					continue // exited meanwhile, or its pid was reused
				}
				add(p.PID, "its cwd cannot be read")
				continue
			}
			if SameDir(cwd, s.Cwd) {
				add(p.PID, "it runs in the session's cwd under its root")
			}
		}
	}
	return out, nil
}
