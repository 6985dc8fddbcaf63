//go:build darwin

package notify

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Desktop shows events as macOS notifications through osascript's `display
// notification`, the system's own scripting bridge (no maintained Go
// library wraps the native UserNotifications API without cgo). The text
// goes in as arguments (osascriptArgs), never into the script.
type Desktop struct {
	Address string // unused on macOS
}

// NewDesktop returns a Desktop; address is ignored on macOS.
func NewDesktop(address string) *Desktop { return &Desktop{Address: address} }

// Name implements Sink.
func (d *Desktop) Name() string { return "desktop" }

// Send implements Sink.
func (d *Desktop) Send(ctx context.Context, ev Event) error {
	if out, err := exec.CommandContext(ctx, "osascript", osascriptArgs(ev.Title, ev.Message)...).CombinedOutput(); err != nil {
		return fmt.Errorf("desktop notification: osascript: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Close implements io.Closer for symmetry with the D-Bus Desktop.
func (d *Desktop) Close() error { return nil }
