package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func ownerSchema(owner string, files map[string]string, legacy map[int]int) Schema {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys["migrations/"+name] = &fstest.MapFile{Data: []byte(body)}
	}
	return Schema{Owner: owner, FS: fsys, Legacy: legacy}
}

func storeOnly() []Schema { return []Schema{{Owner: storeOwner, FS: migrationFS}} }

// A package's migrations run once each, in order, recorded under its name, and
// a later binary's added migration runs on the next open, keeping the data.
func TestOwnerMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chase.db")
	v1 := map[string]string{
		"0001_notes.sql": `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);`,
	}
	d, err := open(ctx, path, append([]Schema{ownerSchema("notes", v1, nil)}, storeOnly()...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL().ExecContext(ctx, `INSERT INTO notes (body) VALUES ('kept')`); err != nil {
		t.Fatal(err)
	}
	d.Close()

	v2 := map[string]string{
		"0001_notes.sql":  v1["0001_notes.sql"],
		"0002_author.sql": `ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'sam';`,
	}
	for range 2 { // the second open applies nothing
		d, err = open(ctx, path, append([]Schema{ownerSchema("notes", v2, nil)}, storeOnly()...))
		if err != nil {
			t.Fatal(err)
		}
		var body, author string
		if err := d.SQL().QueryRowContext(ctx, `SELECT body, author FROM notes`).Scan(&body, &author); err != nil || body != "kept" || author != "sam" {
			t.Fatalf("note = %q by %q, %v", body, author, err)
		}
		var n int
		d.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_owner_migrations WHERE owner = 'notes'`).Scan(&n)
		if n != 2 {
			t.Fatalf("notes has %d recorded migrations, want 2", n)
		}
		d.Close()
	}
}

// A database a newer chase.md migrated further is refused before anything
// changes, with a message that says what to do; the store's own numbering
// and every package's are checked.
func TestNewerDatabaseRefused(t *testing.T) {
	ctx := context.Background()
	notes := ownerSchema("notes", map[string]string{"0001_notes.sql": `CREATE TABLE notes (id INTEGER PRIMARY KEY);`}, nil)
	for _, c := range []struct {
		owner, future string
	}{
		{"store", `INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_from_the_future.sql')`},
		{"notes", `INSERT INTO schema_owner_migrations (owner, version, name) VALUES ('notes', 7, '0007_later.sql')`},
	} {
		t.Run(c.owner, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "chase.db")
			d, err := open(ctx, path, append([]Schema{notes}, storeOnly()...))
			if err != nil {
				t.Fatal(err)
			}
			if err := d.SetSetting(ctx, "k", "v"); err != nil {
				t.Fatal(err)
			}
			if _, err := d.SQL().ExecContext(ctx, c.future); err != nil {
				t.Fatal(err)
			}
			d.Close()

			_, err = open(ctx, path, append([]Schema{notes}, storeOnly()...))
			if !errors.Is(err, ErrNewerDatabase) {
				t.Fatalf("open = %v, want ErrNewerDatabase", err)
			}
			var ne *NewerDatabaseError
			if !errors.As(err, &ne) || ne.Owner != c.owner {
				t.Fatalf("error %#v, want the %s schema named", err, c.owner)
			}
			msg := err.Error()
			for _, want := range []string{"This chase.md database", "was written by a newer version of chase.md", "Install the newer version", path} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			// Registered schemas are checked too, through Open.
			if c.owner == "store" {
				if _, err := Open(ctx, path); !errors.Is(err, ErrNewerDatabase) {
					t.Errorf("Open = %v, want ErrNewerDatabase", err)
				}
			}
		})
	}
}

// A package that did not exist when the database was written, or that this
// binary does not link, is no reason to refuse it.
func TestUnknownOwnerIsNotNewer(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chase.db")
	d, err := open(ctx, path, append([]Schema{ownerSchema("audit", map[string]string{
		"0003_x.sql": `CREATE TABLE x (id INTEGER);`}, nil)}, storeOnly()...))
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if d, err = open(ctx, path, storeOnly()); err != nil {
		t.Fatalf("open without the audit schema: %v", err)
	}
	d.Close()
}

// Moving migrations out of the store keeps databases written before the move:
// their rows in the old numbering count as applied, and a new database gets
// the old rows too, so an older binary still opens it.
func TestLegacyNumbersAdopted(t *testing.T) {
	ctx := context.Background()
	create := `CREATE TABLE moved (id INTEGER PRIMARY KEY, v TEXT);`
	path := filepath.Join(t.TempDir(), "old.db")
	// The old layout: the table's migration in the store's numbering.
	d, err := open(ctx, path, []Schema{ownerSchema(storeOwner, map[string]string{"0007_moved.sql": create}, nil)})
	if err != nil {
		t.Fatal(err)
	}
	d.SQL().ExecContext(ctx, `INSERT INTO moved (v) VALUES ('kept')`)
	d.Close()

	moved := ownerSchema("mover", map[string]string{"0001_moved.sql": create}, map[int]int{7: 1})
	d, err = open(ctx, path, []Schema{moved, ownerSchema(storeOwner, nil, nil)})
	if err != nil {
		t.Fatalf("open after the move: %v (a second CREATE TABLE means the old rows were not adopted)", err)
	}
	var v string
	if err := d.SQL().QueryRowContext(ctx, `SELECT v FROM moved`).Scan(&v); err != nil || v != "kept" {
		t.Fatalf("moved row = %q, %v", v, err)
	}
	d.Close()

	fresh := filepath.Join(t.TempDir(), "new.db")
	d, err = open(ctx, fresh, []Schema{moved, ownerSchema(storeOwner, nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	// An older binary (the store's numbering only) sees 7 applied and opens it.
	d, err = open(ctx, fresh, []Schema{ownerSchema(storeOwner, map[string]string{"0007_moved.sql": create}, nil)})
	if err != nil {
		t.Fatalf("older binary on a new database: %v", err)
	}
	d.Close()

	// The store may not take a number a moved migration had.
	if _, err := open(ctx, filepath.Join(t.TempDir(), "x.db"), []Schema{moved,
		ownerSchema(storeOwner, map[string]string{"0007_other.sql": `SELECT 1;`}, nil)}); err == nil {
		t.Error("store migration reusing a moved number accepted")
	}
}
