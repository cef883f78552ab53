package syncer

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
	"chase.md/backend/xero"
	"chase.md/backend/xero/api"
)

// env is a sandbox on 127.0.0.1, the real xero client for its biggest
// organisation, a real SQLite store under t.TempDir() and a Syncer over both.
type env struct {
	sb     *sandbox.Server
	tenant string
	db     *store.DB
	x      *xero.Client
	s      *Syncer
}

// limitScale makes the sandbox's (and the pacer's) rate-limit minute last 100 ms.
const limitScale = 600

// newEnv builds the env; popts add to the pacer's options (its minute is the sandbox's).
func newEnv(tb testing.TB, sbo sandbox.Options, so Options, popts ...rest.PacerOption) *env {
	tb.Helper()
	if sbo.LimitScale == 0 {
		sbo.LimitScale = limitScale
	}
	sb := sandbox.New(sbo)
	srv := httptest.NewServer(sb.Handler())
	tb.Cleanup(srv.Close)
	access, _ := sb.IssueToken()
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
	pacers := rest.NewPacers(append([]rest.PacerOption{rest.WithMinute(time.Duration(float64(time.Minute) / sbo.LimitScale))}, popts...)...)
	rc, err := rest.New(hc, srv.URL, rest.WithPacers(pacers), rest.WithVersion("test"))
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{sb: sb}
	most := -1
	for _, tn := range sb.Tenants() {
		if n := len(sb.Contacts(tn.ID)); tn.Type == "ORGANISATION" && n > most {
			e.tenant, most = tn.ID, n
		}
	}
	if e.tenant == "" {
		tb.Fatal("sandbox has no organisation")
	}
	e.db, err = store.Open(context.Background(), filepath.Join(tb.TempDir(), "chase.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.db.Close() })
	e.x = xero.New(rc, e.tenant)
	e.s = New(e.db, func(tenantID string) ContactLister {
		if tenantID != e.tenant {
			tb.Errorf("lister asked for tenant %s", tenantID)
		}
		return e.x
	}, so)
	return e
}

// listCalls counts GET /Contacts requests the sandbox saw, faulted ones included.
func (e *env) listCalls() int { return e.sb.CountRequests("GET", "/api.xro/2.0/Contacts") }

type row struct {
	id, name, email, status, merged, updated string
	persons                                  int
}

// stored is every stored contact of the tenant, by ID, failing on a duplicate.
func (e *env) stored(t *testing.T) map[string]row {
	t.Helper()
	rows, err := e.db.SQL().Query(`SELECT contact_id, name, email, status, merged_to_contact_id, updated_utc,
		json_array_length(persons) FROM contacts WHERE tenant_id = ?`, e.tenant)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]row{}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name, &r.email, &r.status, &r.merged, &r.updated, &r.persons); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[r.id]; dup {
			t.Fatalf("contact %s stored twice", r.id)
		}
		out[r.id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// truth is the sandbox's contacts as the store should hold them.
func (e *env) truth() map[string]row {
	out := map[string]row{}
	for _, c := range e.sb.Contacts(e.tenant) {
		id := strings.ToLower(c.ContactID)
		status := c.ContactStatus
		if c.MergedToContactID != "" {
			status = store.StatusArchived
		}
		out[id] = row{id: id, name: c.Name, email: c.EmailAddress, status: status,
			merged: strings.ToLower(c.MergedToContactID), updated: c.Updated.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000000000Z07:00"),
			persons: len(c.ContactPersons)}
	}
	return out
}

// assertExact fails unless the store holds exactly the sandbox's contacts.
func (e *env) assertExact(t *testing.T) {
	t.Helper()
	got, want := e.stored(t), e.truth()
	if len(got) != len(want) {
		t.Fatalf("store holds %d contacts; sandbox has %d", len(got), len(want))
	}
	for id, w := range want {
		if g, ok := got[id]; !ok || g != w {
			t.Fatalf("contact %s:\n store   %+v\n sandbox %+v", id, g, w)
		}
	}
}

func TestFullSyncSeveralPages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		contacts int
		pageSize int
		calls    int
	}{
		{"pages of 1000", 1050, 0, 2},
		{"pages of 100", 250, 100, 3},
		{"exact multiple", 300, 100, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, sandbox.Options{Contacts: tc.contacts, Seed: 1}, Options{PageSize: tc.pageSize})
			var prog []Progress
			sum, err := e.s.Full(ctx, e.tenant, func(p Progress) { prog = append(prog, p) })
			if err != nil {
				t.Fatal(err)
			}
			e.assertExact(t)
			n := len(e.truth())
			if sum.Calls != tc.calls || e.listCalls() != tc.calls || sum.Added != n || sum.Changed+sum.Archived != 0 || sum.Received != n || !sum.Full {
				t.Fatalf("summary %+v, %d calls seen; want %d calls, %d added", sum, e.listCalls(), tc.calls, n)
			}
			if len(prog) != tc.calls || prog[len(prog)-1] != (Progress{Page: tc.calls, PageCount: tc.calls, Contacts: n}) {
				t.Fatalf("progress %+v", prog)
			}
			st, err := e.db.ContactSyncState(ctx, e.tenant)
			if err != nil {
				t.Fatal(err)
			}
			if st.FullNextPage != 0 || st.Watermark.IsZero() || !st.LastFullAt.Equal(st.Watermark) || st.LastSyncAt.IsZero() ||
				st.Watermark.After(e.sb.Now()) || e.sb.Now().Sub(st.Watermark) > time.Minute {
				t.Fatalf("state after full sync %+v (sandbox now %v)", st, e.sb.Now())
			}
			if want := max(tc.pageSize, 1000); tc.pageSize == 0 && st.PageSize != want { // learned for next time
				t.Fatalf("learned page size %d; want %d", st.PageSize, want)
			}

			// A second full sync changes nothing.
			sum, err = e.s.Full(ctx, e.tenant, nil)
			if err != nil || sum.Added+sum.Changed+sum.Archived != 0 || sum.Resumed {
				t.Fatalf("second full sync: %+v, %v", sum, err)
			}
		})
	}
}

