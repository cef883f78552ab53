package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/upload"
)

// demoApp is a demo-mode app whose practice has signed in and synced, with
// the backend and main tenant to inspect it through.
func demoApp(t *testing.T) (*App, *core.Session, string, ClientChoice) {
	t.Helper()
	return demoAppWith(t, Options{})
}

func demoAppWith(t *testing.T, opts Options) (*App, *core.Session, string, ClientChoice) {
	t.Helper()
	a := newTestApp(t, config.Config{Demo: true, DemoContacts: 20}, opts)
	deadline := time.Now().Add(time.Minute)
	for {
		found, err := a.Uploads.FindClients("", 5)
		if err == nil && len(found) > 0 {
			ctx, c, done, err := a.backend()
			if err != nil {
				t.Fatal(err)
			}
			done() // the test only needs the session, not to hold it open
			tenant, err := uploadTenant(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			return a, c, tenant, found[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo practice never synced: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func writeFile(t *testing.T, path string, size int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	b := bytes.Repeat([]byte("chase.md "), size/9+1)[:size]
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func byName(items []upload.Item, name string) upload.Item {
	for _, it := range items {
		if it.Name == name {
			return it
		}
	}
	return upload.Item{}
}

func waitSettled(t *testing.T, c *core.Session, ids ...int64) []upload.Item {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	items, err := c.Uploads.Wait(ctx, ids...)
	if err != nil {
		t.Fatalf("wait for items %v: %v", ids, err)
	}
	return items
}

// A folder dropped on a client: the good file is filed in the demo's Xero on
// that client, the 12 MB file and the program are refused in plain words and
// left alone; the activity log and its CSV export list the upload.
func TestEnqueueFolderFilesGoodRefusesRest(t *testing.T) {
	a, c, tenant, client := demoApp(t)
	dir := filepath.Join(t.TempDir(), "From client")
	good := filepath.Join(dir, "Bank statement – März.pdf")
	big := filepath.Join(dir, "scan-12mb.pdf")
	exe := filepath.Join(dir, "setup.exe")
	writeFile(t, good, 2000)
	writeFile(t, big, 12*1024*1024)
	writeFile(t, exe, 100)
	writeFile(t, filepath.Join(dir, ".DS_Store"), 10)
	before, _ := os.Stat(big)

	items, err := a.Uploads.Enqueue(client.ID, []string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3 (the dotfile skipped): %+v", len(items), items)
	}
	g := byName(items, filepath.Base(good))
	if g.ID == 0 || !g.State.Live() || g.Contact.ID != client.ID || g.Source != upload.SourceDrop {
		t.Fatalf("good file = %+v, want queued for %s", g, client.ID)
	}
	for _, tc := range []struct{ name, words string }{
		{"scan-12mb.pdf", "This file is 12.0 MB; Xero accepts files up to 10 MB."},
		{"setup.exe", "Xero doesn't accept .exe files, because they are programs or scripts."},
	} {
		it := byName(items, tc.name)
		if it.State != upload.StateRefused || !strings.Contains(it.Reason, tc.words) || it.ID != 0 {
			t.Errorf("%s = state %q reason %q, want refused with %q", tc.name, it.State, it.Reason, tc.words)
		}
	}
	if after, err := os.Stat(big); err != nil || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Error("the refused file was changed or moved")
	}

	done := waitSettled(t, c, g.ID)[0]
	if done.State != upload.StateDone || done.FileID == "" {
		t.Fatalf("after the queue ran: %+v", done)
	}
	files := c.Sandbox.FilesFor(tenant, client.ID)
	if len(files) != 1 || files[0].Name != filepath.Base(good) {
		t.Fatalf("the demo Xero holds %+v for the client, want just %q", files, filepath.Base(good))
	}

	hist, err := a.Activity.History("märz", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].Outcome != upload.StateDone || hist[0].FileID != done.FileID || hist[0].ContactName != client.Name {
		t.Fatalf("history for märz = %+v", hist)
	}
	if none, _ := a.Activity.History("no such file anywhere", 10, 0); len(none) != 0 || none == nil {
		t.Errorf("a search matching nothing = %#v, want an empty list", none)
	}

	out := filepath.Join(t.TempDir(), CSVFileName(time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)))
	if !strings.HasSuffix(out, "chase-md-activity-2026-11-03.csv") {
		t.Errorf("export name = %s", filepath.Base(out))
	}
	if err := os.WriteFile(out, []byte("an older export"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := a.Activity.exportCSVTo(out); err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The export is the whole activity log: the filing (with the Xero file ID), the refusals, the sync.
	lines := strings.Split(strings.TrimSpace(string(csv)), "\r\n")
	var filed, refused, synced bool
	for _, l := range lines[1:] {
		filed = filed || strings.Contains(l, done.FileID) && strings.Contains(l, "Bank statement – März.pdf") &&
			strings.Contains(l, client.Name) && strings.Contains(l, ",Filed in Xero,")
		refused = refused || strings.Contains(l, "setup.exe") && strings.Contains(l, ",Refused,")
		synced = synced || strings.Contains(l, ",Synced from Xero,")
	}
	if !filed || !refused || !synced {
		t.Errorf("csv (filed %v, refused %v, synced %v) = %q", filed, refused, synced, csv)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".chase-export-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// The same bytes dropped again are skipped with a note; Upload anyway sends them.
func TestDuplicateSkippedThenForced(t *testing.T) {
	a, c, tenant, client := demoApp(t)
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	writeFile(t, path, 500)
	first, err := a.Uploads.Enqueue(client.ID, []string{path}, "")
	if err != nil {
		t.Fatal(err)
	}
	waitSettled(t, c, first[0].ID)

	again, err := a.Uploads.Enqueue(client.ID, []string{path, path}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0].State != upload.StateSkippedDuplicate || !strings.Contains(again[0].Note, "Already uploaded to") {
		t.Fatalf("dropped again = %+v, want one skipped duplicate with a note", again)
	}
	if err := a.Uploads.Force(again[0].ID); err != nil {
		t.Fatal(err)
	}
	if it := waitSettled(t, c, again[0].ID)[0]; it.State != upload.StateDone || !it.Forced {
		t.Fatalf("forced = %+v", it)
	}
	if n := len(c.Sandbox.FilesFor(tenant, client.ID)); n != 2 {
		t.Errorf("files on the client = %d, want 2 after Upload anyway", n)
	}
	ov, err := a.Uploads.Overview()
	if err != nil {
		t.Fatal(err)
	}
	if ov.Done != 2 || ov.Queued+ov.Active+ov.Waiting != 0 || ov.LiveBytes != 0 {
		t.Errorf("overview = %+v, want 2 done and nothing live", ov)
	}
	err = a.Uploads.Force(again[0].ID)
	if ui := decodeUIError(t, FormatError(err)); ui.Code != "upload_not_allowed" {
		t.Errorf("forcing a done item: %v → %+v", err, ui)
	}
	if n, err := a.Uploads.ClearFinished(); err != nil || n != 2 {
		t.Errorf("clear finished = %d, %v", n, err)
	}
	if items, err := a.Uploads.Items(ItemsFilter{}); err != nil || len(items) != 0 || items == nil {
		t.Errorf("items after clearing = %#v, %v", items, err)
	}
	if hist, _ := a.Activity.History("invoice", 10, 0); len(hist) != 3 {
		t.Errorf("history keeps every outcome: %d entries, want 3 (done, skipped, done)", len(hist))
	}
}

// Cancel stops a slow upload; Retry sends it after all.
func TestCancelAndRetry(t *testing.T) {
	a, c, tenant, client := demoApp(t)
	if err := a.Uploads.DemoSlowUploads("30s"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "slow.pdf")
	writeFile(t, path, 500)
	items, err := a.Uploads.Enqueue(client.ID, []string{path}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Uploads.CancelAll(); err != nil {
		t.Fatal(err)
	}
	got, err := a.Uploads.Items(ItemsFilter{States: []string{"cancelled"}, ContactID: strings.ToUpper(client.ID)})
	if err != nil || len(got) != 1 || got[0].ID != items[0].ID {
		t.Fatalf("cancelled items for the client = %+v, %v", got, err)
	}
	if err := a.Uploads.DemoSlowUploads(""); err != nil {
		t.Fatal(err)
	}
	if err := a.Uploads.Retry(items[0].ID); err != nil {
		t.Fatal(err)
	}
	if it := waitSettled(t, c, items[0].ID)[0]; it.State != upload.StateDone {
		t.Fatalf("retried = %+v", it)
	}
	if files := c.Sandbox.FilesFor(tenant, client.ID); len(files) != 1 {
		t.Errorf("files on the client = %d, want exactly 1 after cancel and retry", len(files))
	}
}

func TestEnqueueErrorsInWords(t *testing.T) {
	a, _, _, client := demoApp(t)
	_, err := a.Uploads.Enqueue("00000000-0000-0000-0000-000000000000", []string{"x.pdf"}, "")
	if ui := decodeUIError(t, FormatError(err)); ui.Code != "no_client" || !strings.Contains(ui.Message, "Sync contacts") {
		t.Errorf("unknown client: %+v", ui)
	}
	_, err = a.Uploads.Items(ItemsFilter{States: []string{"lost"}})
	var in *InputError
	if !errors.As(err, &in) {
		t.Errorf("unknown state: %v, want an InputError", err)
	}
	gone := filepath.Join(t.TempDir(), "gone.pdf")
	items, err := a.Uploads.Enqueue(client.ID, []string{gone}, "")
	if err != nil || len(items) != 1 || items[0].State != upload.StateRefused || !strings.Contains(items[0].Reason, "is no longer there") {
		t.Errorf("a missing file = %+v, %v", items, err)
	}
	if err := a.Uploads.Cancel(987654); err == nil {
		t.Error("cancelling an unknown item succeeded")
	} else if ui := decodeUIError(t, FormatError(err)); ui.Code != "not_found" {
		t.Errorf("cancel unknown: %+v", ui)
	}
}

func TestDemoSlowUploadsOnlyInDemo(t *testing.T) {
	a := newTestApp(t, config.Config{}, Options{})
	if err := a.Uploads.DemoSlowUploads("2s"); err == nil {
		t.Error("DemoSlowUploads worked outside the demo")
	}
}

func TestExpandPaths(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"b.pdf", "a/z.png", "a/y.txt", ".git/config.txt", "a/.hidden.pdf", "c/.secret/x.pdf"} {
		writeFile(t, filepath.Join(dir, p), 3)
	}
	loose := filepath.Join(t.TempDir(), ".dropped-on-purpose.pdf")
	writeFile(t, loose, 3)
	missing := filepath.Join(dir, "missing.pdf")
	got, err := expandPaths([]string{dir, loose, missing, " ", filepath.Join(dir, "b.pdf")}, 100)
	if err != nil {
		t.Fatal(err)
	}
	rel := make([]string, len(got))
	for i, p := range got {
		if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
			rel[i] = filepath.ToSlash(r)
		} else {
			rel[i] = filepath.Base(p)
		}
	}
	want := []string{"a/y.txt", "a/z.png", "b.pdf", ".dropped-on-purpose.pdf", "missing.pdf"}
	if !slices.Equal(rel, want) {
		t.Errorf("expanded = %q, want %q", rel, want)
	}
	if _, err := expandPaths([]string{dir}, 2); !errors.Is(err, ErrTooManyFiles) {
		t.Errorf("limit: err = %v, want ErrTooManyFiles", err)
	}
}
