package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"chase.md/backend/search"
)

func sampleContact(id, name string) Contact {
	return Contact{
		ID: id, Name: name, Status: StatusActive, IsCustomer: true,
		UpdatedUTC: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC),
	}
}

func TestUpsertContactsCountsAndRoundTrip(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	full := Contact{
		ID: "c1", Name: "Zoë's Bakery Ltd", FirstName: "Zoë", LastName: "Baker", Email: "zoe@bakery.example",
		AccountNumber: "ACC-001", ContactNumber: "CN1", CompanyNumber: "12345678", Website: "https://bakery.example",
		Status: StatusActive, IsCustomer: true, IsSupplier: true,
		UpdatedUTC: time.Date(2026, 3, 4, 5, 6, 7, 123e6, time.UTC),
		Phones:     []Phone{{Type: "MOBILE", Number: "555 0101", AreaCode: "021", CountryCode: "64"}},
		Addresses:  []Address{{Type: "STREET", Lines: []string{"1 Main St", "Unit 2"}, City: "Wellington", PostalCode: "6011", Country: "NZ"}},
		Persons:    []Person{{FirstName: "Sam", LastName: "Smith", Email: "sam@bakery.example", IncludeInEmails: true}},
		Groups:     []string{"Monthly", "VIP"},
	}
	added, changed, err := d.UpsertContacts(ctx, "t1", []Contact{full, sampleContact("c2", "Acme")})
	if err != nil || added != 2 || changed != 0 {
		t.Fatalf("first upsert = %d added, %d changed, %v; want 2, 0", added, changed, err)
	}
	got, err := d.Contact(ctx, "t1", "c1")
	if err != nil {
		t.Fatal(err)
	}
	if got.SyncedAt.IsZero() {
		t.Error("SyncedAt not set")
	}
	got.SyncedAt = time.Time{}
	if !reflect.DeepEqual(got, full) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, full)
	}

	// Re-sending the same contacts changes nothing; an edit counts as changed.
	added, changed, err = d.UpsertContacts(ctx, "t1", []Contact{full, sampleContact("c2", "Acme")})
	if err != nil || added != 0 || changed != 0 {
		t.Fatalf("same again = %d added, %d changed, %v; want 0, 0", added, changed, err)
	}
	edited := full
	edited.Email = "orders@bakery.example"
	edited.UpdatedUTC = full.UpdatedUTC.Add(time.Minute)
	added, changed, err = d.UpsertContacts(ctx, "t1", []Contact{edited})
	if err != nil || added != 0 || changed != 1 {
		t.Fatalf("edit = %d added, %d changed, %v; want 0, 1", added, changed, err)
	}

	// An older copy arriving after the edit is ignored.
	if _, changed, _ = d.UpsertContacts(ctx, "t1", []Contact{full}); changed != 0 {
		t.Fatalf("stale copy counted as changed")
	}
	if got, _ := d.Contact(ctx, "t1", "c1"); got.Email != edited.Email {
		t.Fatalf("stale copy overwrote the edit: email %q", got.Email)
	}

	// Archiving is counted apart from other changes.
	arch := sampleContact("c2", "Acme")
	arch.Status = StatusArchived
	arch.UpdatedUTC = arch.UpdatedUTC.Add(time.Hour)
	res, err := d.SaveContactPage(ctx, "t1", []Contact{arch}, nil)
	if err != nil || res != (UpsertResult{Archived: 1}) {
		t.Fatalf("archive = %+v, %v; want Archived 1", res, err)
	}

	// A contact twice in one page (paging over a changing list) is stored once.
	twice := sampleContact("c3", "Twice")
	newer := twice
	newer.Name, newer.UpdatedUTC = "Twice Renamed", twice.UpdatedUTC.Add(time.Second)
	res, err = d.SaveContactPage(ctx, "t1", []Contact{twice, twice, newer}, nil)
	if err != nil || res != (UpsertResult{Added: 1, Changed: 1}) {
		t.Fatalf("page with a contact twice = %+v, %v", res, err)
	}
	if got, _ := d.Contact(ctx, "t1", "c3"); got.Name != "Twice Renamed" {
		t.Fatalf("name %q; want the newer copy", got.Name)
	}
	if n, _ := d.CountContacts(ctx, "t1"); n.Total != 3 {
		t.Fatalf("%d contacts; want 3", n.Total)
	}

	// IDs are GUIDs: their case does not matter.
	if got, err := d.Contact(ctx, "t1", "C1"); err != nil || got.ID != "c1" {
		t.Fatalf("lookup by upper-case ID = %q, %v", got.ID, err)
	}
	if _, _, err := d.UpsertContacts(ctx, "t1", []Contact{sampleContact("C3", "Twice Renamed")}); err != nil {
		t.Fatal(err)
	}
	if n, _ := d.CountContacts(ctx, "t1"); n.Total != 3 {
		t.Fatalf("upper-case ID stored as a new contact: %d contacts", n.Total)
	}

	// Contacts are per tenant.
	if _, err := d.Contact(ctx, "t2", "c1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other tenant lookup err = %v; want ErrNotFound", err)
	}
}