func TestIncrementalPicksUpChangedAndArchivedOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, sandbox.Options{Contacts: 300, Seed: 2}, Options{})
	if _, err := e.s.Full(ctx, e.tenant, nil); err != nil {
		t.Fatal(err)
	}
	// Nothing changed: one call, nothing written.
	before := e.listCalls()
	sum, err := e.s.Incremental(ctx, e.tenant, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Calls != 1 || e.listCalls()-before != 1 || sum.Added+sum.Changed+sum.Archived != 0 || sum.Full {
		t.Fatalf("no-change incremental: %+v", sum)
	}

	e.sb.Advance(10 * time.Minute)
	var active []string
	for _, c := range e.sb.Contacts(e.tenant) {
		if c.ContactStatus == "ACTIVE" {
			active = append(active, c.ContactID)
		}
	}
	changed, archived := active[5], active[9]
	if err := e.sb.UpdateContact(e.tenant, changed, func(c *sandbox.Contact) {
		c.EmailAddress = "new.address@changed.example"
		c.Name += " (renamed)"
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.sb.ArchiveContact(e.tenant, archived); err != nil {
		t.Fatal(err)
	}
	added, err := e.sb.AddContact(e.tenant, sandbox.Contact{Name: "Brand New Client Ltd", EmailAddress: "hello@brandnew.example", IsCustomer: true})
	if err != nil {
		t.Fatal(err)
	}
	before = e.listCalls()
	sum, err = e.s.Incremental(ctx, e.tenant, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 1 || sum.Changed != 1 || sum.Archived != 1 || sum.Received != 3 || sum.Calls != 1 || e.listCalls()-before != 1 {
		t.Fatalf("incremental summary %+v; want 1 added, 1 changed, 1 archived from 3 received in 1 call", sum)
	}
	e.assertExact(t)
	hits, _, err := e.db.SearchContacts(ctx, e.tenant, store.SearchQuery{Text: "changed.example"})
	if err != nil || len(hits) != 1 || hits[0].ID != strings.ToLower(changed) {
		t.Fatalf("search for the changed email: %+v, %v", hits, err)
	}
	if _, n, _ := e.db.SearchContacts(ctx, e.tenant, store.SearchQuery{Text: "brand new"}); n != 1 {
		t.Fatalf("added contact not searchable")
	}
	if c, _ := e.db.Contact(ctx, e.tenant, strings.ToLower(added.ContactID)); c.Name != "Brand New Client Ltd" || !c.IsCustomer {
		t.Fatalf("added contact stored as %+v", c)
	}

	// The watermark moved to the server's time: asking again finds nothing new.
	sum, err = e.s.Incremental(ctx, e.tenant, nil)
	if err != nil || sum.Calls != 1 || sum.Added+sum.Changed+sum.Archived != 0 {
		t.Fatalf("repeat incremental: %+v, %v", sum, err)
	}
}

func TestIncrementalWithoutFullSyncDoesFull(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sandbox.Options{Contacts: 150, Seed: 3}, Options{PageSize: 100})
	sum, err := e.s.Incremental(context.Background(), e.tenant, nil)
	if err != nil || !sum.Full || sum.Calls != 2 {
		t.Fatalf("first incremental: %+v, %v; want a full sync of 2 calls", sum, err)
	}
	e.assertExact(t)
}

// storm429 is a 429 storm over the paging: a run of five 429s in a row mid-way
// (calls 4 to 8, retries included) and, on every other call, a 429 with
// probability 0.3. Each 429 pauses the tenant for its Retry-After (whole
// seconds), so the storm costs several seconds.
const storm429 = "GET /api.xro/2.0/Contacts=429@n4;GET /api.xro/2.0/Contacts=429@n5;GET /api.xro/2.0/Contacts=429@n6;" +
	"GET /api.xro/2.0/Contacts=429@n7;GET /api.xro/2.0/Contacts=429@n8;GET /api.xro/2.0/Contacts=429@p0.3"

func TestFaultsMidPagingEndExact(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, faults   string
		min429, run429 int // at least this many 429s, and this many in a row
	}{
		{"429 storm", storm429, 7, 5},
		{"500s", "GET /api.xro/2.0/Contacts=500@e2", 0, 0},
		{"dropped connection", "GET /api.xro/2.0/Contacts=drop@n3;GET /api.xro/2.0/Contacts=dropafter@n5", 0, 0},
		{"mixed", "GET /api.xro/2.0/Contacts=429@n2;GET /api.xro/2.0/Contacts=500@n4;" +
			"GET /api.xro/2.0/Contacts=drop@n6;GET /api.xro/2.0/Contacts=503@n7;GET /api.xro/2.0/Contacts=malformed@n8", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, sandbox.Options{Contacts: 450, Seed: 4, Faults: tc.faults}, Options{PageSize: 100})
			sum, err := e.s.Full(ctx, e.tenant, nil)
			if err != nil {
				t.Fatal(err)
			}
			e.assertExact(t)
			faulted, throttled, run, longest := 0, 0, 0, 0
			for _, r := range e.sb.Requests() {
				if r.Fault != "" {
					faulted++
				}
				if r.Status == 429 {
					throttled++
					run++
					longest = max(longest, run)
				} else {
					run = 0
				}
			}
			if faulted == 0 || sum.Calls != 5 {
				t.Fatalf("%d faults injected, %d syncer calls; want some, and 5 calls (retries are the client's)", faulted, sum.Calls)
			}
			if throttled < tc.min429 || longest < tc.run429 {
				t.Fatalf("%d 429s, at most %d in a row; want %d, a run of %d", throttled, longest, tc.min429, tc.run429)
			}
			t.Logf("%d requests: %d faulted, %d answered 429 (at most %d in a row)", len(e.sb.Requests()), faulted, throttled, longest)
		})
	}
}

