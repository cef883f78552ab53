// Package syncer keeps the local store's copy of each tenant's Xero contacts
// current: full syncs that page through every contact and resume from the last
// page written, incremental syncs that ask only for what changed since the
// server's own time of the last sync, and a Scheduler that runs them.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"chase.md/backend/rest"
	"chase.md/backend/store"
	"chase.md/backend/xero"
)

// ContactLister lists one tenant's contacts, a page at a time (*xero.Client).
type ContactLister interface {
	ListContacts(ctx context.Context, o xero.ListOptions) (*xero.ContactPage, error)
}

// Listers gives the lister for a tenant; xero clients are made per tenant.
type Listers func(tenantID string) ContactLister

// Store is what the syncer needs of *store.DB.
type Store interface {
	ContactSyncState(ctx context.Context, tenantID string) (store.ContactSyncState, error)
	UpdateContactSyncState(ctx context.Context, tenantID string, update func(*store.ContactSyncState)) error
	SaveContactPage(ctx context.Context, tenantID string, cs []store.Contact, update func(*store.ContactSyncState)) (store.UpsertResult, error)
}

// Options tune a Syncer. The zero value is right for Xero.
type Options struct {
	// PageSize is the page size tried first while the server's limit is unknown
	// (default 1000, said to be Xero's maximum). A refusal drops it to 100; a
	// server that silently sends smaller pages is followed at the size it sends.
	PageSize int
	// Overlap is subtracted from the last server time before asking what changed
	// since, so a change committed just as the last sync read cannot fall between
	// two syncs (default 1 minute). Re-fetched unchanged contacts cost nothing.
	Overlap time.Duration
	// Order pages by a key that an edit cannot change, so no contact moves across
	// a page boundary while paging (default "ContactID ASC").
	Order string
	// Now is the local clock, for LastSyncAt and durations (default time.Now).
	Now func() time.Time
}

// fallbackPageSize is Xero's default page size, which every server accepts.
const fallbackPageSize = 100

// Progress reports a sync's progress after each page written.
type Progress struct {
	Page      int `json:"page"`
	PageCount int `json:"pageCount"` // 0 when the server did not say
	Contacts  int `json:"contacts"`  // received so far in this sync
}

// Summary is what a sync did.
type Summary struct {
	Full     bool          `json:"full"`
	Resumed  bool          `json:"resumed"` // a full sync that continued an interrupted one
	Added    int           `json:"added"`
	Changed  int           `json:"changed"`
	Archived int           `json:"archived"` // newly archived (or merged) contacts
	Received int           `json:"received"` // contacts the server sent
	Calls    int           `json:"calls"`    // ListContacts calls, failed ones included
	Duration time.Duration `json:"duration"`
}

func (s *Summary) add(r store.UpsertResult) {
	s.Added += r.Added
	s.Changed += r.Changed
	s.Archived += r.Archived
}

// Syncer syncs contacts from Xero into the store. Syncs of one tenant run one at
// a time; different tenants may sync concurrently.
type Syncer struct {
	st      Store
	listers Listers
	opts    Options

	mu    sync.Mutex
	locks map[string]chan struct{} // per tenant, held while a sync of it runs
}

