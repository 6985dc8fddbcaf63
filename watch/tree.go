package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// dirKind is a directory's place in a Claude config root.
type dirKind uint8

const (
	rootDir     dirKind = iota + 1 // <root>, watched only while projects/ is missing
	projectsDir                    // <root>/projects
	projectDir                     // <root>/projects/<slug>: holds the transcripts
	sessionDir                     // <project>/<session-id>: watched for its subagents/ to appear
	agentDir                       // <project>/<session-id>/subagents and below: subagent transcripts
)

// maxAgentDepth bounds how deep below a session dir subagent files are
// looked for: subagents/agent-*.jsonl and subagents/workflows/<run>/agent-*.jsonl
// are two and four levels down.
const maxAgentDepth = 4

// dirState is one directory the tree knows.
type dirState struct {
	kind    dirKind
	root    string
	polled  bool   // not watched by fsnotify: looked at on every poll tick
	lastErr string // last listing problem, to warn once rather than on every tick
}

// tree knows the directories of the roots and which of them fsnotify
// watches. It watches directories, never files: one inotify watch per
// project dir sees every transcript in it, new ones included.
//
// Transcripts are <root>/projects/<slug>/<id>.jsonl. Subagent transcripts
// are <project>/agent-<id>.jsonl (2.0.x) and
// <project>/<session-id>/subagents/[workflows/<run>/]agent-<id>.jsonl (2.1.x);
// they are reported too, and the watcher folds them into their parent
// session (a cap a subagent hits can stall an idle session), never into a
// session of their own. Each session dir costs one more watch. Non-JSONL
// entries (*.md, meta files) are ignored.
//
// A tree is used by one goroutine.
type tree struct {
	fsys   fileSystem
	n      notifier // nil: list only (Scan)
	dirs   map[string]*dirState
	warn   func(error)
	found  func(root, path string, e fs.DirEntry) // a transcript file was listed
	polled int                                    // how many dirs are polled
	// addErrs are the watch failures already reported, by cause: when
	// watches run out, every further directory fails the same way, and one
	// warning says it.
	addErrs map[string]bool
}

func newTree(fsys fileSystem, n notifier, warn func(error), found func(root, path string, e fs.DirEntry)) *tree {
	return &tree{fsys: fsys, n: n, dirs: make(map[string]*dirState), warn: warn, found: found, addErrs: make(map[string]bool)}
}

// isTranscript reports whether a file name is a session or subagent transcript.
func isTranscript(name string) bool {
	return strings.HasSuffix(name, ".jsonl") && !strings.HasPrefix(filepath.Base(name), ".")
}

// isAgentFile reports whether a transcript is a subagent's: its turns belong
// to the parent session, whose id its entries carry.
func isAgentFile(path string) bool {
	return strings.HasPrefix(filepath.Base(path), "agent-") && isTranscript(path)
}

// watch starts watching dir. When fsnotify cannot (inotify watches used up,
// no permission), the directory is polled instead and the user told why.
// It reports false when dir does not exist.
func (t *tree) watch(dir string, kind dirKind, root string) bool {
	if _, ok := t.dirs[dir]; ok {
		return true
	}
	d := &dirState{kind: kind, root: root}
	if t.n != nil {
		if err := t.n.Add(dir); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return false
			}
			d.polled = true
			t.polled++
			switch {
			case errors.Is(err, syscall.ENOSPC):
				if !t.addErrs["ENOSPC"] {
					t.addErrs["ENOSPC"] = true
					t.warn(fmt.Errorf("watch %s: inotify watches used up (raise fs.inotify.max_user_watches): polling this and further unwatchable directories instead: %w", dir, err))
				}
			case errors.Is(err, errNoNotify):
				if !t.addErrs["dead"] {
					t.addErrs["dead"] = true
					t.warn(fmt.Errorf("watch %s: %w: polling every directory instead", dir, err))
				}
			default:
				t.warn(fmt.Errorf("watch %s: %w (polling it instead)", dir, err))
			}
		}
	}
	t.dirs[dir] = d
	return true
}

// unwatch forgets dir and everything below it.
func (t *tree) unwatch(dir string) {
	for p, d := range t.dirs {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			if d.polled {
				t.polled--
			} else if t.n != nil {
				_ = t.n.Remove(p) // the kernel drops the watch of a deleted dir itself
			}
			delete(t.dirs, p)
		}
	}
}

// addRoot finds root's projects dir and everything in it. While projects/
// does not exist, the root itself is watched for it to appear.
func (t *tree) addRoot(root string) {
	projects := filepath.Join(root, "projects")
	info, err := t.fsys.Stat(projects)
	switch {
	case err == nil && info.IsDir():
		if _, ok := t.dirs[root]; ok {
			t.unwatch(root) // projects/ is here: the root's own churn (history, sessions) is no concern
		}
		if t.watch(projects, projectsDir, root) {
			t.listProjects(root, projects)
		}
		return
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		t.warn(fmt.Errorf("stat %s: %w", projects, err))
	}
	t.watch(root, rootDir, root)
}

// listProjects adds every project dir under projects.
func (t *tree) listProjects(root, projects string) {
	ents, ok := t.list(projects)
	for _, e := range ents {
		if !ok {
			break
		}
		p := filepath.Join(projects, e.Name())
		if !e.IsDir() {
			if e.Type()&fs.ModeSymlink == 0 {
				continue
			}
			if info, err := t.fsys.Stat(p); err != nil || !info.IsDir() {
				continue
			}
		}
		t.addProject(root, p)
	}
}