// A page that fails outright (the client gave up) leaves the store as it was
// after the last good page, and the next run resumes there.
func TestFailedPageResumesFromLastGoodPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, sandbox.Options{Contacts: 500, Seed: 5}, Options{PageSize: 100})
	// Page 3 answers 400 until the fault is cleared: not retried by the client.
	fail := &failingLister{inner: e.x, failPage: 3}
	e.s.listers = func(string) ContactLister { return fail }
	_, err := e.s.Full(ctx, e.tenant, nil)
	if !errors.Is(err, errPageFailed) {
		t.Fatalf("err = %v; want the page failure", err)
	}
	st, _ := e.db.ContactSyncState(ctx, e.tenant)
	if got := len(e.stored(t)); got != 200 || st.FullNextPage != 3 || st.LastError == "" || !st.Watermark.IsZero() {
		t.Fatalf("after failed page 3: %d stored, state %+v; want 200 stored, resume at 3, error noted", got, st)
	}
	fail.failPage = 0
	var pages []int
	sum, err := e.s.Full(ctx, e.tenant, func(p Progress) { pages = append(pages, p.Page) })
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Resumed || !slices.Equal(pages, []int{3, 4, 5}) || sum.Calls != 3 {
		t.Fatalf("resume: %+v pages %v; want pages 3..5 only", sum, pages)
	}
	e.assertExact(t)
	if st, _ := e.db.ContactSyncState(ctx, e.tenant); st.LastError != "" || st.FullNextPage != 0 || st.Watermark.IsZero() {
		t.Fatalf("state after resume %+v", st)
	}
}

