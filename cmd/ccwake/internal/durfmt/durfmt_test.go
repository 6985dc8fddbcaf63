package durfmt

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{7 * 24 * time.Hour, "7d"},
		{24 * time.Hour, "1d"},
		{25 * time.Hour, "25h"},
		{90 * time.Minute, "1h30m"},
		{time.Hour, "1h"},
		{30 * time.Minute, "30m"},
		{90 * time.Second, "1m30s"},
		{5 * time.Second, "5s"},
		{1500 * time.Millisecond, "1.5s"},
		{0, "0s"},
	}
	for _, tt := range tests {
		got := Format(tt.d)
		if got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.d, got, tt.want)
		}
		if tt.d%(24*time.Hour) != 0 || tt.d == 0 { // what Go reads back itself
			if back, err := time.ParseDuration(got); err != nil || back != tt.d {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", got, back, err, tt.d)
			}
		}
	}
}
