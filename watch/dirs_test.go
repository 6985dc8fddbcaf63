package watch

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// A removed project dir ends its transcripts (and only its own, not those of
// a sibling whose name it prefixes), under each backend and inotify's
// polling fallback; the same dir and
// transcript coming back are followed again.
func TestProjectDirRemoved(t *testing.T) {
	type variant struct {
		name string
		o    options
	}
	var variants []variant
	for _, b := range testBackends(t) {
		variants = append(variants, variant{string(b), backendOptions(b)})
		if b == Inotify { // inotify's own fallback: watches used up
			o := backendOptions(b)
			_, o.newNotifier = fakeNotify(true)
			o.pollEvery = 20 * time.Millisecond
			variants = append(variants, variant{"inotify-fallback-polled", o})
		}
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			root, _ := newRoot(t)
			a := filepath.Join(root, "projects", "-work-a")
			ab := filepath.Join(root, "projects", "-work-a-b") // "-work-a" is a prefix of its name
			pa := filepath.Join(a, "a.jsonl")
			pab := filepath.Join(ab, "ab.jsonl")
			for _, p := range []string{pa, pab} {
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, p, []byte(replyLine("r-"+filepath.Base(p), ts+"1.000Z")))
			}
			r := start(t, root, v.o)
			if err := os.RemoveAll(a); err != nil {
				t.Fatal(err)
			}
			r.wait(t, "a gone", func(e Event) bool { return e.Kind == SessionGone && e.Session.Transcript == pa })
			if err := os.MkdirAll(a, 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, pa, []byte(errorLine("e1", ts+"2.000Z")))
			r.wait(t, "a back", changedTo(pa, "e1"))
			appendFile(t, pab, []byte(errorLine("e2", ts+"3.000Z")))
			r.wait(t, "ab still followed", changedTo(pab, "e2"))
			for _, e := range r.events {
				if e.Kind == SessionGone && e.Session.Transcript == pab {
					t.Fatalf("sibling dir's transcript reported gone:\n%s", r.dump())
				}
			}
			var paths []string
			for _, s := range r.w.Sessions() {
				paths = append(paths, s.Transcript)
			}
			want := []string{pa, pab}
			slices.Sort(want)
			if !slices.Equal(paths, want) {
				t.Fatalf("sessions %q", paths)
			}
		})
	}
}
