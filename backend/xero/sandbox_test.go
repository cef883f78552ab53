package xero

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
)

// env is a sandbox on 127.0.0.1 and a client for its practice organisation.
type env struct {
	sb     *sandbox.Server
	url    string
	tenant string
	rc     *rest.Client
	x      *Client
}

// newEnv starts a sandbox whose rate-limit minute lasts time.Minute/scale and
// a client whose pacer agrees with it.
func newEnv(t *testing.T, opts sandbox.Options, restOpts ...rest.Option) *env {
	t.Helper()
	if opts.LimitScale == 0 {
		opts.LimitScale = 600
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	access, _ := sb.IssueToken()
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
	pacers := rest.NewPacers(rest.WithMinute(time.Duration(float64(time.Minute) / opts.LimitScale)))
	// A short attempt timeout turns a hung sandbox into a failing test instead of a stalled package.
	rc, err := rest.New(hc, srv.URL, append([]rest.Option{rest.WithPacers(pacers), rest.WithVersion("test"),
		rest.WithAttemptTimeout(30 * time.Second), rest.WithMaxRetries(6)}, restOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	var tenant string
	for _, tn := range sb.Tenants() {
		if tn.Type == "ORGANISATION" {
			tenant = tn.ID
			break
		}
	}
	if tenant == "" {
		t.Fatal("sandbox has no organisation")
	}
	return &env{sb: sb, url: srv.URL, tenant: tenant, rc: rc, x: New(rc, tenant)}
}

// activeIDs is the sandbox's truth: every active contact's ID, sorted.
func (e *env) activeIDs() []string {
	var ids []string
	for _, c := range e.sb.Contacts(e.tenant) {
		if c.ContactStatus != "ARCHIVED" {
			ids = append(ids, c.ContactID)
		}
	}
	sort.Strings(ids)
	return ids
}

// pageAll lists every page, failing on a duplicate.
func pageAll(t *testing.T, x *Client, o ListOptions) (ids []string, pages int) {
	t.Helper()
	seen := map[string]bool{}
	for o.Page = 1; ; o.Page++ {
		p, err := x.ListContacts(context.Background(), o)
		if err != nil {
			t.Fatalf("page %d: %v", o.Page, err)
		}
		pages++
		for _, c := range p.Contacts {
			if seen[c.ContactID] {
				t.Fatalf("contact %s came twice", c.ContactID)
			}
			seen[c.ContactID] = true
			ids = append(ids, c.ContactID)
		}
		if o.Page >= p.Pagination.PageCount {
			break
		}
	}
	sort.Strings(ids)
	return ids, pages
}

func TestListContactsPaging(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 250})
	page, err := e.x.ListContacts(context.Background(), ListOptions{Page: 1, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := e.activeIDs()
	if page.Pagination.PageCount != (len(want)+99)/100 || page.Pagination.ItemCount != len(want) || len(page.Contacts) != 100 {
		t.Fatalf("pagination %+v with %d contacts, want %d active", page.Pagination, len(page.Contacts), len(want))
	}
	if d := page.ServerTime.Sub(e.sb.Now()); page.ServerTime.IsZero() || d > time.Second || d < -time.Minute {
		t.Fatalf("server time %v, sandbox now %v", page.ServerTime, e.sb.Now())
	}
	c := page.Contacts[0]
	if c.Updated.IsZero() || c.Name == "" || c.ContactID == "" {
		t.Fatalf("contact not decoded: %+v", c)
	}
	got, pages := pageAll(t, e.x, ListOptions{PageSize: 100})
	if fmt.Sprint(got) != fmt.Sprint(want) || pages != 3 {
		t.Fatalf("%d contacts in %d pages, want %d in 3", len(got), pages, len(want))
	}
	if n := e.sb.CountRequests("GET", "/api.xro/2.0/Contacts"); n != 4 {
		t.Fatalf("%d GETs, want 4", n)
	}
}

func TestListContactsLargePageSize(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 1200})
	p, err := e.x.ListContacts(context.Background(), ListOptions{Page: 1, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if p.PageSizeCapped || len(p.Contacts) != 1000 {
		t.Fatalf("1000 a page: capped %v, %d contacts", p.PageSizeCapped, len(p.Contacts))
	}
	p, err = e.x.ListContacts(context.Background(), ListOptions{Page: 1, PageSize: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if !p.PageSizeCapped || p.Pagination.PageSize >= 5000 || len(p.Contacts) != p.Pagination.PageSize {
		t.Fatalf("5000 a page: capped %v, pagination %+v, warnings %q", p.PageSizeCapped, p.Pagination, p.Warnings)
	}
}

func TestListContactsModifiedSince(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 120})
	ctx := context.Background()
	first, err := e.x.ListContacts(ctx, ListOptions{Page: 1, IncludeArchived: true})
	if err != nil {
		t.Fatal(err)
	}
	mark := first.ServerTime
	e.sb.Advance(2 * time.Second)
	ids := e.activeIDs()
	changed, archived := ids[3], ids[7]
	if err := e.sb.UpdateContact(e.tenant, changed, func(c *sandbox.Contact) { c.EmailAddress = "new@example.com" }); err != nil {
		t.Fatal(err)
	}
	if err := e.sb.ArchiveContact(e.tenant, archived); err != nil {
		t.Fatal(err)
	}
	p, err := e.x.ListContacts(ctx, ListOptions{Page: 1, IncludeArchived: true, ModifiedSince: mark})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Contact{}
	for _, c := range p.Contacts {
		got[c.ContactID] = c
	}
	if len(got) != 2 || got[changed].EmailAddress != "new@example.com" || !func() bool { c := got[archived]; return c.Archived() }() {
		t.Fatalf("incremental returned %d contacts: %+v", len(got), got)
	}
	if !p.ServerTime.After(mark) || got[changed].Updated.Before(mark) {
		t.Fatalf("server time %v, mark %v, updated %v", p.ServerTime, mark, got[changed].Updated)
	}
	// Nothing changed since: an empty page.
	p, err = e.x.ListContacts(ctx, ListOptions{Page: 1, IncludeArchived: true, ModifiedSince: p.ServerTime.Add(time.Second)})
	if err != nil || len(p.Contacts) != 0 {
		t.Fatalf("no-change incremental: %v, %d contacts", err, len(p.Contacts))
	}
}

func TestPagingSurvivesFaults(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 450, Seed: 7})
	err := e.sb.SetFaults("GET /api.xro/2.0/Contacts=429@n2;GET /api.xro/2.0/Contacts=500@n4;" +
		"GET /api.xro/2.0/Contacts=drop@n5;GET /api.xro/2.0/Contacts=503@n7;GET /api.xro/2.0/Contacts=malformed@n8")
	if err != nil {
		t.Fatal(err)
	}
	got, pages := pageAll(t, e.x, ListOptions{PageSize: 100})
	want := e.activeIDs()
	if fmt.Sprint(got) != fmt.Sprint(want) || pages != 5 {
		t.Fatalf("%d contacts in %d pages, want %d in 5", len(got), pages, len(want))
	}
	faults := map[string]int{}
	for _, r := range e.sb.Requests() {
		if r.Fault != "" {
			faults[r.Fault]++
		}
	}
	for _, f := range []string{"429", "500", "drop", "503", "malformed"} {
		if faults[f] != 1 {
			t.Errorf("fault %s happened %d times, want 1 (all: %v)", f, faults[f], faults)
		}
	}
	// net/http itself resends a GET whose reused connection died before any
	// answer, so the dropped connection may not reach our retry loop.
	st := e.x.Pacer().Stats()
	if st.Throttled != 1 || st.Retries < 4 || st.Retries > 5 {
		t.Errorf("stats %+v, want 1 throttled and 4 or 5 retries", st)
	}
}

func TestOrganisationOfflinePausesThenSucceeds(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 10, LimitScale: 1200})
	if err := e.sb.SetFault("GET /api.xro/2.0/Contacts", "offline@n1"); err != nil {
		t.Fatal(err)
	}
	p, err := e.x.ListContacts(context.Background(), ListOptions{Page: 1})
	if err != nil || len(p.Contacts) == 0 {
		t.Fatalf("%v", err)
	}
	if e.x.Pacer().PausedUntil().IsZero() {
		t.Fatal("an organisation-offline 503 should pause the tenant")
	}
}