func TestSaveContactPageIsAtomicWithSyncState(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	st := ContactSyncState{PageSize: 1000, FullNextPage: 2, FullPageSize: 1000, FullPageCount: 3,
		FullStartedAt: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC), FullSeen: 1}
	if _, err := d.SaveContactPage(ctx, "t1", []Contact{sampleContact("a", "A")}, func(s *ContactSyncState) { *s = st }); err != nil {
		t.Fatal(err)
	}
	// A page with a bad contact in the middle writes neither its contacts nor the state.
	bad := []Contact{sampleContact("b", "B"), {Name: "no id"}, sampleContact("c", "C")}
	if _, err := d.SaveContactPage(ctx, "t1", bad, func(s *ContactSyncState) { s.FullNextPage = 3 }); err == nil {
		t.Fatal("page with a contact without ID was accepted")
	}
	if n, _ := d.CountContacts(ctx, "t1"); n.Total != 1 {
		t.Fatalf("failed page left %d contacts; want 1", n.Total)
	}
	got, err := d.ContactSyncState(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, st) {
		t.Fatalf("state after failed page = %+v; want %+v", got, st)
	}
	// The zero state for a tenant that never synced.
	if z, err := d.ContactSyncState(ctx, "nobody"); err != nil || !reflect.DeepEqual(z, ContactSyncState{}) {
		t.Fatalf("unknown tenant state = %+v, %v", z, err)
	}
	st.FullNextPage, st.Watermark, st.LastError = 0, time.Date(2026, 5, 6, 7, 9, 0, 5, time.UTC), "boom"
	if err := d.SetContactSyncState(ctx, "t1", st); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.ContactSyncState(ctx, "t1"); !reflect.DeepEqual(got, st) {
		t.Fatalf("state = %+v; want %+v", got, st)
	}
	// An update changes only what it sets, on the state as stored.
	if err := d.UpdateContactSyncState(ctx, "t1", func(s *ContactSyncState) { s.LastError = "" }); err != nil {
		t.Fatal(err)
	}
	st.LastError = ""
	if got, _ := d.ContactSyncState(ctx, "t1"); !reflect.DeepEqual(got, st) {
		t.Fatalf("state after update = %+v; want %+v", got, st)
	}
}

