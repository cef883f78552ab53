package notify

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

// privateBus starts a session bus of the test's own (dbus-daemon, as
// dbus-run-session does) and points DBUS_SESSION_BUS_ADDRESS at it.
func privateBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		if os.Getenv("CHASE_REQUIRE_KEYRING") != "" {
			t.Fatal("dbus-daemon missing: run scripts/setup.sh test")
		}
		t.Skip("dbus-daemon not installed (Debian: dbus)")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon address: %v", err)
	}
	addr = strings.TrimSpace(addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	return addr
}

// fakeNotifications owns org.freedesktop.Notifications on the bus, as a
// desktop's notification daemon does, and records each Notify call.
type fakeNotifications struct{ calls chan notified }

type notified struct {
	app, icon, summary, body string
	hints                    map[string]dbus.Variant
	timeout                  int32
}

func (f *fakeNotifications) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	f.calls <- notified{app, icon, summary, body, hints, timeout}
	return uint32(len(f.calls)), nil
}

func serveNotifications(t *testing.T, addr string) *fakeNotifications {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakeNotifications{calls: make(chan notified, 10)}
	if err := conn.Export(f, notifyPath, notifyDest); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(notifyDest, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", notifyDest, reply, err)
	}
	return f
}

func TestDBusShowsOneNotificationPerBurst(t *testing.T) {
	srv := serveNotifications(t, privateBus(t))
	d := &DBus{AppName: "chase.md", Icon: "chase-md"}
	t.Cleanup(func() { d.Close() })
	b := New(d, Options{Quiet: 1, Failed: func(err error) { t.Error(err) }})
	for range 12 {
		b.Filed(1)
	}
	b.Review(2)
	b.Review(1)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.Serve(ctx) }()
	got := <-srv.calls
	cancel()
	<-done
	if got.app != "chase.md" || got.icon != "chase-md" || got.summary != "12 documents filed · 3 need you in Review" ||
		!strings.HasPrefix(got.body, "They are in Xero") || got.timeout != -1 {
		t.Errorf("Notify(%q, %q, %q, %q, timeout %d)", got.app, got.icon, got.summary, got.body, got.timeout)
	}
	if u, ok := got.hints["urgency"].Value().(byte); !ok || u != urgencyLow {
		t.Errorf("urgency hint = %v", got.hints["urgency"])
	}
	if len(srv.calls) != 0 {
		t.Errorf("%d more notifications for one burst", len(srv.calls))
	}

	// A problem that needs a person is critical: it stays until dismissed.
	if err := d.Send(t.Context(), Note{Summary: "chase.md needs you", Body: "Xero needs you to sign in again.", Urgent: true}); err != nil {
		t.Fatal(err)
	}
	if got := <-srv.calls; got.hints["urgency"].Value() != urgencyHigh || got.body != "Xero needs you to sign in again." {
		t.Errorf("urgent note: %+v", got)
	}
}

func TestDBusWithoutAServiceSaysSo(t *testing.T) {
	privateBus(t) // a bus, but nobody owns org.freedesktop.Notifications
	d := &DBus{AppName: "chase.md"}
	t.Cleanup(func() { d.Close() })
	if err := d.Send(t.Context(), Note{Summary: "x"}); err == nil {
		t.Error("Send without a notification service succeeded")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if err := (&DBus{}).Send(t.Context(), Note{Summary: "x"}); err != ErrUnavailable {
		t.Errorf("Send without a session bus: %v, want ErrUnavailable", err)
	}
}
