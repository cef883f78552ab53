package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chase.md/backend/config"
	"chase.md/backend/notify"
)

// notes records the desktop notifications the app would show.
type notes struct{ got chan notify.Note }

func (n notes) Send(_ context.Context, x notify.Note) error { n.got <- x; return nil }
func (n notes) Close() error                                { return nil }

// Files filed in a burst make one notification that counts them, not one
// each; switched off in Settings, none.
func TestFiledDocumentsMakeOneNotification(t *testing.T) {
	rec := notes{got: make(chan notify.Note, 10)}
	a, _, _, client := demoAppWith(t, Options{Notifier: rec})
	ctx, cancel := context.WithCancel(t.Context())
	go a.Desktop.serve(ctx)
	t.Cleanup(cancel)

	dir := t.TempDir()
	var paths []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("receipt-%d.pdf", i))
		writeFile(t, p, 2000+i) // different content: identical files are skipped as duplicates
		paths = append(paths, p)
	}
	if _, err := a.Uploads.Enqueue(client.ID, paths, ""); err != nil {
		t.Fatal(err)
	}
	filed := 0
	for filed < 3 {
		n := <-rec.got
		var k int
		if _, err := fmt.Sscanf(n.Summary, "%d document", &k); err != nil || n.Urgent {
			t.Fatalf("notification %+v, want documents filed", n)
		}
		filed += k
	}
	if filed != 3 {
		t.Errorf("notified %d filed, want 3", filed)
	}

	p, err := a.Desktop.SetNotifications(false)
	if err != nil || p.Notifications {
		t.Fatalf("switch off: %+v, %v", p, err)
	}
	if p, _ := a.Desktop.Get(); p.Notifications {
		t.Error("notifications still on after the switch")
	}
}

// Closing with uploads on their way asks first; with "keep running" on the
// window hides instead (the uploads go on); Quit from Settings then asks.
func TestClosingWhileUploadsAreOnTheirWay(t *testing.T) {
	a, _, _, client := demoApp(t)
	if action, _ := a.Desktop.closeAction(); action != "quit" {
		t.Errorf("nothing queued: %s, want quit", action)
	}
	if err := a.Uploads.DemoSlowUploads("20s"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("scan-%d.pdf", i))
		writeFile(t, p, 1000+i)
		paths = append(paths, p)
	}
	if _, err := a.Uploads.Enqueue(client.ID, paths, ""); err != nil {
		t.Fatal(err)
	}
	action, n := a.Desktop.closeAction()
	if action != "ask" || n != 3 {
		t.Errorf("3 uploads on their way: %s %d, want ask 3", action, n)
	}
	if q := quitQuestion(n); q != "3 uploads are still on their way. They continue next time you open chase.md. Quit anyway?" {
		t.Errorf("question = %q", q)
	}
	if q := quitQuestion(1); !strings.HasPrefix(q, "1 upload is still") {
		t.Errorf("question for one = %q", q)
	}
	if _, err := a.Desktop.SetKeepRunning(true); err != nil {
		t.Fatal(err)
	}
	if action, _ := a.Desktop.closeAction(); action != "hide" {
		t.Errorf("keep running on: %s, want hide", action)
	}
	a.Desktop.Quit() // no window in the test: only the decision
	if action, _ := a.Desktop.closeAction(); action != "ask" {
		t.Errorf("Quit with uploads on their way: %s, want ask", action)
	}
}

// Start at sign-in writes the system's autostart entry for this program,
// starting in the background, and reads it back from the system.
func TestStartAtLoginWritesTheAutostartEntry(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	a := newTestApp(t, config.Config{Demo: true, DemoContacts: 5}, Options{})
	p, err := a.Desktop.SetStartAtLogin(true)
	if err != nil || !p.StartAtLogin {
		t.Fatalf("on: %+v, %v", p, err)
	}
	b, err := os.ReadFile(filepath.Join(cfg, "autostart", "chase-md.desktop"))
	exe, _ := os.Executable()
	if err != nil || !strings.Contains(string(b), "Exec="+exe+" --background\n") {
		t.Errorf("autostart entry (%v):\n%s", err, b)
	}
	if p, err = a.Desktop.SetStartAtLogin(false); err != nil || p.StartAtLogin {
		t.Errorf("off: %+v, %v", p, err)
	}
	if p.KeepRunning || !p.Notifications {
		t.Errorf("defaults: %+v, want notifications on, keep running off", p)
	}
}
