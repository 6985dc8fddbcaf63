package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/ccwake/ccwake/ui"
)

// runDashboard shows the engine in the terminal until the user quits.
// NO_COLOR (any value) turns colours off, as https://no-color.org asks.
func runDashboard(ctx context.Context, eng ui.Engine, log *slog.Logger, bell <-chan struct{}, notify []string) error {
	return ui.Run(ctx, eng, ui.Options{
		Now:     time.Now,
		Loc:     time.Local,
		NoColor: os.Getenv("NO_COLOR") != "",
		Logger:  log,
		Bell:    bell,
		Notify:  notify,
	})
}
