package mux

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestExecRunner(t *testing.T) {
	ctx := context.Background()
	out, err := ExecRunner{}.Run(ctx, "echo", "a b", "$HOME")
	if err != nil || string(out) != "a b $HOME\n" {
		t.Errorf("echo: %q, %v (argv must not go through a shell)", out, err)
	}
	_, err = ExecRunner{}.Run(ctx, "sh", "-c", "echo oops >&2; exit 3")
	if err == nil || !containsAll(err.Error(), "oops", "exit status 3") {
		t.Errorf("failing command: err = %v, want stderr and status in it", err)
	}
	_, err = ExecRunner{Timeout: 50 * time.Millisecond}.Run(ctx, "sleep", "5")
	if err == nil || !containsAll(err.Error(), "timed out") || !errors.Is(err, ErrTimeout) {
		t.Errorf("slow command: err = %v, want a timeout (ErrTimeout)", err)
	}
	if _, err := (ExecRunner{}).Run(ctx); err == nil {
		t.Error("empty argv: want an error")
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
