// Package storetest gives tests real databases as earlier versions of
// chase.md left them, to prove that upgrades keep their data.
package storetest

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// schema45 was written by chase.md at schema 45, when every table was the
// store's own (migrations 0001 … 0045): a setting ("practice" = "Kauri & Co"),
// two contacts of tenant "t1" (Zoë Müller, Acme Widgets Ltd), a queued upload
// (a.pdf, upload key uk-1), an activity entry (Bank statement – März.pdf, file
// f-1), a Files folder (inbox2 → fo-1) and a chase mark.
//
//go:embed chase-v45.db.gz
var schema45 []byte

// Schema45 copies that database into t's temporary folder and returns its path.
func Schema45(t testing.TB) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(schema45))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "chase.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
