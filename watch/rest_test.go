package watch

import (
	"path/filepath"
	"testing"
	"time"
)

// After the cold start a working session's Tracker is dropped (most of
// 10,000 transcripts never change again: their Trackers were two fifths of
// the memory); a stalled one keeps its own.
func TestWorkingTranscriptsRestAfterStart(t *testing.T) {
	eachBackend(t, testWorkingTranscriptsRestAfterStart)
}

func testWorkingTranscriptsRestAfterStart(t *testing.T, o options) {
	root, proj := newRoot(t)
	work := filepath.Join(proj, "work.jsonl")
	stall := filepath.Join(proj, "stall.jsonl")
	writeFile(t, work, []byte(userLine("u1", ts+"1.000Z", "hi")+replyLine("r1", ts+"2.000Z")))
	writeFile(t, stall, []byte(userLine("u2", ts+"1.000Z", "hi")+errorLine("e2", ts+"2.000Z")))
	r := start(t, root, o)
	r.cancel()
	for range r.w.Events() {
	}
	if err := <-r.done; err != nil {
		t.Fatal(err)
	}
	r.done <- nil // for the cleanup
	if tr := r.w.files[work].tr; tr != nil {
		t.Errorf("working transcript keeps its Tracker after the start")
	}
	if tr := r.w.files[stall].tr; tr == nil {
		t.Errorf("stalled transcript lost its Tracker")
	}
}

// A dormant transcript that changes gives the same session as a fresh cold
// read of the whole file: lines appended are ordered against the ones read
// before (here an error whose parent is the earlier reply, and a prompt in
// between), and its attempts and times come out the same.
func TestDormantTranscriptWakesLikeAFreshRead(t *testing.T) {
	eachBackend(t, testDormantTranscriptWakesLikeAFreshRead)
}

func testDormantTranscriptWakesLikeAFreshRead(t *testing.T, o options) {
	root, proj := newRoot(t)
	path := filepath.Join(proj, "s.jsonl")
	writeFile(t, path, []byte(userLine("u1", ts+"1.000Z", "hi")+replyLine("r1", ts+"2.000Z")+metaLine("r1")))
	r := start(t, root, o)
	appendFile(t, path, []byte(userLine("u2", ts+"3.000Z", "more")+childErrorLine("e1", "u2", ts+"4.000Z")))
	r.wait(t, "the first error", changedTo(path, "e1"))
	appendFile(t, path, []byte(childErrorLine("e2", "e1", ts+"5.000Z")+"{\"parentUuid\":\"e2\",\"type\":\"user\""))
	got := r.wait(t, "the second error", changedTo(path, "e2")).Session
	want, _, err := Scan(t.Context(), Config{Roots: []string{root}, Loc: time.UTC})
	if err != nil || len(want) != 1 {
		t.Fatalf("scan: %v %v", want, err)
	}
	if !sameView(got, want[0]) || got.Attempts != 2 || got.State != Stalled {
		t.Errorf("woken:\n got %+v\nwant %+v", got, want[0])
	}
}
