//go:build !darwin

package notify

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/ccwake/ccwake/internal/testwait"
)

// busConfig is a private session bus that lets the test claim any name.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%SOCKET%</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// startBus runs a private dbus-daemon for the test and returns its address.
// It skips when dbus-daemon is not installed.
func startBus(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon not installed (Debian: apt-get install dbus): the desktop path needs a real session bus")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(busConfig, "%SOCKET%", filepath.Join(dir, "bus"))), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config-file="+cfg, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder // "failed to set fd limit" and the like; shown on failure
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("dbus-daemon stderr:\n%s", stderr.String())
		}
	})
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		return a
	case <-testwait.After(t):
		t.Fatal("dbus-daemon did not print its address")
	}
	return ""
}

// notification is one Notify call the test server received.
type notification struct {
	app, summary, body string
	urgency            byte
	timeout            int32
}

// notifyServer implements org.freedesktop.Notifications.Notify and records
// the calls, as a desktop's notification daemon would show them.
type notifyServer struct {
	mu   sync.Mutex
	got  []notification
	next uint32
}

// Notify has the signature of the freedesktop spec.
func (s *notifyServer) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := notification{app: app, summary: summary, body: body, timeout: timeout}
	if v, ok := hints["urgency"]; ok {
		n.urgency, _ = v.Value().(byte)
	}
	s.got = append(s.got, n)
	s.next++
	return s.next, nil
}

func (s *notifyServer) calls() []notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]notification(nil), s.got...)
}

// serveNotifications claims org.freedesktop.Notifications on the bus.
func serveNotifications(t *testing.T, addr string) *notifyServer {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	srv := &notifyServer{}
	if err := conn.ExportMethodTable(map[string]any{"Notify": srv.Notify}, notifyPath, notifyDest); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(notifyDest, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("claim %s: %v (reply %d)", notifyDest, err, reply)
	}
	return srv
}

func TestDesktopOverARealSessionBus(t *testing.T) {
	addr := startBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr) // the session bus, as --notify-desktop finds it
	d := NewDesktop("")
	defer d.Close()

	// No notification service yet: a clear error, not a hang.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Send(ctx, sampleEvent()); err == nil || !strings.Contains(err.Error(), "desktop notification") {
		t.Fatalf("no service on the bus: want an error, got %v", err)
	}

	srv := serveNotifications(t, addr)
	stalledEv := sampleEvent()
	fatalEv := sampleEvent()
	fatalEv.Event, fatalEv.Title, fatalEv.Message = Fatal, "ccwake: api needs you", "credit balance is too low"
	for _, ev := range []Event{stalledEv, fatalEv} {
		if err := d.Send(ctx, ev); err != nil {
			t.Fatalf("send %s: %v", ev.Event, err)
		}
	}
	want := []notification{
		{app: "ccwake", summary: stalledEv.Title, body: stalledEv.Message, urgency: 1, timeout: int32(desktopTimeout.Milliseconds())},
		{app: "ccwake", summary: fatalEv.Title, body: fatalEv.Message, urgency: 2, timeout: 0},
	}
	got := srv.calls()
	if len(got) != len(want) {
		t.Fatalf("got %d notifications: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("notification %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestDesktopWithoutABus(t *testing.T) {
	d := NewDesktop("unix:path=" + filepath.Join(t.TempDir(), "no-bus"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Send(ctx, sampleEvent()); err == nil || !strings.Contains(err.Error(), "session bus") {
		t.Fatalf("want a connect error, got %v", err)
	}
}

func TestSessionBusAddress(t *testing.T) {
	addr := startBus(t) // a real socket to find
	sock := strings.TrimPrefix(addr, "unix:path=")
	sock, _, _ = strings.Cut(sock, ",")
	runtime := filepath.Dir(sock)
	if filepath.Base(sock) != "bus" {
		t.Fatalf("test bus socket %q is not named bus", sock)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // "" means an error
	}{
		{"the variable wins", map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x", "XDG_RUNTIME_DIR": runtime}, "unix:path=/x"},
		{"the runtime dir's socket", map[string]string{"XDG_RUNTIME_DIR": runtime}, "unix:path=" + sock},
		{"autolaunch is not followed", map[string]string{"DBUS_SESSION_BUS_ADDRESS": "autolaunch:", "XDG_RUNTIME_DIR": t.TempDir()}, ""},
		{"nothing", map[string]string{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sessionBusAddress(func(k string) string { return tc.env[k] })
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), "no session bus") {
					t.Fatalf("got %q, %v; want the no-session-bus error", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
