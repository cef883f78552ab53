package core

import (
	"context"
	"path/filepath"
	"testing"

	"chase.md/backend/store"
	"chase.md/backend/store/storetest"
)

// A database written at schema 45, when every table was the store's, opens in
// a binary where upload, filing and chase own theirs: each package's
// migrations are adopted, none runs again, the data stays, and a second open
// changes nothing.
func TestSchema45DatabaseOpensWithEveryOwner(t *testing.T) {
	ctx := context.Background()
	path := storetest.Schema45(t)
	// Each owner's migrations from before the move (adopted), and those since
	// (run once): upload's sent_at, filing's review kind, chase's trust.
	want := map[string]int{"upload": 3, "filing": 2, "chase": 3}
	for round := range 2 {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		for owner, n := range want {
			var got int
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_owner_migrations WHERE owner = ?`, owner).Scan(&got); err != nil || got != n {
				t.Errorf("%s owns %d migrations (%v), want %d", owner, got, err, n)
			}
		}
		if v, err := db.SchemaVersion(ctx); err != nil || v != 45 {
			t.Errorf("schema version = %d, %v; want 45 (the old rows kept)", v, err)
		}
		var marks, items, history int
		db.SQL().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM chase_marks), (SELECT COUNT(*) FROM upload_items),
			(SELECT COUNT(*) FROM upload_history)`).Scan(&marks, &items, &history)
		if marks != 1 || items != 1 || history != 1 {
			t.Errorf("rows: %d chase marks, %d queue items, %d activity entries; want 1 each", marks, items, history)
		}
		if n, err := db.CountContacts(ctx, "t1"); err != nil || n.Total != 2 {
			t.Errorf("contacts = %+v, %v", n, err)
		}
		db.Close()
	}
}

// A new database records the store's old numbers of every moved migration, so
// a chase.md from before the move opens it without creating tables again.
func TestNewDatabaseKeepsEveryOldNumber(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "chase.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version IN (1, 10, 20, 21, 30, 40, 45)`).Scan(&n)
	if n != 7 {
		t.Fatalf("schema_migrations has %d of the 7 rows a schema-45 binary looks for", n)
	}
}