func TestResolveContactFollowsMerges(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	a := sampleContact("a", "Old Name Ltd")
	a.MergedToID = "b" // arrives ACTIVE: a merged contact is kept archived regardless
	b := sampleContact("b", "Middle Ltd")
	b.MergedToID = "c"
	b.Status = StatusArchived
	c := sampleContact("c", "New Name Ltd")
	orphan := sampleContact("o", "Orphan")
	orphan.MergedToID = "not-synced-yet"
	loop1, loop2 := sampleContact("l1", "L1"), sampleContact("l2", "L2")
	loop1.MergedToID, loop2.MergedToID = "l2", "l1"
	if _, _, err := d.UpsertContacts(ctx, "t1", []Contact{a, b, c, orphan, loop1, loop2}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ id, want string }{{"a", "c"}, {"b", "c"}, {"c", "c"}, {"o", "o"}} {
		got, err := d.ResolveContact(ctx, "t1", tc.id)
		if err != nil || got.ID != tc.want {
			t.Errorf("ResolveContact(%s) = %s, %v; want %s", tc.id, got.ID, err, tc.want)
		}
	}
	if _, err := d.ResolveContact(ctx, "t1", "l1"); err != nil {
		t.Errorf("merge cycle: %v", err)
	}
	if _, err := d.ResolveContact(ctx, "t1", "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: err = %v; want ErrNotFound", err)
	}
	got, _ := d.Contact(ctx, "t1", "a")
	if got.Status != StatusArchived {
		t.Errorf("merged contact status = %s; want ARCHIVED", got.Status)
	}
	// Merged contacts leave the default list and stay in the archived view.
	if _, n, _ := d.SearchContacts(ctx, "t1", SearchQuery{Text: "old name"}); n != 0 {
		t.Errorf("merged contact listed by default")
	}
	if _, n, _ := d.SearchContacts(ctx, "t1", SearchQuery{Text: "old name", IncludeArchived: true}); n != 1 {
		t.Errorf("merged contact not found with archived included")
	}
}

func TestSearchContacts(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	mk := func(id, name string, f func(*Contact)) Contact {
		c := sampleContact(id, name)
		if f != nil {
			f(&c)
		}
		return c
	}
	cs := []Contact{
		mk("1", "Acme Widgets Ltd", func(c *Contact) { c.Email = "accounts@acme.example"; c.AccountNumber = "ACME-7781" }),
		mk("2", "Bluebird Cafe", func(c *Contact) {
			c.Email = "hello@bluebird.example"
			c.Persons = []Person{{FirstName: "Priya", LastName: "Ramanathan", Email: "priya.r@mail.example"}}
		}),
		mk("3", "Café Zoë", func(c *Contact) { c.ContactNumber = "XN-404"; c.FirstName = "Zoë"; c.LastName = "Ng" }),
		mk("4", "Old Acme Holdings", func(c *Contact) { c.Status = StatusArchived }),
		mk("5", "Acme Supplies", func(c *Contact) { c.IsCustomer = false; c.IsSupplier = true }),
		mk("6", `Quote "Marks" & Co 50%`, nil),
	}
	if _, _, err := d.UpsertContacts(ctx, "t1", cs); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.UpsertContacts(ctx, "t2", []Contact{mk("1", "Acme Elsewhere", nil)}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    SearchQuery
		want []string // IDs in name order
	}{
		{"everything active", SearchQuery{}, []string{"5", "1", "2", "3", "6"}},
		{"middle of name", SearchQuery{Text: "idget"}, []string{"1"}},
		{"case", SearchQuery{Text: "ACME"}, []string{"5", "1"}},
		{"email part", SearchQuery{Text: "bluebird.ex"}, []string{"2"}},
		{"account number part", SearchQuery{Text: "7781"}, []string{"1"}},
		{"contact number", SearchQuery{Text: "xn-40"}, []string{"3"}},
		{"person name", SearchQuery{Text: "ramana"}, []string{"2"}},
		{"person email", SearchQuery{Text: "priya.r@"}, []string{"2"}},
		{"first and last name", SearchQuery{Text: "zoe ng"}, []string{"3"}},
		{"accents ignored", SearchQuery{Text: "cafe"}, []string{"2", "3"}},
		{"accented query", SearchQuery{Text: "Zoë"}, []string{"3"}},
		{"two words, any order", SearchQuery{Text: "ltd acme"}, []string{"1"}},
		{"short word", SearchQuery{Text: "ng"}, []string{"3"}},
		{"short and long", SearchQuery{Text: "ac widg"}, []string{"1"}},
		{"one letter", SearchQuery{Text: "q"}, []string{"6"}},
		{"quotes and percent literal", SearchQuery{Text: `"marks" 50%`}, []string{"6"}},
		{"like wildcard literal", SearchQuery{Text: "a_m"}, nil},
		{"no match", SearchQuery{Text: "zzzz"}, nil},
		{"customers only", SearchQuery{Text: "acme", CustomersOnly: true}, []string{"1"}},
		{"archived included", SearchQuery{Text: "acme", IncludeArchived: true}, []string{"5", "1", "4"}},
		{"paging", SearchQuery{Limit: 2, Offset: 1}, []string{"1", "2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := d.SearchContacts(ctx, "t1", tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Fatalf("ids = %v; want %v", ids, tc.want)
			}
			if tc.q.Limit == 0 && total != len(tc.want) {
				t.Fatalf("total = %d; want %d", total, len(tc.want))
			}
		})
	}
	if _, total, _ := d.SearchContacts(ctx, "t1", SearchQuery{Limit: 2, Offset: 1}); total != 5 {
		t.Errorf("paged total = %d; want 5", total)
	}
	got, _, _ := d.SearchContacts(ctx, "t1", SearchQuery{Text: "7781"})
	if len(got) == 1 && (got[0].Name != "Acme Widgets Ltd" || got[0].Email != "accounts@acme.example" ||
		got[0].AccountNumber != "ACME-7781" || !got[0].IsCustomer || got[0].UpdatedUTC.IsZero()) {
		t.Errorf("summary = %+v", got[0])
	}

	// The index follows edits: the old name no longer matches, the new one does.
	renamed := cs[0]
	renamed.Name = "Zenith Gadgets Ltd"
	renamed.UpdatedUTC = renamed.UpdatedUTC.Add(time.Hour)
	if _, _, err := d.UpsertContacts(ctx, "t1", []Contact{renamed}); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := d.SearchContacts(ctx, "t1", SearchQuery{Text: "widget"}); n != 0 {
		t.Errorf("old name still matches after rename")
	}
	if _, n, _ := d.SearchContacts(ctx, "t1", SearchQuery{Text: "gadget"}); n != 1 {
		t.Errorf("new name does not match after rename")
	}
	n, err := d.CountContacts(ctx, "t1")
	if err != nil || n != (ContactCounts{Total: 6, Active: 5, Archived: 1, Customers: 4}) {
		t.Errorf("counts = %+v, %v", n, err)
	}
}

