package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/godbus/dbus/v5"
)

// ErrUnavailable means the desktop has no notification service to talk to.
var ErrUnavailable = errors.New("notify: no desktop notification service")

// DBus shows notes through the freedesktop.org notification service on the
// session bus (what GNOME, KDE, XFCE and most other desktops run).
type DBus struct {
	AppName string // shown as the sender
	Icon    string // an icon name or an absolute file path; "" for none

	mu   sync.Mutex
	conn *dbus.Conn
}

const (
	notifyDest  = "org.freedesktop.Notifications"
	notifyPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	notifyCall  = notifyDest + ".Notify"
	urgencyLow  = byte(1) // "normal" in the spec's words
	urgencyHigh = byte(2) // "critical": stays until dismissed
)

// Send calls Notify(app_name, replaces_id, app_icon, summary, body, actions,
// hints, expire_timeout) and waits for the service's answer.
func (d *DBus) Send(ctx context.Context, n Note) error {
	conn, err := d.connect()
	if err != nil {
		return err
	}
	urgency := urgencyLow
	if n.Urgent {
		urgency = urgencyHigh
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgency)}
	if d.AppName != "" {
		hints["desktop-entry"] = dbus.MakeVariant("chase-md") // groups the notes under the app where the desktop can
	}
	var id uint32
	err = conn.Object(notifyDest, notifyPath).CallWithContext(ctx, notifyCall, 0,
		d.AppName, uint32(0), d.Icon, n.Summary, n.Body, []string{}, hints, int32(-1)).Store(&id)
	if err != nil {
		return fmt.Errorf("notify: %s: %w", notifyCall, err)
	}
	return nil
}

// connect dials the session bus once. Without DBUS_SESSION_BUS_ADDRESS it
// does not dial at all: godbus would otherwise launch a bus of its own that
// outlives the app.
func (d *DBus) connect() (*dbus.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil && d.conn.Connected() {
		return d.conn, nil
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return nil, ErrUnavailable
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	d.conn = conn
	return conn, nil
}

// Close hangs up the session bus connection.
func (d *DBus) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close()
	d.conn = nil
	return err
}
