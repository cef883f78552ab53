package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"chase.md/backend/search"
)

// Contact statuses as Xero sends them.
const (
	StatusActive      = "ACTIVE"
	StatusArchived    = "ARCHIVED"
	StatusGDPRRequest = "GDPRREQUEST"
)

// Contact is a Xero contact as stored locally. Xero's wire format is parsed by the
// syncer; the store never sees MS-JSON dates.
type Contact struct {
	ID            string    `json:"id"` // Xero's ContactID, stored lower-case
	Name          string    `json:"name"`
	FirstName     string    `json:"firstName,omitempty"`
	LastName      string    `json:"lastName,omitempty"`
	Email         string    `json:"email,omitempty"`
	AccountNumber string    `json:"accountNumber,omitempty"`
	ContactNumber string    `json:"contactNumber,omitempty"`
	CompanyNumber string    `json:"companyNumber,omitempty"`
	Website       string    `json:"website,omitempty"`
	Status        string    `json:"status"` // StatusActive, StatusArchived, StatusGDPRRequest
	IsCustomer    bool      `json:"isCustomer"`
	IsSupplier    bool      `json:"isSupplier"`
	MergedToID    string    `json:"mergedToId,omitempty"` // set when Xero merged this contact into another
	UpdatedUTC    time.Time `json:"updatedUtc"`
	Phones        []Phone   `json:"phones,omitempty"`
	Addresses     []Address `json:"addresses,omitempty"`
	Persons       []Person  `json:"persons,omitempty"`
	Groups        []string  `json:"groups,omitempty"`
	SyncedAt      time.Time `json:"syncedAt"` // set by the store: when a sync last saw this contact
}

