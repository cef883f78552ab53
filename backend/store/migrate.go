package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Schema is the tables one package owns: its embedded migrations
// migrations/NNNN_name.sql in FS, numbered from 1 within the owner, each run
// once, in order, in its own transaction. An owner's tables stand alone (no
// foreign key into another owner's), so owners apply in any order.
type Schema struct {
	Owner string // the package, e.g. "upload"; "store" is the store's own
	FS    fs.FS

	// Legacy maps versions of the store's own numbering (schema_migrations)
	// under which this owner's migrations ran before the package owned them,
	// to the owner's versions: a database written before the move records
	// them as applied instead of running them again, and a new database also
	// gets the old rows, so a binary from before the move still opens it.
	Legacy map[int]int
}

var (
	schemasMu sync.Mutex
	schemas   = map[string]Schema{}
)

// Register adds a package's tables to every database Open opens. Packages
// call it from init, as database/sql drivers register themselves, so a binary
// has the tables of exactly the packages it links and no caller of Open can
// forget one.
func Register(s Schema) {
	schemasMu.Lock()
	defer schemasMu.Unlock()
	if s.Owner == "" || s.Owner == storeOwner {
		panic("store: Register needs an owner other than " + storeOwner)
	}
	if _, dup := schemas[s.Owner]; dup {
		panic("store: schema " + s.Owner + " registered twice")
	}
	schemas[s.Owner] = s
}

// moved are the store's migration numbers whose tables now belong to another
// package, which runs them under its own numbering (Schema.Legacy). The store
// keeps the list itself, so a binary that does not link a package still
// knows those numbers are not its own.
var moved = map[int]string{20: "upload", 21: "upload", 30: "filing", 40: "chase", 45: "chase"}

// storeOwner's migrations are the store's own directory, recorded in
// schema_migrations as before owners existed.
const storeOwner = "store"

// registered returns the registered schemas by owner name, the store's own last:
// a migration left in backend/store/migrations may still alter an owner's tables.
func registered() []Schema {
	schemasMu.Lock()
	defer schemasMu.Unlock()
	out := make([]Schema, 0, len(schemas)+1)
	for _, s := range schemas {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Owner < out[j].Owner })
	return append(out, Schema{Owner: storeOwner, FS: migrationFS})
}

// ErrNewerDatabase is matched (errors.Is) by the error Open returns for a
// database a newer chase.md has migrated past what this binary knows.
var ErrNewerDatabase = errors.New("store: database written by a newer version")

// NewerDatabaseError says which owner's schema is ahead, in words a person can act on.
type NewerDatabaseError struct {
	Path       string
	Owner      string
	Have, Know int // the database's version and the newest this binary has
}

func (e *NewerDatabaseError) Error() string {
	return fmt.Sprintf("This chase.md database (%s) was written by a newer version of chase.md "+
		"(its %s data is at version %d; this version knows up to %d). "+
		"Install the newer version, or move the file aside to start again with an empty database.",
		e.Path, e.Owner, e.Have, e.Know)
}

func (e *NewerDatabaseError) Is(target error) bool { return target == ErrNewerDatabase }

var _ error = (*NewerDatabaseError)(nil)

type migration struct {
	version int
	name    string
}

func listMigrations(s Schema) ([]migration, error) {
	names, err := fs.Glob(s.FS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: list %s migrations: %w", s.Owner, err)
	}
	var migs []migration
	seen := map[int]string{}
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("store: %s migration %s: name must be NNNN_name.sql, NNNN from 1", s.Owner, base)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: %s migrations %s and %s share version %d", s.Owner, prev, base, v)
		}
		seen[v] = base
		migs = append(migs, migration{v, base})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].version < migs[j].version })
	return migs, nil
}

