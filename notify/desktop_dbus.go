//go:build !darwin

package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/godbus/dbus/v5"
)

// freedesktop notification service names
// (https://specifications.freedesktop.org/notification-spec/).
const (
	notifyDest   = "org.freedesktop.Notifications"
	notifyPath   = "/org/freedesktop/Notifications"
	notifyMethod = "org.freedesktop.Notifications.Notify"
)

// Desktop shows events as desktop notifications. Here (Linux and the other
// Unixes) that is the freedesktop Notify call over the D-Bus session bus.
// The connection is opened on first use and again after it broke.
type Desktop struct {
	// Address is the bus address; "" means the session bus
	// ($DBUS_SESSION_BUS_ADDRESS).
	Address string

	mu   sync.Mutex
	conn *dbus.Conn
}

// NewDesktop returns a Desktop for the bus at address ("" session bus).
func NewDesktop(address string) *Desktop { return &Desktop{Address: address} }

// Name implements Sink.
func (d *Desktop) Name() string { return "desktop" }

// Send implements Sink.
func (d *Desktop) Send(ctx context.Context, ev Event) error {
	conn, err := d.connect(ctx)
	if err != nil {
		return err
	}
	urgency := byte(1) // normal
	timeout := int32(desktopTimeout.Milliseconds())
	if urgent(ev.Event) {
		urgency, timeout = 2, 0 // critical, stays until dismissed
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgency)}
	title, message := ev.display()
	call := conn.Object(notifyDest, notifyPath).CallWithContext(ctx, notifyMethod, 0,
		"ccwake", uint32(0), "", title, message, []string{}, hints, timeout)
	if call.Err != nil {
		d.drop(conn)
		return fmt.Errorf("desktop notification: %w", call.Err)
	}
	return nil
}

// Close closes the bus connection.
func (d *Desktop) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close()
	d.conn = nil
	return err
}

func (d *Desktop) connect(ctx context.Context) (*dbus.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil && d.conn.Connected() {
		return d.conn, nil
	}
	addr := d.Address
	if addr == "" {
		var err error
		if addr, err = sessionBusAddress(os.Getenv); err != nil {
			return nil, err
		}
	}
	conn, err := dbus.Connect(addr, dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("desktop notification: connect to the session bus: %w", err)
	}
	d.conn = conn
	return conn, nil
}

// drop forgets a connection after a failed call, so the next Send redials.
func (d *Desktop) drop(conn *dbus.Conn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == conn && !conn.Connected() {
		d.conn = nil
		conn.Close()
	}
}

// sessionBusAddress finds the session bus the way a desktop session
// advertises it: $DBUS_SESSION_BUS_ADDRESS, else the socket systemd puts in
// $XDG_RUNTIME_DIR/bus. Unlike godbus's own lookup it never autolaunches a
// bus (dbus-launch) and never sets environment variables.
func sessionBusAddress(getenv func(string) string) (string, error) {
	if a := getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return a, nil
	}
	if dir := getenv("XDG_RUNTIME_DIR"); dir != "" {
		p := filepath.Join(dir, "bus")
		if fi, err := os.Stat(p); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return "unix:path=" + p, nil
		}
	}
	return "", errors.New("desktop notification: connect to the session bus: no session bus (DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR/bus does not exist)")
}