var errPageFailed = errors.New("page failed on purpose")

// failingLister passes calls to the real client except for one page.
type failingLister struct {
	inner    ContactLister
	mu       sync.Mutex
	failPage int
}

func (f *failingLister) ListContacts(ctx context.Context, o xero.ListOptions) (*xero.ContactPage, error) {
	f.mu.Lock()
	fail := f.failPage != 0 && o.Page == f.failPage
	f.mu.Unlock()
	if fail {
		return nil, errPageFailed
	}
	return f.inner.ListContacts(ctx, o)
}

func TestCancelMidSyncLeavesConsistentStoreAndResumes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sandbox.Options{Contacts: 500, Seed: 6, Faults: "GET /api.xro/2.0/Contacts=slow:50ms"}, Options{PageSize: 100})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel while page 3 is in flight (after page 2 is written).
	_, err := e.s.Full(ctx, e.tenant, func(p Progress) {
		if p.Page == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	st, _ := e.db.ContactSyncState(context.Background(), e.tenant)
	if got := len(e.stored(t)); got != 200 || st.FullNextPage != 3 || st.LastError != "" {
		t.Fatalf("after cancel: %d stored, state %+v; want 200 and resume at page 3, no error noted", got, st)
	}
	sum, err := e.s.Full(context.Background(), e.tenant, nil)
	if err != nil || !sum.Resumed || sum.Calls != 3 {
		t.Fatalf("resume: %+v, %v", sum, err)
	}
	e.assertExact(t)
}

func TestCancelDuringWriteRollsBackPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sandbox.Options{Contacts: 300, Seed: 7}, Options{PageSize: 100})
	ctx, cancel := context.WithCancel(context.Background())
	// The store is cancelled after the page is fetched but before it is written.
	e.s.st = cancelOnSave{Store: e.db, onPage: 2, cancel: cancel, n: new(int)}
	_, err := e.s.Full(ctx, e.tenant, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	st, _ := e.db.ContactSyncState(context.Background(), e.tenant)
	if got := len(e.stored(t)); got != 100 || st.FullNextPage != 2 {
		t.Fatalf("after cancel in write: %d stored, state %+v; want page 1 only", got, st)
	}
}