func TestGetAndSearchContacts(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 50})
	ctx := context.Background()
	want := e.sb.Contacts(e.tenant)[5]
	c, err := e.x.GetContact(ctx, want.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if c.ContactID != want.ContactID || c.Name != want.Name || !c.Updated.Equal(want.Updated.Truncate(time.Millisecond)) {
		t.Fatalf("got %s %q %v, want %s %q %v", c.ContactID, c.Name, c.Updated, want.ContactID, want.Name, want.Updated)
	}
	if _, err := e.x.GetContact(ctx, "00000000-0000-0000-0000-000000000001"); !errors.Is(err, rest.ErrNotFound) {
		t.Fatalf("missing contact: %v", err)
	}
	term := strings.Fields(want.Name)[0]
	found, err := e.x.SearchContacts(ctx, term)
	if err != nil {
		t.Fatal(err)
	}
	hit := false
	for _, f := range found {
		hit = hit || f.ContactID == want.ContactID
		if !strings.Contains(strings.ToLower(f.Name+f.FirstName+f.LastName+f.EmailAddress+f.ContactNumber), strings.ToLower(term)) {
			t.Errorf("search %q returned %q", term, f.Name)
		}
	}
	if !hit {
		t.Fatalf("search %q did not find %q", term, want.Name)
	}
}

