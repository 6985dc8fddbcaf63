package resume

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/ccwake/ccwake/resume/pane"
	"github.com/ccwake/ccwake/watch"
)

// fakeActor is an Actor that records every call ("locate s1", "type %1
// continue", …) and answers from what the test set.
type fakeActor struct {
	mu      sync.Mutex
	calls   []string
	panes   map[string]pane.Target // by session id; missing: no pane
	verdict map[string]pane.Verdict
	holds   bool
	typeErr error
	// onCheck and onType run inside the call (on the job's goroutine),
	// e.g. to make the watcher report a new entry at that moment.
	onCheck func(s watch.Session)
	onType  func(t pane.Target, msg string)
	// hang, when set, makes Locate wait for it to close or for the
	// attempt's deadline, like a tmux server that does not answer.
	hang chan struct{}
	// checkWait, when set, runs inside Check with the attempt's context.
	checkWait func(ctx context.Context)
}

func newFakeActor() *fakeActor {
	return &fakeActor{panes: map[string]pane.Target{}, verdict: map[string]pane.Verdict{}}
}

// addPane puts session id in pane with verdict ready.
func (f *fakeActor) addPane(id, p string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.panes[id] = pane.Target{Pane: p, PID: 100, How: "fake"}
	f.verdict[p] = pane.Verdict{OK: true, Screen: pane.ScreenReady, Reason: "ready"}
}

func (f *fakeActor) setScreen(p string, sc pane.Screen) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.verdict[p] = pane.Verdict{OK: sc == pane.ScreenReady, Screen: sc, Reason: "screen: " + string(sc)}
}

// setVerdict makes every Check of pane return v.
func (f *fakeActor) setVerdict(p string, v pane.Verdict) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.verdict[p] = v
}

func (f *fakeActor) setHolds(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.holds = v
}

func (f *fakeActor) add(format string, a ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, a...))
}

// Calls returns the calls so far.
func (f *fakeActor) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// count counts calls starting with prefix ("type", "enter %1").
func (f *fakeActor) count(prefix string) int {
	n := 0
	for _, c := range f.Calls() {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (f *fakeActor) Locate(ctx context.Context, s watch.Session) (pane.Target, error) {
	f.mu.Lock()
	f.add("locate %s", s.ID)
	hang := f.hang
	f.mu.Unlock()
	if hang != nil {
		select {
		case <-hang:
		case <-ctx.Done():
			return pane.Target{}, fmt.Errorf("locate: list panes: %w", ctx.Err())
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.panes[s.ID]
	if !ok {
		return pane.Target{}, errors.New("not running in tmux")
	}
	return t, nil
}

func (f *fakeActor) Check(ctx context.Context, t pane.Target, s watch.Session) pane.Verdict {
	f.mu.Lock()
	f.add("check %s", t.Pane)
	v := f.verdict[t.Pane]
	hook, wait := f.onCheck, f.checkWait
	f.mu.Unlock()
	if hook != nil {
		hook(s)
	}
	if wait != nil {
		wait(ctx)
	}
	return v
}

func (f *fakeActor) Type(_ context.Context, t pane.Target, msg string) error {
	f.mu.Lock()
	f.add("type %s %s", t.Pane, msg)
	hook, err := f.onType, f.typeErr
	f.mu.Unlock()
	if hook != nil {
		hook(t, msg)
	}
	return err
}

func (f *fakeActor) Enter(_ context.Context, t pane.Target) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.add("enter %s", t.Pane)
	return nil
}

func (f *fakeActor) Escape(_ context.Context, t pane.Target) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.add("escape %s", t.Pane)
	return nil
}

func (f *fakeActor) InputHolds(_ context.Context, t pane.Target, msg string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.add("holds %s", t.Pane)
	return f.holds, nil
}
