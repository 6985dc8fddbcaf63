package resume

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Runner is the one seam through which ccwake runs external commands (tmux,
// and lsof on macOS). Everything above it builds argv in pure functions,
// so unit tests swap in a FakeRunner and integration tests use the real one
// against a private tmux server.
type Runner interface {
	// Run executes argv[0] with argv[1:] (never through a shell) and returns
	// its standard output. A failing command's error includes its stderr.
	Run(ctx context.Context, argv ...string) ([]byte, error)
}

// DefaultTimeout bounds every external command: a wedged tmux server must
// not hang the resumer.
const DefaultTimeout = 3 * time.Second

// ExecRunner runs commands with os/exec. The zero value uses DefaultTimeout.
type ExecRunner struct {
	Timeout time.Duration // per call; 0 means DefaultTimeout
	Env     []string      // environment for the child; nil inherits ours
}

// Run implements Runner.
func (r ExecRunner) Run(ctx context.Context, argv ...string) ([]byte, error) {
	if len(argv) == 0 {
		return nil, errors.New("run: empty argv")
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = r.Env
	// A child that leaves a grandchild holding our pipes must not keep us
	// waiting past the timeout.
	cmd.WaitDelay = 500 * time.Millisecond
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if ctx.Err() == context.DeadlineExceeded {
			return stdout.Bytes(), fmt.Errorf("%s: %w after %s", quoteArgv(argv), ErrTimeout, timeout)
		}
		if msg != "" {
			return stdout.Bytes(), fmt.Errorf("%s: %w: %s", quoteArgv(argv), err, msg)
		}
		return stdout.Bytes(), fmt.Errorf("%s: %w", quoteArgv(argv), err)
	}
	return stdout.Bytes(), nil
}

// quoteArgv renders argv for error messages, quoting words that need it, so
// a log line shows exactly what ran.
func quoteArgv(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\#$") {
			parts[i] = fmt.Sprintf("%q", a)
		} else {
			parts[i] = a
		}
	}
	return strings.Join(parts, " ")
}