// Phone is one of a contact's numbers.
type Phone struct {
	Type        string `json:"type"` // DEFAULT, DDI, MOBILE, FAX
	Number      string `json:"number"`
	AreaCode    string `json:"areaCode,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
}

// Address is a STREET or POBOX address.
type Address struct {
	Type        string   `json:"type"`
	Lines       []string `json:"lines,omitempty"`
	City        string   `json:"city,omitempty"`
	Region      string   `json:"region,omitempty"`
	PostalCode  string   `json:"postalCode,omitempty"`
	Country     string   `json:"country,omitempty"`
	AttentionTo string   `json:"attentionTo,omitempty"`
}

// Person is one of a contact's additional contact persons.
type Person struct {
	FirstName       string `json:"firstName,omitempty"`
	LastName        string `json:"lastName,omitempty"`
	Email           string `json:"email,omitempty"`
	IncludeInEmails bool   `json:"includeInEmails,omitempty"`
}

// ContactSummary is one row of the client list.
type ContactSummary struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Email         string    `json:"email,omitempty"`
	AccountNumber string    `json:"accountNumber,omitempty"`
	ContactNumber string    `json:"contactNumber,omitempty"`
	Status        string    `json:"status"`
	IsCustomer    bool      `json:"isCustomer"`
	IsSupplier    bool      `json:"isSupplier"`
	MergedToID    string    `json:"mergedToId,omitempty"`
	UpdatedUTC    time.Time `json:"updatedUtc"`
}

// SearchQuery selects contacts for the client list.
type SearchQuery struct {
	// Text matches any part of the name, first/last name, email, account, contact or
	// company number, or a contact person's name or email. Every word must match
	// (case and accents ignored). Empty lists everything.
	Text            string
	CustomersOnly   bool
	IncludeArchived bool // also archived, merged and GDPR-erased contacts
	Limit           int  // default 100, at most 10,000
	Offset          int
}

// UpsertResult counts what a batch of contacts did to the store.
type UpsertResult struct {
	Added    int // not seen before
	Changed  int // known, content differs, and not newly archived
	Archived int // known, and now archived where it was not before
}

// ContactCounts counts a tenant's stored contacts.
type ContactCounts struct {
	Total     int `json:"total"`
	Active    int `json:"active"`
	Archived  int `json:"archived"` // everything not active: archived, merged, GDPR-erased
	Customers int `json:"customers"`
}

// ContactSyncState is where a tenant's contact sync stands. Times other than
// LastSyncAt are the server's own clock.
type ContactSyncState struct {
	PageSize   int       `json:"pageSize"`   // largest page size the server honoured; 0 = unknown
	Watermark  time.Time `json:"watermark"`  // next incremental asks for changes since this (less an overlap)
	LastFullAt time.Time `json:"lastFullAt"` // server time the last completed full sync started
	LastSyncAt time.Time `json:"lastSyncAt"` // local time the last sync of any kind completed

	// A full sync under way (FullNextPage > 0) resumes at FullNextPage, numbered in
	// pages of FullPageSize.
	FullNextPage  int       `json:"fullNextPage"`
	FullPageSize  int       `json:"fullPageSize"`
	FullPageCount int       `json:"fullPageCount"`
	FullStartedAt time.Time `json:"fullStartedAt"` // server time of its first page
	FullSeen      int       `json:"fullSeen"`

	LastError string `json:"lastError,omitempty"`
}

// UpsertContacts stores a batch of contacts for tenantID in one transaction.
// It is SaveContactPage without a sync state; changed includes newly archived.
func (d *DB) UpsertContacts(ctx context.Context, tenantID string, cs []Contact) (added, changed int, err error) {
	r, err := d.SaveContactPage(ctx, tenantID, cs, nil)
	return r.Added, r.Changed + r.Archived, err
}

// SaveContactPage stores a page of contacts and, if update is not nil, applies
// update to the tenant's sync state as it stands in the same transaction: a sync
// interrupted anywhere resumes from the last page that was wholly written, and a
// sync in another process (the CLI's while the app runs) changes only the fields
// its own update sets. A contact re-sent unchanged only has its
// SyncedAt renewed; one older than the stored copy is ignored. A merged contact is
// stored archived whatever status it came with.
func (d *DB) SaveContactPage(ctx context.Context, tenantID string, cs []Contact, update func(*ContactSyncState)) (UpsertResult, error) {
	var (
		res     UpsertResult
		rev     int64 // the rev this write takes, if it changes anything
		changed []search.Doc[ContactSummary]
	)
	now := time.Now().UTC()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		rev, changed = 0, changed[:0]
		known, err := existingContacts(ctx, tx, tenantID, cs)
		if err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO contacts (tenant_id, contact_id, name, sort_key, first_name, last_name, email,
			account_number, contact_number, company_number, website, status, is_customer, is_supplier, merged_to_contact_id,
			updated_utc, phones, addresses, persons, groups, search_doc, content_hash, synced_at, rev)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		upd, err := tx.PrepareContext(ctx, `UPDATE contacts SET name=?, sort_key=?, first_name=?, last_name=?, email=?,
			account_number=?, contact_number=?, company_number=?, website=?, status=?, is_customer=?, is_supplier=?,
			merged_to_contact_id=?, updated_utc=?, phones=?, addresses=?, persons=?, groups=?, search_doc=?, content_hash=?,
			synced_at=?, rev=? WHERE id=?`)
		if err != nil {
			return err
		}
		defer upd.Close()
		seen, err := tx.PrepareContext(ctx, `UPDATE contacts SET synced_at = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer seen.Close()

		// The first change in this transaction takes a new rev for all its rows, so
		// the search index can reload just what changed.
		bump := func() (int64, error) {
			if rev == 0 {
				err := tx.QueryRowContext(ctx, `INSERT INTO contact_revs (tenant_id, rev) VALUES (?, 1)
					ON CONFLICT(tenant_id) DO UPDATE SET rev = rev + 1 RETURNING rev`, tenantID).Scan(&rev)
				if err != nil {
					return 0, fmt.Errorf("bump contacts rev: %w", err)
				}
			}
			return rev, nil
		}
		syncedAt := formatTime(now)
		for i := range cs {
			c := cs[i]
			// Xero's IDs are GUIDs, whose case means nothing.
			c.ID, c.MergedToID = strings.ToLower(c.ID), strings.ToLower(c.MergedToID)
			if c.ID == "" {
				return fmt.Errorf("contact %d of %d has no ID", i+1, len(cs))
			}
			if c.MergedToID != "" {
				c.Status = StatusArchived
			}
			if c.Status == "" {
				c.Status = StatusActive
			}
			r, err := encodeContact(c)
			if err != nil {
				return err
			}
			old, found := known[c.ID]
			if found && (old.hash == r.hash || isStale(c.UpdatedUTC, old.updated)) {
				if _, err := seen.ExecContext(ctx, syncedAt, old.id); err != nil {
					return fmt.Errorf("mark contact %s seen: %w", c.ID, err)
				}
				continue
			}
			rev, err := bump()
			if err != nil {
				return err
			}
			if !found {
				ir, err := ins.ExecContext(ctx, tenantID, c.ID, c.Name, r.sortKey, c.FirstName, c.LastName, c.Email,
					c.AccountNumber, c.ContactNumber, c.CompanyNumber, c.Website, c.Status, c.IsCustomer, c.IsSupplier,
					c.MergedToID, formatTime(c.UpdatedUTC), r.phones, r.addresses, r.persons, r.groups, r.searchDoc,
					r.hash, syncedAt, rev)
				if err != nil {
					return fmt.Errorf("insert contact %s: %w", c.ID, err)
				}
				id, err := ir.LastInsertId()
				if err != nil {
					return fmt.Errorf("insert contact %s: %w", c.ID, err)
				}
				known[c.ID] = storedContact{id: id, hash: r.hash, status: c.Status, updated: formatTime(c.UpdatedUTC)}
				changed = append(changed, searchDoc(id, c, r))
				res.Added++
				continue
			}
			if _, err := upd.ExecContext(ctx, c.Name, r.sortKey, c.FirstName, c.LastName, c.Email,
				c.AccountNumber, c.ContactNumber, c.CompanyNumber, c.Website, c.Status, c.IsCustomer, c.IsSupplier,
				c.MergedToID, formatTime(c.UpdatedUTC), r.phones, r.addresses, r.persons, r.groups, r.searchDoc,
				r.hash, syncedAt, rev, old.id); err != nil {
				return fmt.Errorf("update contact %s: %w", c.ID, err)
			}
			known[c.ID] = storedContact{id: old.id, hash: r.hash, status: c.Status, updated: formatTime(c.UpdatedUTC)}
			changed = append(changed, searchDoc(old.id, c, r))
			if old.status != StatusArchived && c.Status == StatusArchived {
				res.Archived++
			} else {
				res.Changed++
			}
		}
		if update != nil {
			return updateSyncState(ctx, tx, tenantID, update)
		}
		return nil
	})
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: save %d contacts: %w", len(cs), err)
	}
	if rev > 0 {
		if idx, ok := d.searchIndexes.Load(tenantID); ok {
			idx.(*contactIndex).applyOwn(rev, changed)
		}
	}
	return res, nil
}

