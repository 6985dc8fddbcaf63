package classify

import (
	"testing"

	"github.com/tidwall/gjson"
)

// TestEachMemberMatchesGjson walks every fixture line with eachMember and
// with gjson: same keys, same raw values, same order.
func TestEachMemberMatchesGjson(t *testing.T) {
	n := 0
	for _, l := range fixtureLines(t) {
		s := string(l)
		if !gjson.Valid(s) {
			continue // the truncated fixture line
		}
		var want, got []string
		gjson.Parse(s).ForEach(func(k, v gjson.Result) bool {
			want = append(want, k.Raw, v.Raw)
			return true
		})
		eachMember(s, func(k, raw string) bool {
			got = append(got, `"`+k+`"`, raw)
			return true
		})
		if len(got) != len(want) {
			t.Fatalf("%d members, gjson %d: %.200s", len(got)/2, len(want)/2, s)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("member %d: %.80q, gjson %.80q", i/2, got[i], want[i])
			}
		}
		n++
	}
	if n < 400 {
		t.Fatalf("only %d lines checked", n)
	}
}