// New makes a Syncer.
func New(st Store, listers Listers, opts Options) *Syncer {
	if opts.PageSize <= 0 {
		opts.PageSize = 1000
	}
	if opts.Overlap <= 0 {
		opts.Overlap = time.Minute
	}
	if opts.Order == "" {
		opts.Order = "ContactID ASC"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Syncer{st: st, listers: listers, opts: opts, locks: map[string]chan struct{}{}}
}

// lock waits (cancellably) until no other sync of tenantID runs.
func (s *Syncer) lock(ctx context.Context, tenantID string) (unlock func(), err error) {
	s.mu.Lock()
	l, ok := s.locks[tenantID]
	if !ok {
		l = make(chan struct{}, 1)
		s.locks[tenantID] = l
	}
	s.mu.Unlock()
	select {
	case l <- struct{}{}:
		return func() { <-l }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Full fetches every contact of tenantID, archived ones included, and stores
// each page in its own transaction together with the point to resume from. If
// an earlier full sync was interrupted, it continues from its last stored page.
// Contacts are never deleted: Xero archives or merges them instead, and archived
// ones come back in every full sync.
func (s *Syncer) Full(ctx context.Context, tenantID string, progress func(Progress)) (Summary, error) {
	unlock, err := s.lock(ctx, tenantID)
	if err != nil {
		return Summary{Full: true}, err
	}
	defer unlock()
	start := s.opts.Now()
	sum, err := s.full(ctx, tenantID, progress)
	sum.Duration = s.opts.Now().Sub(start)
	if err != nil {
		s.noteError(tenantID, err)
		return sum, fmt.Errorf("syncer: full sync of %s: %w", tenantID, err)
	}
	return sum, nil
}

func (s *Syncer) full(ctx context.Context, tenantID string, progress func(Progress)) (Summary, error) {
	sum := Summary{Full: true}
	st, err := s.st.ContactSyncState(ctx, tenantID)
	if err != nil {
		return sum, err
	}
	lister := s.listers(tenantID)
	size := s.opts.PageSize
	if st.PageSize > 0 {
		size = st.PageSize
	}
	page := 1
	if st.FullNextPage > 0 && st.FullPageSize > 0 {
		page, size, sum.Resumed = st.FullNextPage, st.FullPageSize, true
	} else {
		st.FullStartedAt, st.FullSeen, st.FullPageCount = time.Time{}, 0, 0
	}
	for {
		p, err := lister.ListContacts(ctx, xero.ListOptions{Page: page, PageSize: size, IncludeArchived: true, Order: s.opts.Order})
		sum.Calls++
		if errors.Is(err, xero.ErrPageSizeRefused) && size > fallbackPageSize {
			page, size = renumber(page, size, fallbackPageSize), fallbackPageSize
			st.PageSize = size
			continue
		}
		if err != nil {
			return sum, err // the client's error names the page
		}
		if st.FullStartedAt.IsZero() {
			// The watermark of this sync: any change after it is left to the next
			// incremental, which asks from here, so a page read late is never a gap.
			st.FullStartedAt = serverTime(p, s.opts.Now)
		}
		last, next, nextSize := nextPage(p, page, size)
		if st.PageSize == 0 || nextSize < size {
			st.PageSize = nextSize
		}
		sum.Received += len(p.Contacts)
		st.FullSeen += len(p.Contacts)
		st.FullPageCount = p.Pagination.PageCount
		if last {
			st.FullNextPage, st.FullPageSize = 0, 0
			st.Watermark, st.LastFullAt, st.FullStartedAt = st.FullStartedAt, st.FullStartedAt, time.Time{}
			st.LastSyncAt, st.LastError = s.opts.Now().UTC(), ""
		} else {
			st.FullNextPage, st.FullPageSize = next, nextSize
		}
		// Only the full sync's own fields (and, at the end, the watermark) are
		// written: what another writer set meanwhile stays.
		done := st
		r, err := s.st.SaveContactPage(ctx, tenantID, toStore(p.Contacts), func(cur *store.ContactSyncState) {
			cur.PageSize = done.PageSize
			cur.FullNextPage, cur.FullPageSize, cur.FullPageCount = done.FullNextPage, done.FullPageSize, done.FullPageCount
			cur.FullStartedAt, cur.FullSeen = done.FullStartedAt, done.FullSeen
			if last {
				cur.Watermark, cur.LastFullAt, cur.LastSyncAt, cur.LastError = done.Watermark, done.LastFullAt, done.LastSyncAt, ""
			}
		})
		if err != nil {
			return sum, fmt.Errorf("save page %d: %w", page, err)
		}
		sum.add(r)
		if progress != nil {
			progress(Progress{Page: page, PageCount: p.Pagination.PageCount, Contacts: sum.Received})
		}
		if last {
			return sum, nil
		}
		page, size = next, nextSize
	}
}

// Incremental fetches the contacts changed (archived included) since the server
// time of the last completed sync, less Options.Overlap. With no change it costs
// one call. A tenant never synced gets a full sync instead.
func (s *Syncer) Incremental(ctx context.Context, tenantID string, progress func(Progress)) (Summary, error) {
	st, err := s.st.ContactSyncState(ctx, tenantID)
	if err != nil {
		return Summary{}, fmt.Errorf("syncer: incremental sync of %s: %w", tenantID, err)
	}
	if st.Watermark.IsZero() {
		return s.Full(ctx, tenantID, progress)
	}
	unlock, err := s.lock(ctx, tenantID)
	if err != nil {
		return Summary{}, err
	}
	defer unlock()
	start := s.opts.Now()
	sum, err := s.incremental(ctx, tenantID, progress)
	sum.Duration = s.opts.Now().Sub(start)
	if err != nil {
		s.noteError(tenantID, err)
		return sum, fmt.Errorf("syncer: incremental sync of %s: %w", tenantID, err)
	}
	return sum, nil
}

func (s *Syncer) incremental(ctx context.Context, tenantID string, progress func(Progress)) (Summary, error) {
	var sum Summary
	st, err := s.st.ContactSyncState(ctx, tenantID) // again, under the lock
	if err != nil {
		return sum, err
	}
	since := st.Watermark.Add(-s.opts.Overlap)
	lister := s.listers(tenantID)
	size := s.opts.PageSize
	if st.PageSize > 0 {
		size = st.PageSize
	}
	var mark time.Time
	for page := 1; ; {
		p, err := lister.ListContacts(ctx, xero.ListOptions{Page: page, PageSize: size, ModifiedSince: since,
			IncludeArchived: true, Order: s.opts.Order})
		sum.Calls++
		if errors.Is(err, xero.ErrPageSizeRefused) && size > fallbackPageSize {
			page, size = renumber(page, size, fallbackPageSize), fallbackPageSize
			st.PageSize = size
			continue
		}
		if err != nil {
			return sum, err // the client's error names the page
		}
		if mark.IsZero() {
			mark = serverTime(p, s.opts.Now)
		}
		last, next, nextSize := nextPage(p, page, size)
		sum.Received += len(p.Contacts)
		// The watermark moves only with the last page: an incremental cut short
		// is simply asked again, and re-applying its first pages changes nothing.
		var update func(*store.ContactSyncState)
		if last {
			if nextSize < st.PageSize || st.PageSize == 0 {
				st.PageSize = nextSize
			}
			pageSize, now := st.PageSize, s.opts.Now().UTC()
			update = func(cur *store.ContactSyncState) {
				cur.Watermark, cur.LastSyncAt, cur.LastError, cur.PageSize = mark, now, "", pageSize
			}
		}
		r, err := s.st.SaveContactPage(ctx, tenantID, toStore(p.Contacts), update)
		if err != nil {
			return sum, fmt.Errorf("save page %d: %w", page, err)
		}
		sum.add(r)
		if progress != nil {
			progress(Progress{Page: page, PageCount: p.Pagination.PageCount, Contacts: sum.Received})
		}
		if last {
			return sum, nil
		}
		page, size = next, nextSize
	}
}

// nextPage decides, from the page just read, whether it was the last one, and
// which page and size to ask for next. Page numbers are always the server's:
// page p of size n holds items (p-1)*n .. p*n-1 in the server's own page size.
// A server that used a smaller page than asked for (Xero caps, or a proxy) is
// asked at exactly that size from then on, so the numbering means the same to
// both sides whichever way it counts.
func nextPage(p *xero.ContactPage, page, size int) (last bool, next, nextSize int) {
	nextSize = size
	if eff := p.Pagination.PageSize; eff > 0 && eff < size {
		nextSize = eff
	} else if pc := p.Pagination.PageCount; pc > page && len(p.Contacts) > 0 && len(p.Contacts) < size {
		nextSize = len(p.Contacts) // fewer than asked while more pages remain
	}
	switch {
	case len(p.Contacts) == 0:
		last = true
	case p.Pagination.PageCount > 0:
		last = page >= p.Pagination.PageCount
	default:
		// No pagination block: only an empty page proves the end, since a short
		// page may be a silent cap.
		last = false
	}
	return last, page + 1, nextSize
}

// renumber maps "resume at page" from one page size to another: the same first
// unread item if it falls on a page boundary, otherwise page 1 again (storing a
// contact twice is harmless; skipping one is not).
func renumber(page, from, to int) int {
	done := (page - 1) * from
	if done%to != 0 {
		return 1
	}
	return done/to + 1
}

// serverTime is the server's clock for a page, or the local one if it sent none.
func serverTime(p *xero.ContactPage, now func() time.Time) time.Time {
	if !p.ServerTime.IsZero() {
		return p.ServerTime.UTC()
	}
	return now().UTC()
}

// noteError records a failed sync's error for the UI, best effort: the store
// may be what failed. Cancellation is not an error worth showing.
func (s *Syncer) noteError(tenantID string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.st.UpdateContactSyncState(ctx, tenantID, func(st *store.ContactSyncState) { st.LastError = Describe(err) })
}

// Describe is how a sync that err stopped is told in its status and events:
// in plain words when Xero's daily budget stopped it (nothing is wrong, and
// the sync carries on by itself), otherwise the error itself.
func Describe(err error) string {
	var day *rest.DailyLimitError
	switch {
	case errors.Is(err, rest.ErrDailyBudgetReserved):
		return "Contact sync paused for now: today's Xero API budget is nearly used up, and what is left is kept for uploads. " +
			"It carries on by itself as the budget comes back; Sync now runs it at once."
	case errors.As(err, &day):
		return fmt.Sprintf("Contact sync paused: Xero's daily API limit for this organisation is reached. It carries on by itself after %s.",
			day.Reset.Local().Format("15:04 on 2 January"))
	}
	return err.Error()
}

// toStore converts Xero's contacts to the store's, dropping the empty phones and
// addresses Xero always sends.
func toStore(cs []xero.Contact) []store.Contact {
	out := make([]store.Contact, 0, len(cs))
	for _, c := range cs {
		sc := store.Contact{
			ID: strings.ToLower(c.ContactID), Name: c.Name, FirstName: c.FirstName, LastName: c.LastName,
			Email: c.EmailAddress, AccountNumber: c.AccountNumber, ContactNumber: c.ContactNumber,
			CompanyNumber: c.CompanyNumber, Website: c.Website, Status: strings.ToUpper(c.ContactStatus),
			IsCustomer: c.IsCustomer, IsSupplier: c.IsSupplier, MergedToID: strings.ToLower(c.MergedToContactID),
			UpdatedUTC: c.Updated,
		}
		for _, ph := range c.Phones {
			if ph.PhoneNumber == "" {
				continue
			}
			sc.Phones = append(sc.Phones, store.Phone{Type: ph.PhoneType, Number: ph.PhoneNumber,
				AreaCode: ph.PhoneAreaCode, CountryCode: ph.PhoneCountryCode})
		}
		for _, a := range c.Addresses {
			ad := store.Address{Type: a.AddressType, City: a.City, Region: a.Region, PostalCode: a.PostalCode,
				Country: a.Country, AttentionTo: a.AttentionTo}
			for _, l := range []string{a.AddressLine1, a.AddressLine2, a.AddressLine3, a.AddressLine4} {
				if l != "" {
					ad.Lines = append(ad.Lines, l)
				}
			}
			if len(ad.Lines) == 0 && ad.City == "" && ad.Region == "" && ad.PostalCode == "" && ad.Country == "" {
				continue
			}
			sc.Addresses = append(sc.Addresses, ad)
		}
		for _, p := range c.ContactPersons {
			sc.Persons = append(sc.Persons, store.Person{FirstName: p.FirstName, LastName: p.LastName,
				Email: p.EmailAddress, IncludeInEmails: p.IncludeInEmails})
		}
		for _, g := range c.ContactGroups {
			if g.Name != "" {
				sc.Groups = append(sc.Groups, g.Name)
			}
		}
		out = append(out, sc)
	}
	return out
}