// storedContact is what an upsert needs to know of a contact already stored.
type storedContact struct {
	id                    int64
	hash, status, updated string
}

// existingContacts reads the stored state of the contacts in cs, a few hundred
// IDs a query rather than one query each.
func existingContacts(ctx context.Context, tx *sql.Tx, tenantID string, cs []Contact) (map[string]storedContact, error) {
	known := make(map[string]storedContact, len(cs))
	const chunk = 500
	for lo := 0; lo < len(cs); lo += chunk {
		part := cs[lo:min(lo+chunk, len(cs))]
		args := make([]any, 0, len(part)+1)
		args = append(args, tenantID)
		for _, c := range part {
			args = append(args, strings.ToLower(c.ID))
		}
		rows, err := tx.QueryContext(ctx, `SELECT contact_id, id, content_hash, status, updated_utc FROM contacts
			WHERE tenant_id = ? AND contact_id IN (?`+strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("read stored contacts: %w", err)
		}
		for rows.Next() {
			var (
				id string
				s  storedContact
			)
			if err := rows.Scan(&id, &s.id, &s.hash, &s.status, &s.updated); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read stored contacts: %w", err)
			}
			known[id] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read stored contacts: %w", err)
		}
	}
	return known, nil
}

// isStale reports whether an incoming copy is older than the stored one, as when a
// page fetched before an edit lands after it. Unknown times are never stale.
func isStale(incoming time.Time, stored string) bool {
	if incoming.IsZero() || stored == "" {
		return false
	}
	old, err := time.Parse(time.RFC3339Nano, stored)
	return err == nil && incoming.Before(old)
}