// demoContacts makes n varied contacts, deterministic for a seed.
func demoContacts(n int, seed uint64) []Contact {
	r := rand.New(rand.NewPCG(seed, 1))
	first := []string{"Olivia", "Liam", "Aroha", "Noah", "Mia", "Wiremu", "Zoë", "Jack", "Priya", "Chen", "Sofia", "Mateo"}
	last := []string{"Smith", "Ngata", "Williams", "Brown", "Wilson", "Taylor", "Singh", "Nguyen", "Kumar", "Müller"}
	kinds := []string{"Ltd", "Trust", "Partners", "Holdings", "Bakery", "Builders", "Dental", "Farms", "Consulting"}
	cs := make([]Contact, n)
	for i := range cs {
		f, l, k := first[r.IntN(len(first))], last[r.IntN(len(last))], kinds[r.IntN(len(kinds))]
		c := Contact{
			ID:   fmt.Sprintf("%08x-0000-4000-8000-%012x", i, r.Uint64()&0xffffffffffff),
			Name: fmt.Sprintf("%s %s %s %d", f, l, k, i), FirstName: f, LastName: l,
			Email:         fmt.Sprintf("%s.%s%d@example.com", f, l, i),
			AccountNumber: fmt.Sprintf("ACC%05d", i), ContactNumber: fmt.Sprintf("CN-%d", i),
			Status: StatusActive, IsCustomer: r.IntN(4) > 0, IsSupplier: r.IntN(5) == 0,
			UpdatedUTC: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
			Phones:     []Phone{{Type: "DEFAULT", Number: fmt.Sprintf("555%04d", i)}},
			Addresses:  []Address{{Type: "STREET", Lines: []string{fmt.Sprintf("%d Queen St", i)}, City: "Auckland"}},
			Persons:    []Person{{FirstName: first[r.IntN(len(first))], LastName: last[r.IntN(len(last))], Email: fmt.Sprintf("p%d@example.org", i)}},
		}
		if r.IntN(10) == 0 {
			c.Status = StatusArchived
		}
		cs[i] = c
	}
	return cs
}

