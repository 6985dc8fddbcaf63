package main

import (
	"context"
	"errors"
	"io"
)

// runMain is `ccwake` (dashboard) and `ccwake --auto` (headless).
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not wired yet")
}
