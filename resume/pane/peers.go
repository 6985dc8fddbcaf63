package pane

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ccwake/ccwake/internal/smallfile"
	"github.com/ccwake/ccwake/watch"
	"github.com/ccwake/ccwake/watch/classify"
)

// Telling sessions apart on screen. A Claude process without a sessions
// file (releases before 2.1.145) names no session; its screen is all there
// is. Throttle texts are the same in every session, and throttles hit
// sessions together, so the error on screen says nothing about whose pane
// it is. What differs is what the human typed: the last prompt. These
// helpers read it from transcripts (the stalled one and its neighbours in
// the same project directory, i.e. the same root and cwd).

const (
	// tailBytes bounds how much of a transcript's end is read. A stall's
	// last prompt is normally a few entries up; one farther up is not found,
	// and the pane is then not matched by its screen.
	tailBytes = 256 << 10
	// maxPeers bounds how many neighbour transcripts are read per Locate,
	// newest first.
	maxPeers = 200
	// fullTextAt: classify keeps at most 256 bytes of a user entry's text;
	// a text this long or longer may have been cut, so only its start is
	// compared.
	fullTextAt = 250
)

// tailView is what the end of one transcript tells.
type tailView struct {
	path   string
	id     string
	state  watch.State
	prompt string // the newest main-thread user entry's text; "" when none in the tail
}

// readTail reads the last tailBytes of a transcript. Only regular files are
// read (smallfile.Open: a FIFO named *.jsonl is refused, never waited on).
func readTail(path string) (tailView, error) {
	v := tailView{path: path}
	f, fi, err := smallfile.Open(path)
	if err != nil {
		return v, fmt.Errorf("transcript: %w", err)
	}
	defer f.Close()
	off := max(fi.Size()-tailBytes, 0)
	buf := make([]byte, fi.Size()-off)
	n, err := f.ReadAt(buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return v, fmt.Errorf("transcript %s: %w", path, err)
	}
	buf = buf[:n]
	if off > 0 { // the first line is cut: skip it
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			buf = nil
		} else {
			buf, off = buf[i+1:], off+int64(i)+1
		}
	}
	tr := watch.NewTracker(filepath.Dir(path), path)
	var promptAt time.Time
	var promptOff int64 = -1
	for {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			break // the last line is still being written
		}
		line, next := buf[:i], i+1
		e, err := classify.Parse(line, time.Local)
		if err == nil {
			tr.AddAt(e, off)
			if e.Role == classify.User && !e.Sidechain && strings.TrimSpace(e.Text) != "" &&
				(promptOff < 0 || e.Time.After(promptAt) || (e.Time.Equal(promptAt) && off > promptOff)) {
				v.prompt, promptAt, promptOff = e.Text, e.Time, off
			}
		}
		buf, off = buf[next:], off+int64(next)
	}
	s := tr.Session()
	v.id, v.state = s.ID, s.State
	return v, nil
}

// stalledPeers returns the other stalled sessions in the project directory
// of transcript (same root, same cwd): the sessions whose pane could show a
// stall too. A file of the same session id (claude --resume may write a
// second one) is the same session, not another. Only the maxPeers newest
// files are read: an older one stalled, resumed in a pane and showing the
// same prompt is not looked for. known=false when the directory cannot be
// listed.
func stalledPeers(transcript, sessionID string) (peers []tailView, known bool) {
	if transcript == "" {
		return nil, false
	}
	dir := filepath.Dir(transcript)
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, true
	}
	if err != nil {
		return nil, false
	}
	type file struct {
		path string
		mod  time.Time
	}
	var files []file
	for _, e := range ents {
		path := filepath.Join(dir, e.Name())
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".jsonl") || path == transcript {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		files = append(files, file{path, info.ModTime()})
	}
	// Newest first: a pane's session wrote its stall recently.
	slices.SortFunc(files, func(a, b file) int { return b.mod.Compare(a.mod) })
	for i, f := range files {
		if i >= maxPeers {
			break
		}
		v, err := readTail(f.path)
		if err != nil {
			// Unreadable: it may be stalled with any prompt.
			peers = append(peers, tailView{path: f.path, id: strings.TrimSuffix(filepath.Base(f.path), ".jsonl"), state: watch.Stalled})
			continue
		}
		if v.state == watch.Stalled && v.id != sessionID {
			peers = append(peers, v)
		}
	}
	return peers, true
}

// promptMatches reports whether a prompt block read from the screen shows
// the transcript text prompt: equal with all whitespace removed, or, when
// the transcript kept only the text's start, starting with it.
func promptMatches(onScreen, prompt string) bool {
	want, got := noSpace(prompt), noSpace(onScreen)
	if want == "" || got == "" {
		return false
	}
	if len(prompt) >= fullTextAt {
		return strings.HasPrefix(got, want)
	}
	return got == want
}