// migrate brings every schema up to date. It first refuses a database that a
// newer binary has taken past what this one knows, before changing anything:
// running old code on a newer schema could lose data it does not understand.
func (d *DB) migrate(ctx context.Context, all []Schema) error {
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`,
		`CREATE TABLE IF NOT EXISTS schema_owner_migrations (
			owner TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
			applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
			PRIMARY KEY (owner, version))`,
	} {
		if _, err := d.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: create migrations table: %w", err)
		}
	}
	lists := make([][]migration, len(all))
	legacy := maps.Clone(moved) // the store's numbers other owners' migrations once had
	for _, s := range all {
		for old := range s.Legacy {
			legacy[old] = s.Owner
		}
	}
	for i, s := range all {
		migs, err := listMigrations(s)
		if err != nil {
			return err
		}
		for _, m := range migs {
			if o, taken := legacy[m.version]; taken && s.Owner == storeOwner {
				return fmt.Errorf("store: migration %s: version %d was %s's before it moved; take a new number", m.name, m.version, o)
			}
		}
		lists[i] = migs
		know := 0
		if len(migs) > 0 {
			know = migs[len(migs)-1].version
		}
		have, err := d.ownerVersion(ctx, s.Owner, legacy)
		if err != nil {
			return err
		}
		if have > know {
			return &NewerDatabaseError{Path: d.path, Owner: s.Owner, Have: have, Know: know}
		}
	}
	for i, s := range all {
		if err := d.adoptLegacy(ctx, s); err != nil {
			return err
		}
		for _, m := range lists[i] {
			if err := d.apply(ctx, s, m); err != nil {
				return fmt.Errorf("store: %s migration %s: %w", s.Owner, m.name, err)
			}
		}
	}
	return nil
}

// ownerVersion is the newest version recorded for owner; the store's own
// leaves out the numbers moved migrations had.
func (d *DB) ownerVersion(ctx context.Context, owner string, legacy map[int]string) (int, error) {
	q, args := `SELECT version FROM schema_owner_migrations WHERE owner = ?`, []any{owner}
	if owner == storeOwner {
		q, args = `SELECT version FROM schema_migrations`, nil
	}
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("store: %s schema version: %w", owner, err)
	}
	defer rows.Close()
	high := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return 0, fmt.Errorf("store: %s schema version: %w", owner, err)
		}
		if _, moved := legacy[v]; !(owner == storeOwner && moved) {
			high = max(high, v)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: %s schema version: %w", owner, err)
	}
	return high, nil
}

// adoptLegacy records as applied the owner's migrations that a database
// written before the move ran under the store's numbering.
func (d *DB) adoptLegacy(ctx context.Context, s Schema) error {
	if len(s.Legacy) == 0 {
		return nil
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		for old, v := range s.Legacy {
			var name string
			err := tx.QueryRowContext(ctx, `SELECT name FROM schema_migrations WHERE version = ?`, old).Scan(&name)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("store: %s: read legacy migration %d: %w", s.Owner, old, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_owner_migrations (owner, version, name) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, s.Owner, v, name); err != nil {
				return fmt.Errorf("store: %s: adopt legacy migration %d: %w", s.Owner, old, err)
			}
		}
		return nil
	})
}

// apply runs m unless recorded, in one transaction with its record, so two
// processes opening one database at once apply it once.
func (d *DB) apply(ctx context.Context, s Schema, m migration) error {
	return d.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		q, args := `SELECT COUNT(*) FROM schema_owner_migrations WHERE owner = ? AND version = ?`, []any{s.Owner, m.version}
		if s.Owner == storeOwner {
			q, args = `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, []any{m.version}
		}
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		body, err := fs.ReadFile(s.FS, "migrations/"+m.name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		if s.Owner == storeOwner {
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name)
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_owner_migrations (owner, version, name) VALUES (?, ?, ?)`,
			s.Owner, m.version, m.name); err != nil {
			return err
		}
		for old, v := range s.Legacy {
			if v == m.version {
				if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)
					ON CONFLICT DO NOTHING`, old, s.Owner+"/"+m.name); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
