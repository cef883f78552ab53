package upload

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chase.md/backend/csvout"
	"chase.md/backend/sandbox"
)

// A file, client or detail that starts like a formula reaches the activity
// CSV as text: Excel must never run "=HYPERLINK(…)" from a scanned file's name.
func TestActivityCSVGuardsFormulas(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{User: "@zoe"})
	c := e.contacts(1)[0]
	c.Name = "-Minus & Co"          // as the person's copy of the contact says; the queue keeps it
	name := "=SUM(1+1) invoice.pdf" // a legal file name on Windows too
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, []byte("%PDF-1.4 formula\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	items, err := q.Enqueue(waitCtx(t), []Request{{Path: p, TenantID: e.tenant, Contact: c, Source: SourceDrop}})
	if err != nil {
		t.Fatal(err)
	}
	e.serve(q)
	if _, err := q.Wait(waitCtx(t), ids(items)...); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := q.ExportCSV(waitCtx(t), &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(csvout.BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("CSV = %q, want a header and one row", recs)
	}
	row := recs[1]
	if row[1] != "'@zoe" || row[2] != "'"+name || row[8] != "'"+c.Name {
		t.Errorf("user %q, file %q, client %q: want each with a leading apostrophe", row[1], row[2], row[8])
	}
	for i, cell := range row {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Errorf("cell %d (%s) = %q starts like a formula", i, recs[0][i], cell)
		}
	}
}
