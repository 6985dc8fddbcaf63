package main

import (
	"context"
	"errors"

	"github.com/ccwake/ccwake/resume"
)

// runDashboard shows the engine in the terminal until the user quits.
func runDashboard(ctx context.Context, eng *resume.Engine, o *options) error {
	return errors.New("dashboard not wired yet")
}
