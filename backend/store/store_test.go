package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	d, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub dir", "chase.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chase.db")
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := d.SchemaVersion(ctx)
	if err != nil || v1 < 1 {
		t.Fatalf("schema version = %d, %v; want >= 1", v1, err)
	}
	if err := d.SetSetting(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	d.Close()

	// Reopening must not re-run migrations (a second CREATE TABLE would fail) and keeps data.
	d, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer d.Close()
	v2, _ := d.SchemaVersion(ctx)
	if v2 != v1 {
		t.Fatalf("version changed on reopen: %d -> %d", v1, v2)
	}
	var got string
	if ok, err := d.GetSetting(ctx, "k", &got); !ok || err != nil || got != "v" {
		t.Fatalf("setting after reopen = %q %v %v", got, ok, err)
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	// Hold several connections at once so the pool must open more than one.
	var conns []interface{ Close() error }
	for i := 0; i < 4; i++ {
		c, err := d.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var fk int
		var mode string
		if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || mode != "wal" {
			t.Fatalf("conn %d: foreign_keys=%d journal_mode=%s", i, fk, mode)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	type geom struct{ W, H, X, Y int }
	var g geom
	if ok, err := d.GetSetting(ctx, "window", &g); ok || err != nil {
		t.Fatalf("unset key: ok=%v err=%v", ok, err)
	}
	if err := d.SetSetting(ctx, "window", geom{1200, 800, 10, 20}); err != nil {
		t.Fatal(err)
	}
	if err := d.SetSetting(ctx, "window", geom{1300, 900, 5, 6}); err != nil {
		t.Fatal(err)
	}
	if ok, err := d.GetSetting(ctx, "window", &g); !ok || err != nil || g != (geom{1300, 900, 5, 6}) {
		t.Fatalf("got %+v ok=%v err=%v", g, ok, err)
	}
	if err := d.DeleteSetting(ctx, "window"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := d.GetSetting(ctx, "window", &g); ok {
		t.Fatal("deleted key still present")
	}
}

func TestConcurrentWriters(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- d.SetSetting(ctx, "n", i)
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write: %v", err) // busy_timeout + immediate tx must serialise writers
		}
	}
}

func TestDataDirHonoursOverrides(t *testing.T) {
	t.Setenv("CHASE_DATA_DIR", "")
	t.Setenv("XDG_DATA_HOME", filepath.Join("x", "data"))
	got, err := DataDir()
	if err != nil || got != filepath.Join("x", "data", "chase.md") {
		t.Fatalf("XDG: %q %v", got, err)
	}
	t.Setenv("CHASE_DATA_DIR", "elsewhere")
	if got, _ := DataDir(); got != "elsewhere" {
		t.Fatalf("CHASE_DATA_DIR: %q", got)
	}
}
