// Package store is chase.md's local SQLite database: one file per user, WAL,
// foreign keys on every connection, and embedded SQL migrations applied in order.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, builds without cgo for Windows)
)

// DB is the open store. It is safe for concurrent use.
type DB struct {
	db   *sql.DB
	path string

	searchIndexes sync.Map // tenant ID -> *contactIndex (contacts.go)
	revMu         sync.Mutex
	revStmt       *sql.Stmt // a tenant's contacts revision, asked before every search
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

// Open opens (creating if needed) the database at path and applies pending
// migrations: the store's own and those of every package that registered its
// schema. A database written by a newer chase.md is refused (ErrNewerDatabase).
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, registered())
}

func open(ctx context.Context, path string, schemas []Schema) (*DB, error) {
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
	if err := d.migrate(ctx, schemas); err != nil {
		sqldb.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error {
	d.revMu.Lock()
	if d.revStmt != nil {
		d.revStmt.Close()
	}
	d.revMu.Unlock()
	return d.db.Close()
}

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

// SchemaVersion is the number of the newest applied migration of the store's
// own numbering (the other owners' are in schema_owner_migrations).
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := d.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return int(v.Int64), nil
}

// ErrNotFound is returned by lookups that find nothing.
var ErrNotFound = errors.New("store: not found")
