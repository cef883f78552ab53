package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
	"chase.md/backend/upload"
)

// syncedDemoApp is a demo app whose first contact sync has finished.
func syncedDemoApp(t *testing.T) (*App, *core.Session) {
	t.Helper()
	a := newTestApp(t, config.Config{Demo: true, DemoContacts: 60}, Options{})
	_, c, done, err := a.backend()
	if err != nil {
		t.Fatal(err)
	}
	done() // the test only needs the session, not to hold it open
	waitFor(t, "the demo's first sync", func() bool {
		st, err := a.Clients.SyncStatus()
		return err == nil && !st.LastSynced.IsZero() && !st.Running
	})
	return a, c
}

// waitFor polls cond: background work (sign-in, sync) finishes on its own goroutines.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// demoClient is an active demo contact with a name, email and account number,
// read from the sandbox itself (not from what chase.md stored).
func demoClient(t *testing.T, c *core.Session, tenantID string) sandbox.Contact {
	t.Helper()
	for _, k := range c.Sandbox.Contacts(tenantID) {
		if k.ContactStatus == "ACTIVE" && k.EmailAddress != "" && k.AccountNumber != "" && len(k.Name) > 6 {
			return k
		}
	}
	t.Fatal("the demo practice has no active contact with an email and account number")
	return sandbox.Contact{}
}

func TestClientsSearchFindsDemoContact(t *testing.T) {
	a, c := syncedDemoApp(t)
	st, err := a.Clients.SyncStatus()
	if err != nil {
		t.Fatal(err)
	}
	if !st.Connected || st.TenantName != sandbox.PracticeOrgName || st.Counts.Total == 0 {
		t.Fatalf("sync status = %+v", st)
	}
	want := demoClient(t, c, st.TenantID)
	id := strings.ToLower(want.ContactID)
	email := want.EmailAddress[:strings.Index(want.EmailAddress, "@")]
	for _, q := range []string{
		strings.ToUpper(want.Name[1:6]), // any part of the name, any case
		email,
		want.AccountNumber,
	} {
		page, err := a.Clients.Search(q, false, false, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(page.Rows, func(r store.ContactSummary) bool { return r.ID == id }) {
			t.Errorf("search %q: %s (%s) not among %d rows", q, want.Name, id, len(page.Rows))
		}
		if page.Total < len(page.Rows) {
			t.Errorf("search %q: total %d < rows %d", q, page.Total, len(page.Rows))
		}
	}

	all, err := a.Clients.Search("", false, true, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != st.Counts.Total || len(all.Rows) != all.Total {
		t.Errorf("everything incl. archived: total %d rows %d, counts say %d", all.Total, len(all.Rows), st.Counts.Total)
	}
	win, err := a.Clients.Search("", false, true, 10, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(win.Rows) != 5 || win.Rows[0].ID != all.Rows[10].ID || win.Offset != 10 {
		t.Errorf("window 10..15 = %d rows from %v", len(win.Rows), win.Offset)
	}
	if none, _ := a.Clients.Search("zzqqxxnothing", false, true, 0, 50); none.Total != 0 || len(none.Rows) != 0 {
		t.Errorf("nonsense matched %d", none.Total)
	}

	got, err := a.Clients.Client(want.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != want.Name || got.Email != want.EmailAddress || got.AccountNumber != want.AccountNumber {
		t.Errorf("Client = %+v, want %s <%s> %s", got, want.Name, want.EmailAddress, want.AccountNumber)
	}
	if _, err := a.Clients.Client("00000000-0000-0000-0000-000000000000"); err == nil || toUIError(err).Code != "not_found" {
		t.Errorf("unknown client: %v", err)
	}
}

func TestClientFilesListsAnUpload(t *testing.T) {
	a, c := syncedDemoApp(t)
	ctx := t.Context()
	st, _ := a.Clients.SyncStatus()
	want := demoClient(t, c, st.TenantID)
	before, err := a.Clients.ClientFiles(want.ContactID)
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "Bank statement March.pdf")
	body := []byte("%PDF-1.4 a statement\n")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	target, err := c.UploadContact(ctx, st.TenantID, want.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.Uploads.Enqueue(ctx, []upload.Request{{Path: path, TenantID: st.TenantID, Contact: target, Source: upload.SourcePicker}})
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	done, err := c.Uploads.Wait(wctx, items[0].ID)
	if err != nil || done[0].State != upload.StateDone {
		t.Fatalf("upload: %+v %v", done, err)
	}

	after, err := a.Clients.ClientFiles(want.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Fatalf("files: %d before, %d after the upload", len(before), len(after))
	}
	i := slices.IndexFunc(after, func(f ClientFile) bool { return f.Name == "Bank statement March.pdf" })
	if i < 0 {
		t.Fatalf("uploaded file not listed: %+v", after)
	}
	if f := after[i]; f.Size != int64(len(body)) || f.Created.IsZero() || !f.DetailsKnown {
		t.Errorf("file = %+v", f)
	}
}

func TestSyncNowAndSignOutKeepLocalClients(t *testing.T) {
	a, c := syncedDemoApp(t)
	st0, _ := a.Clients.SyncStatus()
	c.Sandbox.Advance(time.Minute)
	if _, err := c.Sandbox.AddContact(st0.TenantID, sandbox.Contact{Name: "Quillfeather & Daughters", EmailAddress: "q@quill.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Clients.SyncNow(false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new contact to sync", func() bool {
		p, err := a.Clients.Search("quillfeather", false, false, 0, 10)
		return err == nil && p.Total == 1
	})

	as, err := a.Auth.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !as.Running || as.State != "connected" || len(as.Orgs) == 0 || as.Orgs[0].Name != sandbox.PracticeOrgName {
		t.Fatalf("auth status = %+v", as)
	}
	out, err := a.Auth.SignOut()
	if err != nil {
		t.Fatal(err)
	}
	if out.State != "signed-out" {
		t.Errorf("after sign-out state = %q", out.State)
	}
	p, err := a.Clients.Search("", false, true, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != st0.Counts.Total+1 {
		t.Errorf("after sign-out %d clients, want the %d synced", p.Total, st0.Counts.Total+1)
	}
}

func TestClientFilesSaysWhenXeroCannotBeReached(t *testing.T) {
	a, c := syncedDemoApp(t)
	st, _ := a.Clients.SyncStatus()
	want := demoClient(t, c, st.TenantID)
	normal := clientFilesTimeout
	defer func() { clientFilesTimeout = normal }()
	clientFilesTimeout = 300 * time.Millisecond
	if err := c.Sandbox.SetFault("GET /files.xro/1.0/Associations/*", "drop"); err != nil {
		t.Fatal(err)
	}
	_, err := a.Clients.ClientFiles(want.ContactID)
	if ui := toUIError(err); ui.Code != "offline" || !strings.Contains(ui.Message, "could not reach Xero") {
		t.Fatalf("files with Xero unreachable: %v", err)
	}
	c.Sandbox.ClearFaults()
	clientFilesTimeout = normal
	if _, err := a.Clients.ClientFiles(want.ContactID); err != nil {
		t.Errorf("after the connection came back: %v", err)
	}
}
