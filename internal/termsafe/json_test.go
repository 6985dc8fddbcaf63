package termsafe

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
)

// TestJSON: what encoding/json leaves raw (C1 controls, bidi controls) is
// escaped, the document still decodes to the exact text, and JSON without
// any comes back unchanged.
func TestJSON(t *testing.T) {
	tests := []struct{ name, in, wantEsc string }{
		{"8-bit CSI", "a\u009b2Jb", `a\u009b2Jb`},
		{"C1 NEL and ST", "\u0085x\u009c", `\u0085x\u009c`},
		{"RLO", "evil\u202Egnp.exe", `evil\u202egnp.exe`},
		{"isolates and marks", "\u2066a\u2069\u200E\u061C", `\u2066a\u2069\u200e\u061c`},
		{"DEL", "a\x7fb", `a\u007fb`},
		{"ESC stays escaped by encoding/json", "\x1b[2J", `\u001b[2J`},
		{"plain, wide and RTL letters unchanged", "日本語 é مرحبا", "日本語 é مرحبا"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, indent := range []bool{false, true} {
				v := map[string]any{"message": tt.in, "n": []int{1, 2}}
				var raw []byte
				var err error
				if indent {
					raw, err = json.MarshalIndent(v, "", "  ")
				} else {
					raw, err = json.Marshal(v)
				}
				if err != nil {
					t.Fatal(err)
				}
				got := string(JSON(raw))
				if !strings.Contains(got, `"message":`) || !strings.Contains(got, tt.wantEsc) {
					t.Fatalf("JSON(%s) = %s, want it to hold %s", raw, got, tt.wantEsc)
				}
				for _, r := range got {
					if r >= 0x7f && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
						t.Fatalf("JSON(%s) = %s: raw %U left", raw, got, r)
					}
				}
				var back map[string]any
				if err := json.Unmarshal([]byte(got), &back); err != nil {
					t.Fatalf("escaped JSON does not decode: %v: %s", err, got)
				}
				if back["message"] != tt.in {
					t.Fatalf("decoded %q, want the exact %q", back["message"], tt.in)
				}
			}
		})
	}
	clean := []byte(`{"a":"b"}`)
	if got := JSON(clean); &got[0] != &clean[0] {
		t.Error("clean JSON was copied")
	}
}