func TestUploadAndAssociateExactlyOnceAfterDroppedAnswers(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 20})
	ctx := rest.WithPriority(context.Background(), rest.Interactive)
	contact := e.sb.Contacts(e.tenant)[0]
	before := len(e.sb.Files(e.tenant))

	// The server stores the file, then the connection drops before the answer.
	if err := e.sb.SetFault("POST /files.xro/1.0/Files", "dropafter@n1"); err != nil {
		t.Fatal(err)
	}
	content := bytes.Repeat([]byte("%PDF-1.4 chase "), 5000)
	dir := t.TempDir()
	path := filepath.Join(dir, "Tax return 2025.pdf")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lastProgress int64
	fo, err := e.x.UploadFile(ctx, UploadRequest{Name: "Tax return 2025.pdf", Body: f, Size: int64(len(content)),
		MimeType: "application/pdf", IdempotencyKey: "upload-key-1", Progress: func(n int64) { lastProgress = n }})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.sb.CountRequests("POST", "/files.xro/1.0/Files"); n != 2 {
		t.Fatalf("%d upload requests, want 2 (dropped, replayed)", n)
	}
	files := e.sb.Files(e.tenant)
	if len(files) != before+1 {
		t.Fatalf("%d files after upload, want %d: exactly one", len(files), before+1)
	}
	sum := sha256.Sum256(content)
	stored := files[len(files)-1]
	if stored.ID != fo.ID || stored.SHA256 != hex.EncodeToString(sum[:]) || stored.Name != "Tax return 2025.pdf" || stored.MimeType != "application/pdf" {
		t.Fatalf("stored %+v, answered %+v", stored, fo)
	}
	if lastProgress != int64(len(content)) {
		t.Fatalf("progress ended at %d of %d", lastProgress, len(content))
	}
	if _, err := ParseFilesTime(fo.CreatedDateUTC); err != nil {
		t.Fatalf("CreatedDateUtc: %v", err)
	}
	inbox, err := e.x.Inbox(ctx)
	if err != nil || !inbox.IsInbox || fo.FolderID != inbox.ID {
		t.Fatalf("inbox %+v (%v), file in %s", inbox, err, fo.FolderID)
	}

	assocPath := "POST /files.xro/1.0/Files/" + fo.ID + "/Associations"
	if err := e.sb.SetFault(assocPath, "dropafter@n1"); err != nil {
		t.Fatal(err)
	}
	a, err := e.x.Associate(ctx, fo.ID, AssociationRequest{ObjectID: contact.ContactID, ObjectType: "Business"}, "assoc-key-1")
	if err != nil {
		t.Fatal(err)
	}
	if a.FileID != fo.ID || !strings.EqualFold(a.ObjectID, contact.ContactID) || a.ObjectGroup != "Contact" {
		t.Fatalf("association %+v", a)
	}
	n := 0
	for _, as := range e.sb.Associations(e.tenant) {
		if as.FileID == fo.ID {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d associations for the file, want exactly 1", n)
	}
	list, err := e.x.AssociationsFor(ctx, contact.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].FileID != fo.ID || list[0].Name != fo.Name {
		t.Fatalf("associations of contact: %+v", list)
	}
}

func TestUploadWithoutKeyIsNotRepeated(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 5})
	before := len(e.sb.Files(e.tenant))
	if err := e.sb.SetFault("POST /files.xro/1.0/Files", "dropafter@n1"); err != nil {
		t.Fatal(err)
	}
	_, err := e.x.UploadFile(context.Background(), UploadRequest{Name: "a.txt", Body: strings.NewReader("hello"), Size: 5})
	if !errors.Is(err, rest.ErrUnknownOutcome) {
		t.Fatalf("err %v, want ErrUnknownOutcome", err)
	}
	// The server committed before hanging up; we sent once and did not repeat.
	if calls, files := e.x.Pacer().Stats().Calls, len(e.sb.Files(e.tenant))-before; calls != 1 || files != 1 {
		t.Fatalf("%d requests sent, %d files made", calls, files)
	}
}

