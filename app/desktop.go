package app

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/auth"
	"chase.md/backend/autostart"
	"chase.md/backend/core"
	"chase.md/backend/filing"
	"chase.md/backend/notify"
	"chase.md/backend/upload"
)

// DesktopService is chase.md as a desktop citizen: notifications, starting
// when the person signs in to their computer, and what closing the window does.
type DesktopService struct {
	app *App

	mu       sync.Mutex
	quitting bool            // Quit was asked for: closing really quits
	auth     auth.State      // the last connection state seen, to notice a change
	folders  map[int64]bool  // watched folders last seen in error
	reviews  map[int64]bool  // Review items already told about (a restart tells them again)
	notes    *notify.Batcher // one desktop notification per burst of work
	sender   notify.Closer
}

// DesktopPrefs is Settings › This computer.
type DesktopPrefs struct {
	Notifications bool `json:"notifications"` // filed / Review / problems as desktop notifications
	StartAtLogin  bool `json:"startAtLogin"`  // start (in the background) at sign-in to the computer
	// StartAtLoginSupported is false where chase.md cannot set it (macOS for now).
	StartAtLoginSupported bool `json:"startAtLoginSupported"`
	// KeepRunning: closing the window hides it and watched folders keep
	// filing; opening chase.md again shows it. Off by default: without a tray
	// icon (Wails v2 has none) a hidden window is easy to forget.
	KeepRunning bool   `json:"keepRunning"`
	OS          string `json:"os"`
}

const (
	keyNotifications = "desktop.notifications"
	keyKeepRunning   = "desktop.keep_running"
	autostartName    = "chase-md" // the autostart file / Run value; matches build/linux/chase-md.desktop
	// BackgroundFlag starts chase.md without showing its window (autostart).
	BackgroundFlag = "--background"
)

func newDesktop(a *App) *DesktopService {
	d := &DesktopService{app: a, folders: map[int64]bool{}, reviews: map[int64]bool{}, sender: a.opts.Notifier}
	if d.sender == nil {
		d.sender = notify.System("chase.md")
	}
	d.notes = notify.New(d.sender, notify.Options{
		Enabled: func(context.Context) bool { p, err := d.Get(); return err == nil && p.Notifications },
		Failed:  func(err error) { a.log.Info("desktop notification not shown", "err", err) },
	})
	return d
}

// serve shows the notifications until ctx ends.
func (d *DesktopService) serve(ctx context.Context) {
	if err := d.notes.Serve(ctx); err != nil && ctx.Err() == nil {
		d.app.log.Warn("notifications stopped", "err", err)
	}
	if err := d.sender.Close(); err != nil {
		d.app.log.Info("close notifications", "err", err)
	}
}

// Get reads the desktop preferences; starting at sign-in is read from the
// system itself, so a change made in the system's own settings shows here.
func (d *DesktopService) Get() (DesktopPrefs, error) {
	ctx, sess, done, err := d.app.current()
	if err != nil {
		return DesktopPrefs{}, err
	}
	defer done()
	p := DesktopPrefs{Notifications: true, OS: runtime.GOOS, StartAtLoginSupported: runtime.GOOS == "linux" || runtime.GOOS == "windows"}
	if _, err := sess.db.GetSetting(ctx, keyNotifications, &p.Notifications); err != nil {
		return DesktopPrefs{}, err
	}
	if _, err := sess.db.GetSetting(ctx, keyKeepRunning, &p.KeepRunning); err != nil {
		return DesktopPrefs{}, err
	}
	if p.StartAtLoginSupported {
		if p.StartAtLogin, err = autostart.Enabled(autostartName); err != nil {
			return DesktopPrefs{}, fmt.Errorf("read whether chase.md starts at sign-in: %w", err)
		}
	}
	return p, nil
}

// SetNotifications switches desktop notifications on or off.
func (d *DesktopService) SetNotifications(on bool) (DesktopPrefs, error) {
	return d.set(keyNotifications, on)
}

// SetKeepRunning chooses whether closing the window keeps chase.md running.
func (d *DesktopService) SetKeepRunning(on bool) (DesktopPrefs, error) {
	return d.set(keyKeepRunning, on)
}

func (d *DesktopService) set(key string, on bool) (DesktopPrefs, error) {
	ctx, sess, done, err := d.app.current()
	if err != nil {
		return DesktopPrefs{}, err
	}
	err = sess.db.SetSetting(ctx, key, on)
	done()
	if err != nil {
		return DesktopPrefs{}, err
	}
	return d.Get()
}

// SetStartAtLogin adds or removes chase.md from the programs the computer
// starts at sign-in; it then starts in the background (no window).
func (d *DesktopService) SetStartAtLogin(on bool) (DesktopPrefs, error) {
	var err error
	if on {
		var exe string
		if exe, err = os.Executable(); err != nil {
			return DesktopPrefs{}, fmt.Errorf("find chase.md's program file: %w", err)
		}
		err = autostart.Enable(autostart.Entry{Name: autostartName, Title: "chase.md", Exe: exe, Args: []string{BackgroundFlag}})
	} else {
		err = autostart.Disable(autostartName)
	}
	if err != nil {
		return DesktopPrefs{}, &UIError{Code: "autostart", Message: "chase.md could not change what starts when you sign in to this computer. " + err.Error()}
	}
	return d.Get()
}

