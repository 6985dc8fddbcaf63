package suggest

import "testing"

func TestDidYouMean(t *testing.T) {
	cmds := []string{"status", "doctor", "service", "serve", "version"}
	show := func(s string) string { return s }
	tests := []struct {
		word, want string
	}{
		{"stauts", ": did you mean status?"}, // an adjacent swap is one edit
		{"doc", ": did you mean doctor?"},    // the only name it begins
		{"serv", ": did you mean serve?"},    // two names begin so: the nearest
		{"v", ": did you mean version?"},
		{"statsu", ": did you mean status?"},
		{"xyz", ""},    // nothing near: no wild guess
		{"", ""},       // nothing typed
		{"reopen", ""}, // far from every name
		{"sttus", ": did you mean status?"},
	}
	for _, tt := range tests {
		if got := DidYouMean(tt.word, cmds, show); got != tt.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "", 1},
		{"status", "stauts", 1},
		{"kitten", "sitting", 3},
		{"ça", "ca", 1}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
