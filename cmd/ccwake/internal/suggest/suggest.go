// Package suggest finds the nearest of some names to a mistyped one, for
// "did you mean" after an unknown command or flag.
package suggest

import "strings"

// nearest is the candidate a mistyped word most likely meant: the only one
// it is a prefix of ("v" → "version"), else the one fewest edits away when
// that is few for the word's length ("stauts" → "status"); "" when none is
// close, so a wild guess is never offered.
func nearest(word string, candidates []string) string {
	if word == "" {
		return ""
	}
	var prefixed []string
	for _, c := range candidates {
		if strings.HasPrefix(c, word) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	best, bestD := "", max(1, len(word)/3)+1
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment) of a and b: an adjacent swap ("stauts") is one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// DidYouMean is ": did you mean X?" for the nearest candidate, "" for none.
func DidYouMean(word string, candidates []string, show func(string) string) string {
	if n := nearest(word, candidates); n != "" {
		return ": did you mean " + show(n) + "?"
	}
	return ""
}