func TestUploadRefusedExtensionIsAPIError(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 5})
	_, err := e.x.UploadFile(context.Background(), UploadRequest{Name: "setup.exe", Body: bytes.NewReader([]byte("MZ")), Size: 2,
		IdempotencyKey: "k-exe"})
	var ae *rest.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest || !strings.Contains(ae.Detail, "not a valid File extension") {
		t.Fatalf("err %v", err)
	}
	if n := e.sb.CountRequests("POST", "/files.xro/1.0/Files"); n != 1 {
		t.Fatalf("a 400 was retried: %d requests", n)
	}
}

func TestFoldersAndFiles(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 5})
	ctx := context.Background()
	if err := e.sb.SetFault("POST /files.xro/1.0/Folders", "dropafter@n1"); err != nil {
		t.Fatal(err)
	}
	folder, err := e.x.CreateFolder(ctx, "Client documents", "folder-key")
	if err != nil {
		t.Fatal(err)
	}
	folders, err := e.x.Folders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	named, inbox := 0, 0
	for _, f := range folders {
		if f.Name == "Client documents" {
			named++
		}
		if f.IsInbox {
			inbox++
		}
	}
	if named != 1 || inbox != 1 || folder.ID == "" {
		t.Fatalf("folders %+v", folders)
	}
	fo, err := e.x.UploadFile(ctx, UploadRequest{FolderID: folder.ID, Name: "notes.txt", Body: strings.NewReader("notes"), Size: 5,
		IdempotencyKey: "u-notes"})
	if err != nil {
		t.Fatal(err)
	}
	if fo.FolderID != folder.ID || fo.Size != 5 {
		t.Fatalf("file %+v", fo)
	}
	page, err := e.x.ListFiles(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range page.Items {
		found = found || it.ID == fo.ID
	}
	if !found || page.TotalCount < 1 {
		t.Fatalf("ListFiles %+v lacks %s", page, fo.ID)
	}
	got, err := e.x.GetFile(ctx, fo.ID)
	if err != nil || got.Name != "notes.txt" {
		t.Fatalf("GetFile %+v %v", got, err)
	}
}

func TestAssociationsForPagesPast100(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 5, DisableLimits: true})
	ctx := context.Background()
	contact := e.sb.Contacts(e.tenant)[1]
	const n = 103
	for i := range n {
		name := fmt.Sprintf("doc-%03d.txt", i)
		fo, err := e.x.UploadFile(ctx, UploadRequest{Name: name, Body: strings.NewReader(name), Size: int64(len(name)), IdempotencyKey: "u-" + name})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.x.Associate(ctx, fo.ID, AssociationRequest{ObjectID: contact.ContactID}, "a-"+name); err != nil {
			t.Fatal(err)
		}
	}
	e.sb.ResetRequests()
	list, err := e.x.AssociationsFor(ctx, contact.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range list {
		seen[a.FileID] = true
	}
	if len(list) != n || len(seen) != n {
		t.Fatalf("%d associations (%d distinct), want %d", len(list), len(seen), n)
	}
	if got := e.sb.CountRequests("GET", "/Associations/"); got != 2 {
		t.Fatalf("%d pages fetched, want 2", got)
	}
}

func newServer(t *testing.T, sb *sandbox.Server) string {
	t.Helper()
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestAuthFailuresAreTyped(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 5})
	ctx := context.Background()
	_, err := New(e.rc, "00000000-0000-0000-0000-00000000beef").ListContacts(ctx, ListOptions{Page: 1})
	var ae *rest.APIError
	if !errors.Is(err, rest.ErrForbidden) || !errors.As(err, &ae) || ae.Detail != "AuthenticationUnsuccessful" {
		t.Fatalf("unknown tenant: %v", err)
	}
	e.sb.ExpireAccessTokens()
	_, err = e.x.Folders(ctx)
	if !errors.Is(err, rest.ErrUnauthorized) {
		t.Fatalf("expired token: %v", err)
	}
	if strings.Contains(err.Error(), "Bearer") || strings.Contains(err.Error(), "eyJ") {
		t.Fatalf("error mentions the token: %v", err)
	}
}

func TestGetContactByNumberWithSpaces(t *testing.T) {
	e := newEnv(t, sandbox.Options{Contacts: 5})
	added, err := e.sb.AddContact(e.tenant, sandbox.Contact{Name: "Spaced Ltd", ContactNumber: "ACME 01"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.x.GetContact(context.Background(), "ACME 01")
	if err != nil || c.ContactID != added.ContactID {
		t.Fatalf("got %+v, %v", c, err)
	}
	reqs := e.sb.Requests()
	if last := reqs[len(reqs)-1]; last.Path != "/api.xro/2.0/Contacts/ACME 01" {
		t.Fatalf("server saw path %q", last.Path)
	}
}
