package procs

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ccwake/ccwake/internal/jsondepth"
	"github.com/ccwake/ccwake/internal/smallfile"
)

// maxSessionFile bounds how much of a sessions file is read. Claude Code
// writes a few hundred bytes; anything near this is not one of its files.
const maxSessionFile = 64 << 10

// SessionFile is <root>/sessions/<pid>.json, which Claude Code 2.1.145+
// keeps while an interactive process runs. ccwake only reads it.
type SessionFile struct {
	Path      string
	PID       int
	SessionID string
	Cwd       string
	ProcStart string // field 22 of /proc/<pid>/stat when written: rules out a reused PID
	Version   string
	Kind      string // "interactive"
	// Tmux is "<session>:@<window-id>.%<pane-id>" (2.1.330+), "" before.
	Tmux string
}

// sessionFileJSON accepts pid and procStart as numbers or strings: 2.1.x
// writes procStart as a string, and a later release may not.
type sessionFileJSON struct {
	PID       json.RawMessage `json:"pid"`
	SessionID string          `json:"sessionId"`
	Cwd       string          `json:"cwd"`
	ProcStart json.RawMessage `json:"procStart"`
	Version   string          `json:"version"`
	Kind      string          `json:"kind"`
	Tmux      string          `json:"tmux"`
}

// SessionFilePath is where the sessions file of pid lives under root.
func SessionFilePath(root string, pid int) string {
	return filepath.Join(root, "sessions", strconv.Itoa(pid)+".json")
}

// ReadSessionFile reads and parses one sessions file.
func ReadSessionFile(path string) (SessionFile, error) {
	data, err := smallfile.Read(path, maxSessionFile)
	if err != nil {
		return SessionFile{}, fmt.Errorf("sessions file: %w", err)
	}
	return parseSessionFile(path, data)
}

func parseSessionFile(path string, data []byte) (SessionFile, error) {
	if err := jsondepth.Check(data, jsondepth.Max); err != nil {
		return SessionFile{}, fmt.Errorf("sessions file %s: %w", path, err)
	}
	var j sessionFileJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return SessionFile{}, fmt.Errorf("sessions file %s: %w", path, err)
	}
	pid, err := strconv.Atoi(rawScalar(j.PID))
	if err != nil || pid <= 0 {
		return SessionFile{}, fmt.Errorf("sessions file %s: bad pid %s", path, j.PID)
	}
	if j.SessionID == "" {
		return SessionFile{}, fmt.Errorf("sessions file %s: no sessionId", path)
	}
	return SessionFile{
		Path: path, PID: pid, SessionID: j.SessionID, Cwd: j.Cwd,
		ProcStart: rawScalar(j.ProcStart), Version: j.Version, Kind: j.Kind, Tmux: j.Tmux,
	}, nil
}

// rawScalar turns a JSON string or number into its text ("" for null/absent).
func rawScalar(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return ""
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return str
	}
	return s
}

// FindSessionFiles returns the sessions files under root that name
// sessionID. A missing sessions directory (Claude Code before 2.1.145) is
// not an error; unreadable single files are skipped.
func FindSessionFiles(root, sessionID string) ([]SessionFile, error) {
	if root == "" || sessionID == "" {
		return nil, nil
	}
	dir := filepath.Join(root, "sessions")
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var out []SessionFile
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		sf, err := ReadSessionFile(filepath.Join(dir, e.Name()))
		if err != nil || sf.SessionID != sessionID {
			continue
		}
		out = append(out, sf)
	}
	return out, nil
}

// ParseTmuxField splits "<session>:@<window>.%<pane>" (e.g. "cc:@0.%0"). The
// session name may itself contain ":" and ".", so it is cut at the last ":@".
func ParseTmuxField(s string) (session, window, pane string, err error) {
	i := strings.LastIndex(s, ":@")
	if i < 0 {
		return "", "", "", fmt.Errorf("tmux field %q: want <session>:@<window>.%%<pane>", s)
	}
	session = s[:i]
	win, p, ok := strings.Cut(s[i+1:], ".%")
	if !ok || len(win) < 2 || p == "" {
		return "", "", "", fmt.Errorf("tmux field %q: want <session>:@<window>.%%<pane>", s)
	}
	if _, err := strconv.Atoi(win[1:]); err != nil {
		return "", "", "", fmt.Errorf("tmux field %q: bad window id", s)
	}
	if _, err := strconv.Atoi(p); err != nil {
		return "", "", "", fmt.Errorf("tmux field %q: bad pane id", s)
	}
	return session, win, "%" + p, nil
}
