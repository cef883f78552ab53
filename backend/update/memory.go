package update

import (
	"context"
	"time"
)

// KeyLastPublished is the setting holding the newest feed date seen.
const KeyLastPublished = "update.last_published"

// settings is the part of the store's settings table the memory needs.
type settings interface {
	GetSetting(ctx context.Context, key string, v any) (bool, error)
	SetSetting(ctx context.Context, key string, v any) error
}

// SettingsMemory keeps the newest feed date in the store's settings table.
type SettingsMemory struct{ Store settings }

// LastPublished returns the newest feed date seen (zero when none was).
func (m SettingsMemory) LastPublished(ctx context.Context) (time.Time, error) {
	var t time.Time
	_, err := m.Store.GetSetting(ctx, KeyLastPublished, &t)
	return t, err
}

// SetLastPublished records t as the newest feed date seen.
func (m SettingsMemory) SetLastPublished(ctx context.Context, t time.Time) error {
	return m.Store.SetSetting(ctx, KeyLastPublished, t.UTC())
}