// cancelOnSave cancels the sync's context as its nth page starts being saved.
type cancelOnSave struct {
	Store
	onPage int
	cancel context.CancelFunc
	n      *int
}

func (c cancelOnSave) SaveContactPage(ctx context.Context, tenantID string, cs []store.Contact, update func(*store.ContactSyncState)) (store.UpsertResult, error) {
	*c.n++
	if *c.n == c.onPage {
		c.cancel()
	}
	return c.Store.SaveContactPage(ctx, tenantID, cs, update)
}

func TestMergedContactsRedirect(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, sandbox.Options{Contacts: 600, Seed: 8}, Options{})
	if _, err := e.s.Full(ctx, e.tenant, nil); err != nil {
		t.Fatal(err)
	}
	merged := 0
	for _, c := range e.sb.Contacts(e.tenant) {
		if c.MergedToContactID == "" {
			continue
		}
		merged++
		got, err := e.db.ResolveContact(ctx, e.tenant, strings.ToLower(c.ContactID))
		if err != nil || got.ID != strings.ToLower(c.MergedToContactID) {
			t.Fatalf("resolve merged %s = %s, %v; want %s", c.ContactID, got.ID, err, c.MergedToContactID)
		}
	}
	if merged == 0 {
		t.Fatal("demo data has no merged contacts to test with")
	}

	// A merge made in Xero between syncs arrives with the next incremental.
	var ids []string
	for _, c := range e.sb.Contacts(e.tenant) {
		if c.ContactStatus == "ACTIVE" {
			ids = append(ids, c.ContactID)
		}
	}
	from, into := ids[1], ids[2]
	e.sb.Advance(5 * time.Minute)
	if err := e.sb.UpdateContact(e.tenant, from, func(c *sandbox.Contact) {
		c.ContactStatus, c.MergedToContactID = "ARCHIVED", into
	}); err != nil {
		t.Fatal(err)
	}
	sum, err := e.s.Incremental(ctx, e.tenant, nil)
	if err != nil || sum.Archived != 1 {
		t.Fatalf("incremental after merge: %+v, %v", sum, err)
	}
	got, err := e.db.ResolveContact(ctx, e.tenant, strings.ToLower(from))
	if err != nil || got.ID != strings.ToLower(into) {
		t.Fatalf("resolve newly merged = %s, %v; want %s", got.ID, err, into)
	}
}

func TestPageSizeFallbacks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sandbox.Options{Contacts: 350, Seed: 9}, Options{})
		// A server that refuses pageSize above 100, as the client reports it.
		var asked []int
		var mu sync.Mutex
		e.s.listers = func(string) ContactLister {
			return listerFunc(func(ctx context.Context, o xero.ListOptions) (*xero.ContactPage, error) {
				mu.Lock()
				asked = append(asked, o.PageSize)
				mu.Unlock()
				if o.PageSize > 100 {
					return nil, fmt.Errorf("xero: list contacts: %w", xero.ErrPageSizeRefused)
				}
				return e.x.ListContacts(ctx, o)
			})
		}
		sum, err := e.s.Full(ctx, e.tenant, nil)
		if err != nil {
			t.Fatal(err)
		}
		e.assertExact(t)
		if !slices.Equal(asked, []int{1000, 100, 100, 100, 100}) || sum.Calls != 5 {
			t.Fatalf("page sizes asked %v, %d calls", asked, sum.Calls)
		}
		// The next sync starts at the size the server accepts.
		asked = nil
		if _, err := e.s.Incremental(ctx, e.tenant, nil); err != nil || !slices.Equal(asked, []int{100}) {
			t.Fatalf("incremental asked %v, %v", asked, err)
		}
	})
	t.Run("capped", func(t *testing.T) {
		t.Parallel()
		// The sandbox caps pageSize at 1000, as Xero is said to: follow its pages.
		e := newEnv(t, sandbox.Options{Contacts: 1010, Seed: 10}, Options{PageSize: 5000})
		sum, err := e.s.Full(ctx, e.tenant, nil)
		if err != nil {
			t.Fatal(err)
		}
		e.assertExact(t)
		st, _ := e.db.ContactSyncState(ctx, e.tenant)
		if sum.Calls != 2 || st.PageSize != 1000 {
			t.Fatalf("%d calls, learned page size %d; want 2 and 1000", sum.Calls, st.PageSize)
		}
	})
}