type encoded struct {
	sortKey, searchDoc, hash           string
	phones, addresses, persons, groups string
}

func encodeContact(c Contact) (encoded, error) {
	var e encoded
	for _, f := range []struct {
		dst *string
		v   any
	}{{&e.phones, c.Phones}, {&e.addresses, c.Addresses}, {&e.persons, c.Persons}, {&e.groups, c.Groups}} {
		b, err := json.Marshal(f.v)
		if err != nil {
			return e, fmt.Errorf("encode contact %s: %w", c.ID, err)
		}
		if string(b) == "null" {
			b = []byte("[]")
		}
		*f.dst = string(b)
	}
	// The hash covers every stored field but SyncedAt, each ended by a NUL.
	h := sha256.New()
	for _, f := range []string{c.ID, c.Name, c.FirstName, c.LastName, c.Email, c.AccountNumber, c.ContactNumber,
		c.CompanyNumber, c.Website, c.Status, strconv.FormatBool(c.IsCustomer), strconv.FormatBool(c.IsSupplier),
		c.MergedToID, formatTime(c.UpdatedUTC), e.phones, e.addresses, e.persons, e.groups} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	e.hash = hex.EncodeToString(h.Sum(nil)[:16])
	e.sortKey = search.Fold(c.Name)
	e.searchDoc = searchText(c)
	return e, nil
}

// searchText is the folded text search matches, one field a line so that no match
// spans two fields.
func searchText(c Contact) string {
	parts := []string{c.Name, strings.TrimSpace(c.FirstName + " " + c.LastName), c.Email,
		c.AccountNumber, c.ContactNumber, c.CompanyNumber}
	for _, p := range c.Persons {
		parts = append(parts, strings.TrimSpace(p.FirstName+" "+p.LastName), p.Email)
	}
	var b strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	return search.Fold(b.String())
}

const contactCols = `contact_id, name, first_name, last_name, email, account_number, contact_number, company_number,
	website, status, is_customer, is_supplier, merged_to_contact_id, updated_utc, phones, addresses, persons, groups, synced_at`

