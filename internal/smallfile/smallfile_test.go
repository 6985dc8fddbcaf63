package smallfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRead: a regular file up to max is read whole; a larger one, a FIFO
// (which would block a plain open until a writer came), a directory and a
// missing path are refused, each with an error that says which.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "1234.json")
	if err := os.WriteFile(small, []byte(`{"pid":1234}`), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(strings.Repeat("x", 1025)), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "5678.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		max        int64
		want       string // what is read; "" with no error: max bytes
		err        error  // errors.Is, or nil
		errText    string // in the error
	}{
		{name: "small", path: small, max: 1024, want: `{"pid":1234}`},
		{name: "exactly max", path: big, max: 1025},
		{name: "over max", path: big, max: 1024, errText: "over 1024 bytes"},
		{name: "fifo", path: fifo, max: 1024, err: ErrNotRegular},
		{name: "directory", path: dir, max: 1024, err: ErrNotRegular},
		{name: "missing", path: filepath.Join(dir, "gone.json"), max: 1024, err: fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Read(tt.path, tt.max)
			switch {
			case tt.err != nil:
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
			case tt.errText != "":
				if err == nil || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("err = %v, want one that says %q", err, tt.errText)
				}
			case err != nil:
				t.Fatal(err)
			case tt.want != "" && string(b) != tt.want:
				t.Fatalf("read %q, want %q", b, tt.want)
			case tt.want == "" && int64(len(b)) != tt.max:
				t.Fatalf("read %d bytes, want %d", len(b), tt.max)
			}
		})
	}
}
