package upload

import (
	"context"
	"testing"

	"chase.md/backend/store"
	"chase.md/backend/store/storetest"
)

// storetest.Schema45 is a database written by chase.md at schema 45,
// when the queue's tables were the store's migrations 0020 and 0021: a queued
// item, an activity entry, a Files folder, a contact and a setting. Opened now
// it keeps every row, records the queue's schema as its own, and the queue
// works on it.
func TestOpensDatabaseFromBeforeTheQueueOwnedItsTables(t *testing.T) {
	ctx := context.Background()
	path := storetest.Schema45(t)
	for round := range 2 {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		if v, err := db.SchemaVersion(ctx); err != nil || v != 45 {
			t.Errorf("store schema = %d, %v; want 45", v, err)
		}
		var owned int
		db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_owner_migrations WHERE owner = 'upload'`).Scan(&owned)
		if owned != 3 { // 20 and 21 adopted, not run again; sent_at run once
			t.Errorf("upload owns %d migrations, want 3 (two adopted, not run again, and sent_at)", owned)
		}
		var practice string
		if ok, err := db.GetSetting(ctx, "practice", &practice); !ok || err != nil || practice != "Kauri & Co" {
			t.Errorf("setting = %q %v %v", practice, ok, err)
		}
		if c, err := db.Contact(ctx, "t1", "aaaaaaaa-0000-0000-0000-000000000001"); err != nil || c.Name != "Zoë Müller" {
			t.Errorf("contact = %+v, %v", c, err)
		}
		q, err := New(Options{DB: db, User: "sam", Senders: func(context.Context, string) (Sender, error) { return nil, nil }})
		if err != nil {
			t.Fatal(err)
		}
		hist, err := q.History(ctx, "märz", 10, 0)
		if err != nil || len(hist) != 1 || hist[0].FileID != "f-1" || hist[0].ContactName != "Zoë Müller" {
			t.Errorf("history = %+v, %v", hist, err)
		}
		var state, key string
		if err := db.SQL().QueryRowContext(ctx, `SELECT state, upload_key FROM upload_items WHERE name = 'a.pdf'`).Scan(&state, &key); err != nil ||
			state != "queued" || key != "uk-1" {
			t.Errorf("queued item = %s %s, %v", state, key, err)
		}
		var folder string
		if err := db.SQL().QueryRowContext(ctx, `SELECT folder_id FROM upload_folders WHERE name_key = 'inbox2'`).Scan(&folder); err != nil || folder != "fo-1" {
			t.Errorf("folder = %q, %v", folder, err)
		}
		db.Close()
	}
}