// Contact returns the stored contact id of tenantID, or ErrNotFound. It does not
// follow merges: see ResolveContact.
func (d *DB) Contact(ctx context.Context, tenantID, id string) (Contact, error) {
	c, err := scanContact(d.db.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE tenant_id = ? AND contact_id = ?`,
		tenantID, strings.ToLower(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, fmt.Errorf("store: contact %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Contact{}, fmt.Errorf("store: contact %s: %w", id, err)
	}
	return c, nil
}

// maxMergeHops bounds ResolveContact against a merge cycle in bad data.
const maxMergeHops = 8

// ResolveContact returns the contact that id now stands for: itself, or, if Xero
// merged it, the contact it was merged into (following chains of merges). If the
// target is not stored yet, it returns the last contact of the chain it has.
func (d *DB) ResolveContact(ctx context.Context, tenantID, id string) (Contact, error) {
	c, err := d.Contact(ctx, tenantID, id)
	if err != nil {
		return Contact{}, err
	}
	for hop := 0; c.MergedToID != "" && c.MergedToID != c.ID && hop < maxMergeHops; hop++ {
		next, err := d.Contact(ctx, tenantID, c.MergedToID)
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil {
			return Contact{}, err
		}
		c = next
	}
	return c, nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanContact(r rowScanner) (Contact, error) {
	var (
		c                                  Contact
		updated, synced                    string
		phones, addresses, persons, groups string
	)
	if err := r.Scan(&c.ID, &c.Name, &c.FirstName, &c.LastName, &c.Email, &c.AccountNumber, &c.ContactNumber,
		&c.CompanyNumber, &c.Website, &c.Status, &c.IsCustomer, &c.IsSupplier, &c.MergedToID, &updated,
		&phones, &addresses, &persons, &groups, &synced); err != nil {
		return Contact{}, err
	}
	c.UpdatedUTC = parseTime(updated)
	c.SyncedAt = parseTime(synced)
	for _, f := range []struct {
		src string
		dst any
	}{{phones, &c.Phones}, {addresses, &c.Addresses}, {persons, &c.Persons}, {groups, &c.Groups}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return Contact{}, fmt.Errorf("decode contact %s: %w", c.ID, err)
		}
	}
	return c, nil
}

// SearchContacts returns one page of tenantID's contacts matching q, ordered by
// name, and how many match in all.
//
// It reads an in-memory index of the tenant's contacts (backend/search) that
// first catches up with the store (one indexed query when nothing changed),
// so results are never staler than the last committed write, whichever
// process made it. Only rows changed since are read, and they update the
// index in place.
func (d *DB) SearchContacts(ctx context.Context, tenantID string, q SearchQuery) ([]ContactSummary, int, error) {
	idx := d.contactIndex(tenantID)
	if err := idx.catchUp(ctx, d, tenantID); err != nil {
		return nil, 0, fmt.Errorf("store: search contacts %q: %w", q.Text, err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	sq := search.Query{Text: q.Text, Limit: min(limit, 10000), Offset: max(q.Offset, 0)}
	if !q.IncludeArchived {
		sq.Require |= flagActive
	}
	if q.CustomersOnly {
		sq.Require |= flagCustomer
	}
	out, total := idx.ix.Search(sq)
	return out, total, nil
}

// WarmContactSearch loads tenantID's search index ahead of the first search
// (about 0.1-0.2 s for 10,000 contacts); the app may call it at start-up.
func (d *DB) WarmContactSearch(ctx context.Context, tenantID string) error {
	if err := d.contactIndex(tenantID).catchUp(ctx, d, tenantID); err != nil {
		return fmt.Errorf("store: load contact search for %s: %w", tenantID, err)
	}
	return nil
}

// Filter bits of the search index's entries.
const (
	flagActive uint8 = 1 << iota
	flagCustomer
)

// contactIndex is one tenant's search index and the contacts revision it has
// caught up with.
type contactIndex struct {
	mu  sync.Mutex // one catch-up at a time
	rev atomic.Int64
	ix  *search.Index[ContactSummary]
}

func (d *DB) contactIndex(tenantID string) *contactIndex {
	tenants := &d.searchIndexes
	if idx, ok := tenants.Load(tenantID); ok {
		return idx.(*contactIndex)
	}
	idx, _ := tenants.LoadOrStore(tenantID, &contactIndex{ix: search.New[ContactSummary]()})
	return idx.(*contactIndex)
}

// ContactsRev is tenantID's contacts revision: it grows with every write that
// adds or changes contacts (0: none yet). It is read through a statement
// prepared once: it runs before every search, and preparing it again cost as
// much as running it.
func (d *DB) ContactsRev(ctx context.Context, tenantID string) (int64, error) {
	d.revMu.Lock()
	if d.revStmt == nil {
		st, err := d.db.PrepareContext(ctx, `SELECT rev FROM contact_revs WHERE tenant_id = ?`)
		if err != nil {
			d.revMu.Unlock()
			return 0, err
		}
		d.revStmt = st
	}
	st := d.revStmt
	d.revMu.Unlock()
	var rev int64
	err := st.QueryRowContext(ctx, tenantID).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return rev, err
}

// ContactsChangedSince calls fn with each of tenantID's contacts added or
// changed after revision rev (see ContactsRev); rev < 1 gives all of them.
// Indexes kept in memory (filing's match index) read only what changed.
func (d *DB) ContactsChangedSince(ctx context.Context, tenantID string, rev int64, fn func(Contact) error) error {
	rows, err := d.db.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE tenant_id = ? AND rev > ?`, tenantID, rev)
	if err != nil {
		return fmt.Errorf("store: contacts changed since %d: %w", rev, err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return fmt.Errorf("store: contacts changed since %d: %w", rev, err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: contacts changed since %d: %w", rev, err)
	}
	return nil
}

// catchUp loads the rows changed since the index's rev into the index.
// Entries are keyed by row, so reading a row twice (a write landing between
// the rev and the rows queries) is harmless.
func (x *contactIndex) catchUp(ctx context.Context, d *DB, tenantID string) error {
	rev, err := d.ContactsRev(ctx, tenantID)
	if err != nil {
		return err
	}
	if x.rev.Load() >= rev {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	since := x.rev.Load()
	if since >= rev {
		return nil
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id, sort_key, search_doc, contact_id, name, email, account_number,
		contact_number, status, is_customer, is_supplier, merged_to_contact_id, updated_utc
		FROM contacts WHERE tenant_id = ? AND rev > ?`, tenantID, since)
	if err != nil {
		return err
	}
	defer rows.Close()
	var docs []search.Doc[ContactSummary]
	for rows.Next() {
		var (
			e       search.Doc[ContactSummary]
			updated string
		)
		if err := rows.Scan(&e.ID, &e.Sort, &e.Text, &e.Value.ID, &e.Value.Name, &e.Value.Email, &e.Value.AccountNumber,
			&e.Value.ContactNumber, &e.Value.Status, &e.Value.IsCustomer, &e.Value.IsSupplier, &e.Value.MergedToID, &updated); err != nil {
			return err
		}
		e.Value.UpdatedUTC = parseTime(updated)
		e.Flags = contactFlags(e.Value)
		docs = append(docs, e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	x.ix.Upsert(docs...)
	x.rev.Store(rev)
	return nil
}

// searchDoc is the search index's entry for row id, as catchUp would read it.
func searchDoc(id int64, c Contact, e encoded) search.Doc[ContactSummary] {
	d := search.Doc[ContactSummary]{ID: id, Sort: e.sortKey, Text: e.searchDoc, Value: ContactSummary{
		ID: c.ID, Name: c.Name, Email: c.Email, AccountNumber: c.AccountNumber, ContactNumber: c.ContactNumber,
		Status: c.Status, IsCustomer: c.IsCustomer, IsSupplier: c.IsSupplier, MergedToID: c.MergedToID,
		UpdatedUTC: parseTime(formatTime(c.UpdatedUTC)),
	}}
	d.Flags = contactFlags(d.Value)
	return d
}

func contactFlags(s ContactSummary) uint8 {
	var f uint8
	if s.Status == StatusActive {
		f |= flagActive
	}
	if s.IsCustomer {
		f |= flagCustomer
	}
	return f
}

// applyOwn puts a write this DB just committed as rev into the index, if the
// index holds everything before it, so the next search need not read it back;
// otherwise (another process wrote in between) the next catchUp reads it.
func (x *contactIndex) applyOwn(rev int64, docs []search.Doc[ContactSummary]) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.rev.Load() != rev-1 {
		return
	}
	x.ix.Upsert(docs...)
	x.rev.Store(rev)
}

// ContactNames maps each of tenantID's contact IDs to its name.
func (d *DB) ContactNames(ctx context.Context, tenantID string) (map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT contact_id, name FROM contacts WHERE tenant_id = ?`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("store: contact names: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("store: contact names: %w", err)
		}
		out[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: contact names: %w", err)
	}
	return out, nil
}

// CountContacts counts tenantID's stored contacts.
func (d *DB) CountContacts(ctx context.Context, tenantID string) (ContactCounts, error) {
	var n ContactCounts
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(status = 'ACTIVE'), 0),
		COALESCE(SUM(status <> 'ACTIVE'), 0),
		COALESCE(SUM(is_customer = 1 AND status = 'ACTIVE'), 0)
		FROM contacts WHERE tenant_id = ?`, tenantID).Scan(&n.Total, &n.Active, &n.Archived, &n.Customers)
	if err != nil {
		return ContactCounts{}, fmt.Errorf("store: count contacts: %w", err)
	}
	return n, nil
}

// ContactSyncState returns tenantID's sync state; the zero state if it never synced.
func (d *DB) ContactSyncState(ctx context.Context, tenantID string) (ContactSyncState, error) {
	s, err := getSyncState(ctx, d.db, tenantID)
	if err != nil {
		return ContactSyncState{}, fmt.Errorf("store: contact sync state: %w", err)
	}
	return s, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getSyncState(ctx context.Context, q queryRower, tenantID string) (ContactSyncState, error) {
	var (
		s                                                   ContactSyncState
		watermark, lastFull, lastSync, fullStarted, lastErr string
	)
	err := q.QueryRowContext(ctx, `SELECT page_size, watermark, last_full_at, last_sync_at, full_next_page,
		full_page_size, full_page_count, full_started_at, full_seen, last_error FROM contact_sync WHERE tenant_id = ?`, tenantID).
		Scan(&s.PageSize, &watermark, &lastFull, &lastSync, &s.FullNextPage, &s.FullPageSize, &s.FullPageCount,
			&fullStarted, &s.FullSeen, &lastErr)
	if errors.Is(err, sql.ErrNoRows) {
		return ContactSyncState{}, nil
	}
	if err != nil {
		return ContactSyncState{}, err
	}
	s.Watermark, s.LastFullAt, s.LastSyncAt, s.FullStartedAt = parseTime(watermark), parseTime(lastFull), parseTime(lastSync), parseTime(fullStarted)
	s.LastError = lastErr
	return s, nil
}

// SetContactSyncState replaces tenantID's sync state.
func (d *DB) SetContactSyncState(ctx context.Context, tenantID string, s ContactSyncState) error {
	err := d.Tx(ctx, func(tx *sql.Tx) error { return putSyncState(ctx, tx, tenantID, s) })
	if err != nil {
		return fmt.Errorf("store: set contact sync state: %w", err)
	}
	return nil
}

// UpdateContactSyncState applies update to tenantID's sync state in one
// transaction, so concurrent writers never undo each other's fields.
func (d *DB) UpdateContactSyncState(ctx context.Context, tenantID string, update func(*ContactSyncState)) error {
	err := d.Tx(ctx, func(tx *sql.Tx) error { return updateSyncState(ctx, tx, tenantID, update) })
	if err != nil {
		return fmt.Errorf("store: update contact sync state: %w", err)
	}
	return nil
}

func updateSyncState(ctx context.Context, tx *sql.Tx, tenantID string, update func(*ContactSyncState)) error {
	s, err := getSyncState(ctx, tx, tenantID)
	if err != nil {
		return fmt.Errorf("read contact sync state: %w", err)
	}
	update(&s)
	return putSyncState(ctx, tx, tenantID, s)
}

func putSyncState(ctx context.Context, tx *sql.Tx, tenantID string, s ContactSyncState) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO contact_sync (tenant_id, page_size, watermark, last_full_at, last_sync_at,
		full_next_page, full_page_size, full_page_count, full_started_at, full_seen, last_error)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(tenant_id) DO UPDATE SET page_size=excluded.page_size, watermark=excluded.watermark,
		last_full_at=excluded.last_full_at, last_sync_at=excluded.last_sync_at, full_next_page=excluded.full_next_page,
		full_page_size=excluded.full_page_size, full_page_count=excluded.full_page_count,
		full_started_at=excluded.full_started_at, full_seen=excluded.full_seen, last_error=excluded.last_error,
		updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
		tenantID, s.PageSize, formatTime(s.Watermark), formatTime(s.LastFullAt), formatTime(s.LastSyncAt),
		s.FullNextPage, s.FullPageSize, s.FullPageCount, formatTime(s.FullStartedAt), s.FullSeen, s.LastError)
	if err != nil {
		return fmt.Errorf("write contact sync state: %w", err)
	}
	return nil
}

// Times are stored as RFC 3339 UTC text with fixed-width nanoseconds, so they also
// sort as text; the zero time is stored as ”.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