type listerFunc func(ctx context.Context, o xero.ListOptions) (*xero.ContactPage, error)

func (f listerFunc) ListContacts(ctx context.Context, o xero.ListOptions) (*xero.ContactPage, error) {
	return f(ctx, o)
}

func TestNextPage(t *testing.T) {
	t.Parallel()
	contacts := func(n int) []xero.Contact { return make([]xero.Contact, n) }
	for _, tc := range []struct {
		name           string
		p              xero.ContactPage
		page, size     int
		last           bool
		next, nextSize int
	}{
		{"middle page", xero.ContactPage{Contacts: contacts(100), Pagination: pag(2, 100, 5)}, 2, 100, false, 3, 100},
		{"last page", xero.ContactPage{Contacts: contacts(30), Pagination: pag(5, 100, 5)}, 5, 100, true, 6, 100},
		{"empty", xero.ContactPage{Pagination: pag(1, 100, 0)}, 1, 100, true, 2, 100},
		{"capped, says so", xero.ContactPage{Contacts: contacts(1000), Pagination: pag(1, 1000, 3)}, 1, 5000, false, 2, 1000},
		{"fewer than asked while more remain", xero.ContactPage{Contacts: contacts(100), Pagination: pag(1, 0, 30)}, 1, 1000, false, 2, 100},
		{"no pagination, full page", xero.ContactPage{Contacts: contacts(100)}, 1, 100, false, 2, 100},
		{"no pagination, short page is not proof", xero.ContactPage{Contacts: contacts(40)}, 3, 100, false, 4, 100},
		{"no pagination, empty", xero.ContactPage{}, 4, 100, true, 5, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			last, next, size := nextPage(&tc.p, tc.page, tc.size)
			if last != tc.last || next != tc.next || size != tc.nextSize {
				t.Fatalf("nextPage = %v, %d, %d; want %v, %d, %d", last, next, size, tc.last, tc.next, tc.nextSize)
			}
		})
	}
}

func pag(page, size, count int) api.Pagination {
	return api.Pagination{Page: page, PageSize: size, PageCount: count}
}

func TestRenumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ page, from, to, want int }{
		{1, 1000, 100, 1},
		{3, 1000, 100, 21}, // 2000 read: continue at item 2001
		{2, 150, 100, 1},   // 150 read: no page boundary, start again
		{4, 100, 1000, 1},  // 300 read
		{11, 100, 1000, 2}, // 1000 read
		{1, 100, 1000, 1},  // nothing read
		{6, 250, 100, 1},   // 1250 read: no page boundary
	} {
		if got := renumber(tc.page, tc.from, tc.to); got != tc.want {
			t.Errorf("renumber(%d, %d, %d) = %d; want %d", tc.page, tc.from, tc.to, got, tc.want)
		}
	}
}