func openBench(b *testing.B) *DB {
	b.Helper()
	d, err := Open(context.Background(), filepath.Join(b.TempDir(), "chase.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	return d
}

// BenchmarkUpsert10k stores 10,000 new contacts in pages of 1,000, one transaction each.
func BenchmarkUpsert10k(b *testing.B) {
	ctx := context.Background()
	cs := demoContacts(10000, 1)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := openBench(b)
		b.StartTimer()
		start := time.Now()
		for p := 0; p < len(cs); p += 1000 {
			if _, err := d.SaveContactPage(ctx, "t1", cs[p:p+1000], nil); err != nil {
				b.Fatal(err)
			}
		}
		total += time.Since(start)
	}
	ms := float64(total.Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(ms, "ms/10k")
	fmt.Printf("bench: store.upsert10k_ms %.1f ms\n", ms)
}

// BenchmarkSearch times SearchContacts, the whole path (catching up with
// SQLite included), at 10,000 and 50,000 contacts: warm, and the first search
// right after another write changed a contact (renamed one time in four).
// Each p99 is taken over at least 10,000 searches. Goals (issue 17): p99 under
// 2 ms at 10k and under 10 ms at 50k, after a write as warm.
func BenchmarkSearch(b *testing.B) {
	for _, c := range []struct {
		n    int
		name string
		goal time.Duration
	}{{10000, "10k", 2 * time.Millisecond}, {50000, "50k", 10 * time.Millisecond}} {
		b.Run(c.name, func(b *testing.B) { benchSearch(b, c.n, c.name, c.goal) })
	}
}

func benchSearch(b *testing.B, n int, label string, goal time.Duration) {
	ctx := context.Background()
	d := openBench(b)
	cs := demoContacts(n, 2)
	for p := 0; p < len(cs); p += 1000 {
		if _, err := d.SaveContactPage(ctx, "t1", cs[p:p+1000], nil); err != nil {
			b.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	const samples = 10000
	queries := make([]SearchQuery, samples)
	for i := range queries {
		c := cs[r.IntN(len(cs))]
		var text string
		switch i % 8 {
		case 0:
			text = c.Name[:1] // first keystroke: broad, worst case
		case 1:
			text = c.Name[:3]
		case 2:
			text = c.LastName
		case 3:
			text = c.AccountNumber[3:]
		case 4:
			text = c.Email[2:9]
		case 5:
			text = c.Persons[0].Email[:4]
		case 6:
			text = c.FirstName + " " + c.LastName[:2]
		case 7:
			text = ""
		}
		queries[i] = SearchQuery{Text: text, Limit: 100, CustomersOnly: i%5 == 0, IncludeArchived: i%7 == 0}
	}
	// The index loaded (the first search after start loads it) and the
	// setup's garbage collected.
	if _, _, err := d.SearchContacts(ctx, "t1", SearchQuery{}); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var warm, afterWrite []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range queries {
			start := time.Now()
			if _, _, err := d.SearchContacts(ctx, "t1", q); err != nil {
				b.Fatal(err)
			}
			warm = append(warm, time.Since(start))
		}
		for k, q := range queries {
			b.StopTimer()
			c := cs[r.IntN(len(cs))]
			c.UpdatedUTC = c.UpdatedUTC.Add(time.Duration(i*samples+k+1) * time.Second)
			c.Email = fmt.Sprintf("changed%d.%s", k, c.Email)
			if k%4 == 0 {
				c.Name = fmt.Sprintf("%s %s renamed %d", c.LastName, c.FirstName, k)
			}
			if _, err := d.SaveContactPage(ctx, "t1", []Contact{c}, nil); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			if _, _, err := d.SearchContacts(ctx, "t1", q); err != nil {
				b.Fatal(err)
			}
			afterWrite = append(afterWrite, time.Since(start))
		}
	}
	// After a sync's page: 100 changed contacts in one write, then a search.
	// Fewer samples (each write takes milliseconds): reported as p50 and max.
	var afterPage []time.Duration
	for k := range 200 {
		b.StopTimer()
		page := make([]Contact, 100)
		for j := range page {
			c := cs[r.IntN(len(cs))]
			c.UpdatedUTC = c.UpdatedUTC.Add(time.Duration(samples*(b.N+1)+k*100+j+1) * time.Second)
			c.Email = fmt.Sprintf("page%d.%s", k, c.Email)
			if j%10 == 0 {
				c.Name = fmt.Sprintf("%s %s page %d", c.LastName, c.FirstName, k)
			}
			page[j] = c
		}
		if _, err := d.SaveContactPage(ctx, "t1", page, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if _, _, err := d.SearchContacts(ctx, "t1", queries[k]); err != nil {
			b.Fatal(err)
		}
		afterPage = append(afterPage, time.Since(start))
	}
	b.StopTimer()
	report := func(kind string, lat []time.Duration) {
		slices.Sort(lat)
		p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
		b.ReportMetric(float64(p99.Microseconds()), kind+"_p99_us")
		fmt.Printf("bench: search.%s.%s.p50 %d us\n", label, kind, p50.Microseconds())
		fmt.Printf("bench: search.%s.%s.p99 %d us (goal < %d us, over %d searches; max %d us%s)\n",
			label, kind, p99.Microseconds(), goal.Microseconds(), len(lat), lat[len(lat)-1].Microseconds(), loadNote())
	}
	report("warm", warm)
	report("after_write", afterWrite)
	slices.Sort(afterPage)
	fmt.Printf("bench: search.%s.after_page.p50 %d us\n", label, afterPage[len(afterPage)/2].Microseconds())
	fmt.Printf("bench: search.%s.after_page.max %d us (goal < %d us; the first search after each of %d writes of 100 changed contacts%s)\n",
		label, afterPage[len(afterPage)-1].Microseconds(), goal.Microseconds(), len(afterPage), loadNote())
}

// Search stays correct while a sync writes: every search sees whole pages (the
// count only grows, by page) and the last one sees every contact.
func TestSearchWhileWriting(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	cs := demoContacts(1000, 5)
	done := make(chan error, 1)
	go func() {
		for p := 0; p < len(cs); p += 100 {
			if _, err := d.SaveContactPage(ctx, "t1", cs[p:p+100], nil); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	last := 0
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		default:
		}
		_, n, err := d.SearchContacts(ctx, "t1", SearchQuery{IncludeArchived: true, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if n < last || n%100 != 0 {
			t.Fatalf("search saw %d contacts after %d: not whole pages", n, last)
		}
		last = n
	}
	if _, n, _ := d.SearchContacts(ctx, "t1", SearchQuery{IncludeArchived: true}); n != len(cs) {
		t.Fatalf("final search sees %d of %d", n, len(cs))
	}
}

// A second process (the CLI's "chase sync" while the app is open) writing the
// same file is seen by the next search.
func TestSearchSeesOtherConnectionsWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chase.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, _, err := a.UpsertContacts(ctx, "t1", []Contact{sampleContact("1", "Alpha Ltd")}); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := a.SearchContacts(ctx, "t1", SearchQuery{Text: "alpha"}); n != 1 {
		t.Fatal("own write not seen")
	}
	renamed := sampleContact("1", "Omega Ltd")
	renamed.UpdatedUTC = renamed.UpdatedUTC.Add(time.Hour)
	if _, _, err := b.UpsertContacts(ctx, "t1", []Contact{renamed, sampleContact("2", "Alpha Two")}); err != nil {
		t.Fatal(err)
	}
	got, n, err := a.SearchContacts(ctx, "t1", SearchQuery{Text: "alpha"})
	if err != nil || n != 1 || got[0].ID != "2" {
		t.Fatalf("after the other connection's write: %+v, %d, %v", got, n, err)
	}
	if _, n, _ := a.SearchContacts(ctx, "t1", SearchQuery{Text: "omega"}); n != 1 {
		t.Fatal("rename by the other connection not seen")
	}
}

// The index's posting lists must find exactly what a plain scan finds.
func TestSearchMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	cs := demoContacts(300, 9)
	if _, _, err := d.UpsertContacts(ctx, "t1", cs); err != nil {
		t.Fatal(err)
	}
	type doc struct {
		id, text     string
		active, cust bool
		sortKey      string
	}
	rows, err := d.db.Query(`SELECT contact_id, search_doc, status = 'ACTIVE', is_customer, sort_key FROM contacts
		WHERE tenant_id = 't1' ORDER BY sort_key, id`)
	if err != nil {
		t.Fatal(err)
	}
	var docs []doc
	for rows.Next() {
		var x doc
		if err := rows.Scan(&x.id, &x.text, &x.active, &x.cust, &x.sortKey); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, x)
	}
	rows.Close()
	r := rand.New(rand.NewPCG(10, 11))
	word := func() string {
		x := docs[r.IntN(len(docs))].text
		runes := []rune(x)
		n := 1 + r.IntN(7)
		at := r.IntN(max(1, len(runes)-n))
		return string(runes[at:min(len(runes), at+n)])
	}
	for i := 0; i < 300; i++ {
		text := word()
		if i%3 == 0 {
			text += " " + word()
		}
		q := SearchQuery{Text: text, CustomersOnly: i%4 == 0, IncludeArchived: i%5 == 0, Limit: 10000}
		got, total, err := d.SearchContacts(ctx, "t1", q)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, x := range docs {
			if (!q.IncludeArchived && !x.active) || (q.CustomersOnly && !x.cust) {
				continue
			}
			if search.Matches(x.text, text) {
				want = append(want, x.id)
			}
		}
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if total != len(want) || !slices.Equal(ids, want) {
			t.Fatalf("query %+v: index found %d %v, scan %d %v", q, total, ids, len(want), want)
		}
	}
}

// loadNote says how busy the machine was, where the OS tells: a p99 taken on
// a machine running several times more work than it has CPUs measures the
// scheduler as much as the code.
func loadNote() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return fmt.Sprintf("; load %s on %d CPUs", f[0], runtime.NumCPU())
}

// ContactsChangedSince gives exactly the contacts a later write added or
// changed, so an index kept in memory reads only those.
func TestContactsChangedSince(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	if rev, err := d.ContactsRev(ctx, "t1"); err != nil || rev != 0 {
		t.Fatalf("rev before any contact = %d, %v", rev, err)
	}
	if _, _, err := d.UpsertContacts(ctx, "t1", []Contact{sampleContact("1", "Alpha Ltd"), sampleContact("2", "Beta Ltd")}); err != nil {
		t.Fatal(err)
	}
	r1, _ := d.ContactsRev(ctx, "t1")
	changed := sampleContact("2", "Beta Holdings")
	changed.UpdatedUTC = changed.UpdatedUTC.Add(time.Hour)
	if _, _, err := d.UpsertContacts(ctx, "t1", []Contact{sampleContact("1", "Alpha Ltd"), changed, sampleContact("3", "Gamma")}); err != nil {
		t.Fatal(err)
	}
	r2, _ := d.ContactsRev(ctx, "t1")
	names := func(since int64) []string {
		var out []string
		if err := d.ContactsChangedSince(ctx, "t1", since, func(c Contact) error { out = append(out, c.Name); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	if got := names(r1); r2 <= r1 || !slices.Equal(got, []string{"Beta Holdings", "Gamma"}) {
		t.Fatalf("changed since %d (now %d): %v, want the renamed and the new contact", r1, r2, got)
	}
	if got := names(-1); len(got) != 3 {
		t.Fatalf("all: %v", got)
	}
	if got := names(r2); len(got) != 0 {
		t.Fatalf("nothing changed since %d, got %v", r2, got)
	}
}
