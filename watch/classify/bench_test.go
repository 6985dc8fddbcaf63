package classify

import (
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// BenchmarkParse measures Parse on a 1 MiB line (mostly one escaped string,
// as tool output is) and on the API-error lines of every fixture. The
// allocation figures show that a big line costs no copy of its content.
func BenchmarkParse(b *testing.B) {
	big := bigLine(1 << 20)
	b.Run("1MiB", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(big)))
		for b.Loop() {
			if _, err := Parse(big, time.UTC); err != nil {
				b.Fatal(err)
			}
		}
	})

	var errLines [][]byte
	size := 0
	for _, l := range fixtureLines(b) {
		if gjson.GetBytes(l, "isApiErrorMessage").Bool() {
			errLines = append(errLines, l)
			size += len(l)
		}
	}
	if len(errLines) == 0 {
		b.Fatal("no error lines in the fixtures")
	}
	b.Run("error-lines", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(errLines)))
		for i := 0; b.Loop(); i++ {
			e, err := Parse(errLines[i%len(errLines)], time.UTC)
			if err != nil || e.Err == nil {
				b.Fatal(err)
			}
		}
	})
}
