package notify

import (
	"context"
	"fmt"
	"sync"

	"git.sr.ht/~jackmordaunt/go-toast/v2"
)

// Toast shows notes as Windows toast notifications under AppID.
type Toast struct {
	AppID    string // shown above the note in the Action Centre
	IconPath string // absolute path of a PNG; "" for none

	once sync.Once
	err  error
}

// Send registers the app with Windows on first use (per user, no admin
// rights), then pushes the note, falling back to PowerShell as go-toast does.
func (t *Toast) Send(_ context.Context, n Note) error {
	t.once.Do(func() {
		t.err = toast.SetAppData(toast.AppData{AppID: t.AppID, IconPath: t.IconPath})
	})
	if t.err != nil {
		return fmt.Errorf("notify: register %s with Windows: %w", t.AppID, t.err)
	}
	note := toast.Notification{AppID: t.AppID, Title: n.Summary, Body: n.Body, Icon: t.IconPath}
	if n.Urgent {
		note.Duration = toast.Long
	}
	if err := note.Push(); err != nil {
		return fmt.Errorf("notify: toast: %w", err)
	}
	return nil
}

// Close is a no-op: toasts keep no connection.
func (t *Toast) Close() error { return nil }