// Quit closes chase.md for good, even when closing the window keeps it running.
func (d *DesktopService) Quit() {
	d.mu.Lock()
	d.quitting = true
	d.mu.Unlock()
	if d.app.wailsCtx != nil {
		wruntime.Quit(d.app.wailsCtx)
	}
}

// liveUploads counts uploads queued or on their way (waiting for a
// reconnect included): quitting stops them until chase.md opens again.
func (d *DesktopService) liveUploads() int {
	o, err := d.app.Uploads.Overview()
	if err != nil {
		return 0
	}
	return o.Queued + o.Active + o.Waiting + o.Held
}

// quitQuestion is the native dialog's text before quitting with uploads left.
func quitQuestion(n int) string {
	what := "1 upload is"
	if n != 1 {
		what = fmt.Sprintf("%d uploads are", n)
	}
	return what + " still on their way. They continue next time you open chase.md. Quit anyway?"
}

// closeAction decides what closing the window does: "quit", "hide" (keep
// running in the background) or "ask" (uploads are on their way).
func (d *DesktopService) closeAction() (action string, uploads int) {
	d.mu.Lock()
	quitting := d.quitting
	d.mu.Unlock()
	if !quitting {
		if p, err := d.Get(); err == nil && p.KeepRunning {
			return "hide", 0
		}
	}
	if n := d.liveUploads(); n > 0 {
		return "ask", n
	}
	return "quit", 0
}

// holdClose runs in OnBeforeClose: true keeps chase.md running.
func (d *DesktopService) holdClose(ctx context.Context) bool {
	action, n := d.closeAction()
	switch action {
	case "hide":
		wruntime.WindowHide(ctx)
		return true
	case "ask":
		answer, err := wruntime.MessageDialog(ctx, wruntime.MessageDialogOptions{
			Type:          wruntime.QuestionDialog,
			Title:         "Quit chase.md?",
			Message:       quitQuestion(n),
			Buttons:       []string{"Quit", "Keep chase.md open"},
			DefaultButton: "Keep chase.md open",
			CancelButton:  "Keep chase.md open",
		})
		d.mu.Lock()
		d.quitting = false
		d.mu.Unlock()
		if err != nil {
			d.app.log.Warn("ask before quitting", "err", err)
			return false
		}
		// GTK shows Yes/No for a question; Windows and macOS the buttons given.
		return answer != "Yes" && answer != "Quit"
	}
	return false
}

// showWindow brings the window to the front: a second launch, unless it
// is the autostart's background start.
func (d *DesktopService) showWindow(args []string) {
	if slices.Contains(args, BackgroundFlag) || d.app.wailsCtx == nil {
		return
	}
	ctx := d.app.wailsCtx
	wruntime.WindowShow(ctx)
	wruntime.WindowUnminimise(ctx) // GTK: gtk_window_present, which raises and focuses
	if runtime.GOOS == "windows" {
		// Windows lets a process that is not in front only flash its button;
		// a brief always-on-top raises the window above the one in front.
		wruntime.WindowSetAlwaysOnTop(ctx, true)
		wruntime.WindowSetAlwaysOnTop(ctx, false)
	}
}

// observe turns the backend's events into desktop notifications.
func (d *DesktopService) observe(ev core.Events) core.Events {
	auth0, item0, filing0 := ev.Auth, ev.UploadItem, ev.Filing
	ev.Auth = func(st auth.Status) {
		d.mu.Lock()
		changed := d.auth != st.State
		d.auth = st.State
		d.mu.Unlock()
		if changed && st.State == auth.ReconnectNeeded {
			d.notes.Problem("Xero needs you to sign in again. Uploads and syncs wait until you do.")
		}
		if auth0 != nil {
			auth0(st)
		}
	}
	ev.UploadItem = func(it upload.Item) {
		switch it.State {
		case upload.StateDone:
			d.notes.Filed(1)
		case upload.StateFailed:
			d.notes.Problem("A document could not be filed. Open Uploads in chase.md to see why.")
		}
		if item0 != nil {
			item0(it)
		}
	}
	review0, folder0 := filing0.OnReview, filing0.OnFolderState
	ev.Filing.OnReview = func(r filing.Review) {
		d.mu.Lock()
		seen := d.reviews[r.ID]
		d.reviews[r.ID] = true
		d.mu.Unlock()
		if !seen {
			d.notes.Review(1)
		}
		if review0 != nil {
			review0(r)
		}
	}
	ev.Filing.OnFolderState = func(st filing.FolderStatus) {
		bad := st.State == filing.StateError
		d.mu.Lock()
		changed := d.folders[st.ID] != bad
		d.folders[st.ID] = bad
		d.mu.Unlock()
		if changed && bad {
			d.notes.Problem(fmt.Sprintf("chase.md stopped watching %s. %s", st.Path, st.Message))
		}
		if folder0 != nil {
			folder0(st)
		}
	}
	return ev
}
