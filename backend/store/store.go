// Package store is chase.md's local SQLite database: one file per user, WAL,
// foreign keys on every connection, and embedded SQL migrations applied in order.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, builds without cgo for Windows)
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is the open store. It is safe for concurrent use.
type DB struct {
	db   *sql.DB
	path string

	searchIndexes sync.Map // tenant ID -> *contactIndex (contacts.go)
}

// FileName is the database file's name inside the data directory.
const FileName = "chase.db"

// DefaultPath is the database file in the OS's per-user data directory
// (XDG_DATA_HOME on Linux, %AppData% on Windows, ~/Library/Application Support on macOS).
func DefaultPath() (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, FileName), nil
}

// DataDir is chase.md's per-user data directory. CHASE_DATA_DIR overrides it
// (tests, portable installs).
func DataDir() (string, error) {
	if d := os.Getenv("CHASE_DATA_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "chase.md"), nil
	}
	base, err := os.UserConfigDir() // %AppData% on Windows, ~/Library/Application Support on macOS
	if err != nil {
		return "", fmt.Errorf("store: find data directory: %w", err)
	}
	if filepath.Base(base) == ".config" { // Linux without XDG_DATA_HOME: data belongs in ~/.local/share
		base = filepath.Join(filepath.Dir(base), ".local", "share")
	}
	return filepath.Join(base, "chase.md"), nil
}

// Open opens (creating if needed) the database at path and applies pending migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", filepath.Dir(path), err)
	}
	// Pragmas go in the DSN so that every pooled connection gets them, not just the first.
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "synchronous(normal)")
	// 16 MB of page cache a connection (SQLite's default is 2 MB): the chase
	// list at 10,000 contacts reads more than that, and went to the OS for it.
	q.Add("_pragma", "cache_size(-16000)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + filepath.ToSlash(path) + "?" + q.Encode()
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	d := &DB{db: sqldb, path: path}
	if err := d.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Path is the database file's path.
func (d *DB) Path() string { return d.path }

// SQL exposes the handle for packages that keep their own tables (upload queue, chase).
func (d *DB) SQL() *sql.DB { return d.db }

// Tx runs fn in one IMMEDIATE transaction, committed only if fn returns nil.
func (d *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// SchemaVersion is the number of the newest applied migration.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := d.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return int(v.Int64), nil
}

// migrate applies each embedded migration NNNN_name.sql not yet recorded, in order,
// each in its own transaction together with its record.
func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
	}
	type mig struct {
		version int
		name    string
	}
	var migs []mig
	seen := map[int]string{}
	for _, n := range names {
		base := filepath.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("store: migration %s: name must be NNNN_name.sql", base)
		}
		if prev, dup := seen[v]; dup {
			return fmt.Errorf("store: migrations %s and %s share version %d", prev, base, v)
		}
		seen[v] = base
		migs = append(migs, mig{v, base})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].version < migs[j].version })
	for _, m := range migs {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			body, err := migrationFS.ReadFile("migrations/" + m.name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
	}
	return nil
}

// ErrNotFound is returned by lookups that find nothing.
var ErrNotFound = errors.New("store: not found")
