package activity

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/store"
)

func open(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLogWhoSearchFilterExport(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chase.db")
	db := open(t, path)
	clock := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	l, err := New(ctx, db, "root", func() time.Time { clock = clock.Add(time.Second); return clock })
	if err != nil {
		t.Fatal(err)
	}
	// Before anyone signs in to Xero, the computer's login.
	if err := l.Add(ctx, Entry{Kind: Sync, Detail: "12 clients added"}); err != nil {
		t.Fatal(err)
	}
	if err := l.SetUser(ctx, "Dana Demo"); err != nil {
		t.Fatal(err)
	}
	fileID := "6f1c0e9a-8d2b-4c1e-9f3a-2b7d5e4c1a90"
	for _, e := range []Entry{
		{Kind: Filed, Client: "Zoë Müller", ContactID: "C-1", Subject: "Bank statement.pdf", XeroID: fileID},
		{Kind: Moved, Client: "Acme Plumbing", Subject: "=cmd|' /C calc'!A0", XeroID: fileID, Detail: "from Zoë Müller"},
		{Kind: Undone, Client: "Acme Plumbing", Subject: "scan_0001.pdf"},
	} {
		if err := l.Add(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := l.List(ctx, Query{})
	if err != nil || len(all) != 4 {
		t.Fatalf("list: %d entries, %v", len(all), err)
	}
	if all[0].Kind != Undone || all[3].Kind != Sync || all[3].Who != "root" || all[0].Who != "Dana Demo" {
		t.Fatalf("order or who wrong: %+v", all)
	}
	// Who survives a restart.
	l2, err := New(ctx, db, "root", nil)
	if err != nil || l2.Who() != "Dana Demo" {
		t.Fatalf("who after reopening: %q, %v", l2.Who(), err)
	}

	for _, tc := range []struct {
		q    Query
		want int
	}{
		{Query{Search: "zoe"}, 0},       // accents are kept: ë is not e
		{Query{Search: "ZOË"}, 2},       // case-folded
		{Query{Search: fileID[:8]}, 2},  // by Xero ID
		{Query{Search: "acme scan"}, 1}, // every word must match
		{Query{Kinds: []Kind{Sync}}, 1},
		{Query{Kinds: []Kind{Filed, Moved}, Search: "dana"}, 2},
	} {
		got, err := l.List(ctx, tc.q)
		if err != nil || len(got) != tc.want {
			t.Errorf("%+v: %d entries (%v), want %d", tc.q, len(got), err, tc.want)
		}
	}

	var buf bytes.Buffer
	if err := l.WriteCSV(ctx, &buf, Query{Limit: -1}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFFWhen,What,Who") || strings.Count(out, "\r\n") != 5 {
		t.Fatalf("csv:\n%s", out)
	}
	if !strings.Contains(out, fileID) || !strings.Contains(out, "Moved to another client") || strings.Contains(out, ",=cmd") {
		t.Fatalf("csv lacks the Xero ID or a label, or lets a formula through:\n%s", out)
	}
}
