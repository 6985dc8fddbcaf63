package doctor

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/service"
)

// doctor reads the service's state without needing the running binary:
// this test binary is go's temporary build, which install refuses, yet
// doctor says plainly that no service is installed.
func TestDoctorServiceWithoutBinary(t *testing.T) {
	home := t.TempDir()
	var out bytes.Buffer
	o := &Options{Stdout: &out, Getenv: func(k string) string {
		return map[string]string{"HOME": home, "PATH": t.TempDir()}[k]
	}}
	if _, err := service.RunningExe(); err == nil {
		t.Skip("the test binary is not in a go-build directory")
	}
	d := &doctor{w: &out, home: home}
	d.checkService(context.Background(), o)
	if d.warnings+d.failures != 0 || !strings.Contains(out.String(), "service: not installed") {
		t.Errorf("doctor: %d warnings, %d failures:\n%s", d.warnings, d.failures, out.String())
	}
	if err := service.Run(context.Background(), service.Options{Action: "install", Stdout: o.Stdout, Getenv: o.Getenv}); err == nil || !strings.Contains(err.Error(), "go run") {
		t.Errorf("install from go's temporary build: %v", err)
	}
}