// A change stamped just before the server time of the last sync (committed as
// that sync read, or by a server whose clocks differ a little) is caught by the
// overlap; without it, it would be missed for good.
func TestIncrementalOverlapCatchesLateCommit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		overlap time.Duration
		changed int
	}{
		{"default overlap", 0, 1},
		{"no overlap misses it", time.Nanosecond, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, sandbox.Options{Contacts: 120, Seed: 15}, Options{Overlap: tc.overlap})
			if _, err := e.s.Full(ctx, e.tenant, nil); err != nil {
				t.Fatal(err)
			}
			id := e.sb.Contacts(e.tenant)[3].ContactID
			e.sb.Advance(-20 * time.Second)
			if err := e.sb.UpdateContact(e.tenant, id, func(c *sandbox.Contact) { c.AccountNumber = "LATE-1" }); err != nil {
				t.Fatal(err)
			}
			e.sb.Advance(40 * time.Second)
			sum, err := e.s.Incremental(ctx, e.tenant, nil)
			if err != nil || sum.Changed != tc.changed {
				t.Fatalf("incremental %+v, %v; want %d changed", sum, err, tc.changed)
			}
		})
	}
}

// An incremental sync writes only its own fields of the sync state, so a full
// sync under way in another process (the CLI's) keeps its resume point.
func TestIncrementalKeepsOtherWritersFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, sandbox.Options{Contacts: 120, Seed: 17}, Options{})
	if _, err := e.s.Full(ctx, e.tenant, nil); err != nil {
		t.Fatal(err)
	}
	// The other process's full sync, between two of its pages.
	e.s.st = interleaved{Store: e.db, between: func() {
		if err := e.db.UpdateContactSyncState(ctx, e.tenant, func(s *store.ContactSyncState) {
			s.FullNextPage, s.FullPageSize, s.FullSeen = 4, 100, 300
		}); err != nil {
			t.Error(err)
		}
	}}
	if _, err := e.s.Incremental(ctx, e.tenant, nil); err != nil {
		t.Fatal(err)
	}
	st, _ := e.db.ContactSyncState(ctx, e.tenant)
	if st.FullNextPage != 4 || st.FullPageSize != 100 || st.FullSeen != 300 || st.LastSyncAt.IsZero() {
		t.Fatalf("state %+v: the other writer's resume point was lost", st)
	}
}

// interleaved runs between just before each page is saved.
type interleaved struct {
	Store
	between func()
}

func (i interleaved) SaveContactPage(ctx context.Context, tenantID string, cs []store.Contact, update func(*store.ContactSyncState)) (store.UpsertResult, error) {
	i.between()
	return i.Store.SaveContactPage(ctx, tenantID, cs, update)
}

// More changes than a page holds: the incremental pages through them, and a
// fault on the way is the client's to retry.
func TestIncrementalSeveralPagesThroughFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, sandbox.Options{Contacts: 400, Seed: 18}, Options{PageSize: 100})
	if _, err := e.s.Full(ctx, e.tenant, nil); err != nil {
		t.Fatal(err)
	}
	e.sb.Advance(10 * time.Minute)
	all := e.sb.Contacts(e.tenant)
	for _, c := range all[:150] {
		if err := e.sb.UpdateContact(e.tenant, c.ContactID, func(c *sandbox.Contact) { c.CompanyNumber = "CHANGED-1" }); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.sb.SetFaults("GET /api.xro/2.0/Contacts=500@n1;GET /api.xro/2.0/Contacts=drop@n3"); err != nil {
		t.Fatal(err)
	}
	sum, err := e.s.Incremental(ctx, e.tenant, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Calls != 2 || sum.Received != 150 || sum.Changed != 150 || sum.Added+sum.Archived != 0 {
		t.Fatalf("incremental %+v; want 150 changed in 2 pages", sum)
	}
	faulted := 0
	for _, r := range e.sb.Requests() {
		if r.Fault != "" {
			faulted++
		}
	}
	if faulted != 2 {
		t.Fatalf("%d faults injected; want 2", faulted)
	}
	e.assertExact(t)
	c, _ := e.db.Contact(ctx, e.tenant, strings.ToLower(all[149].ContactID))
	if c.CompanyNumber != "CHANGED-1" {
		t.Fatalf("company number %q not synced", c.CompanyNumber)
	}
}