// addProject watches a project dir and reports its transcripts.
func (t *tree) addProject(root, dir string) {
	if t.watch(dir, projectDir, root) {
		t.listFiles(root, dir)
	}
}

// listFiles reports every transcript in a project dir (or a subagent dir)
// and adds the directories in it. It does not stat the files: the cold
// start does that in parallel.
func (t *tree) listFiles(root, dir string) {
	ents, _ := t.list(dir)
	d := t.dirs[dir]
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir() && d != nil && d.kind == projectDir:
			t.addSessionDir(root, p)
		case e.IsDir() && d != nil && d.kind == agentDir:
			t.addAgentDir(root, p)
		case isTranscript(e.Name()) && (e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0):
			if d == nil || d.kind != agentDir || isAgentFile(p) {
				t.found(root, p, e)
			}
		}
	}
}

// addSessionDir watches a directory in a project dir for a subagents/
// directory, and adds that when it is there.
func (t *tree) addSessionDir(root, dir string) {
	if !t.watch(dir, sessionDir, root) {
		return
	}
	sub := filepath.Join(dir, "subagents")
	if info, err := t.fsys.Stat(sub); err == nil && info.IsDir() {
		t.addAgentDir(root, sub)
	}
}

// addAgentDir watches a subagents/ directory (or one below it) and reports
// the subagent transcripts in it.
func (t *tree) addAgentDir(root, dir string) {
	if agentDepth(dir) > maxAgentDepth {
		return
	}
	if t.watch(dir, agentDir, root) {
		t.listFiles(root, dir)
	}
}

// agentDepth is how many levels dir lies below its session dir
// (subagents/ is 1).
func agentDepth(dir string) int {
	parts := strings.Split(filepath.ToSlash(dir), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] == "subagents" {
			return len(parts) - i
		}
	}
	return maxAgentDepth + 1
}

// entryInfo stats a listed file, following a symlink.
func entryInfo(fsys fileSystem, path string, e fs.DirEntry) (fs.FileInfo, error) {
	if e == nil || e.Type()&fs.ModeSymlink != 0 {
		return fsys.Stat(path)
	}
	return e.Info()
}

// list reads a directory, warning once per new problem.
func (t *tree) list(dir string) ([]fs.DirEntry, bool) {
	ents, err := t.fsys.ReadDir(dir)
	d := t.dirs[dir]
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false
		}
		msg := err.Error()
		if d == nil || d.lastErr != msg {
			t.warn(fmt.Errorf("list %s: %w", dir, err))
		}
		if d != nil {
			d.lastErr = msg
		}
		return ents, false
	}
	if d != nil {
		d.lastErr = ""
	}
	return ents, true
}

// isNewDir reports whether ev created the directory name.
func (t *tree) isNewDir(ev fsnotify.Event, name string) bool {
	if !ev.Has(fsnotify.Create) {
		return false
	}
	info, err := t.fsys.Stat(name)
	return err == nil && info.IsDir()
}

// rescan lists every known directory again: after an fsnotify queue
// overflow, events were lost and only a fresh look tells what changed.
func (t *tree) rescan(roots []string) {
	for _, r := range roots {
		t.addRoot(r)
	}
	for p, d := range t.dirs {
		switch d.kind {
		case projectDir, agentDir:
			t.listFiles(d.root, p)
		case sessionDir:
			t.addSessionDir(d.root, p)
		}
	}
}

// poll looks at the directories fsnotify does not watch: it tries to watch
// them again (permissions may have been fixed, watches freed) and lists them
// for new entries.
func (t *tree) poll() {
	for p, d := range t.dirs {
		if !d.polled {
			continue
		}
		if t.n != nil && t.n.Add(p) == nil {
			d.polled = false
			t.polled--
		}
		switch d.kind {
		case rootDir:
			t.addRoot(d.root)
		case projectsDir:
			t.listProjects(d.root, p)
		case projectDir, agentDir:
			t.listFiles(d.root, p)
		case sessionDir:
			t.addSessionDir(d.root, p)
		}
	}
}

// handle updates the tree for one fsnotify event and reports the transcript
// it concerns and its root ("" when none); dropped is set when a directory
// vanished.
func (t *tree) handle(ev fsnotify.Event) (root, transcript, dropped string) {
	name := filepath.Clean(ev.Name)
	if d, ok := t.dirs[name]; ok && ev.Has(fsnotify.Remove|fsnotify.Rename) {
		t.unwatch(name)
		if d.kind == projectsDir {
			t.addRoot(d.root) // watch the root for projects/ to come back
		}
		return "", "", name
	}
	parent, ok := t.dirs[filepath.Dir(name)]
	if !ok {
		return "", "", ""
	}
	switch parent.kind {
	case rootDir:
		if filepath.Base(name) == "projects" && ev.Has(fsnotify.Create) {
			t.addRoot(parent.root)
		}
	case projectsDir:
		if ev.Has(fsnotify.Create) {
			if info, err := t.fsys.Stat(name); err == nil && info.IsDir() {
				t.addProject(parent.root, name)
			}
		}
	case projectDir:
		if isTranscript(name) {
			return parent.root, name, ""
		}
		if t.isNewDir(ev, name) {
			t.addSessionDir(parent.root, name)
		}
	case sessionDir:
		if filepath.Base(name) == "subagents" && t.isNewDir(ev, name) {
			t.addAgentDir(parent.root, name)
		}
	case agentDir:
		if isAgentFile(name) {
			return parent.root, name, ""
		}
		if t.isNewDir(ev, name) {
			t.addAgentDir(parent.root, name)
		}
	}
	return "", "", ""
}
