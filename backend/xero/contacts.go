package xero

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"chase.md/backend/rest"
	"chase.md/backend/xero/api"
)

// Contact is an Accounting contact with its update time parsed.
type Contact struct {
	api.Contact
	Updated time.Time // UpdatedDateUTC; zero if Xero sent none
}

// Archived reports ContactStatus ARCHIVED.
func (c *Contact) Archived() bool { return strings.EqualFold(c.ContactStatus, "ARCHIVED") }

// ListOptions select a page of contacts. The zero value asks for every
// active contact in one unpaged answer; syncs should always set Page.
type ListOptions struct {
	Page            int       // 1-based; 0 = unpaged (Xero then sends everything)
	PageSize        int       // 0 = Xero's default (100); Xero is said to allow up to 1000
	ModifiedSince   time.Time // If-Modified-Since; zero = all
	IncludeArchived bool
	Where           string // Xero's filter language, e.g. `ContactStatus=="ACTIVE"`
	Order           string // e.g. "UpdatedDateUTC ASC"
	SummaryOnly     bool
	SearchTerm      string
	IDs             []string
}

// ContactPage is one answer of GET /Contacts.
type ContactPage struct {
	Contacts   []Contact
	Pagination api.Pagination // zero when unpaged
	// ServerTime is Xero's clock when it answered (DateTimeUTC): the value to
	// send as ModifiedSince next time, so that our clock never matters.
	ServerTime time.Time
	Warnings   []string
	// PageSizeCapped is set when Xero used a smaller page than asked for:
	// keep paging with Pagination.PageSize.
	PageSizeCapped bool
}

// ErrPageSizeRefused is a 400 to a pageSize above 100: ask again with 100.
var ErrPageSizeRefused = errors.New("xero: page size refused")

// ListContacts fetches one page of contacts.
func (c *Client) ListContacts(ctx context.Context, o ListOptions) (*ContactPage, error) {
	q := url.Values{}
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(o.PageSize))
	}
	if o.IncludeArchived {
		q.Set("includeArchived", "true")
	}
	if o.Where != "" {
		q.Set("where", o.Where)
	}
	if o.Order != "" {
		q.Set("order", o.Order)
	}
	if o.SummaryOnly {
		q.Set("summaryOnly", "true")
	}
	if o.SearchTerm != "" {
		q.Set("searchTerm", o.SearchTerm)
	}
	if len(o.IDs) > 0 {
		q.Set("IDs", strings.Join(o.IDs, ","))
	}
	h := http.Header{}
	if !o.ModifiedSince.IsZero() {
		h.Set("If-Modified-Since", ifModifiedSince(o.ModifiedSince))
	}
	var env api.Contacts
	resp, err := c.rc.CallJSON(ctx, &rest.Opts{Path: accountingPath + "/Contacts", Query: q, Header: h, Tenant: c.tenant}, nil, &env)
	if err != nil {
		var ae *rest.APIError
		if o.PageSize > 100 && errors.As(err, &ae) && ae.Status == http.StatusBadRequest {
			return nil, fmt.Errorf("xero: list contacts page %d (pageSize %d): %w: %w", o.Page, o.PageSize, ErrPageSizeRefused, err)
		}
		return nil, fmt.Errorf("xero: list contacts page %d: %w", o.Page, err)
	}
	page := &ContactPage{Contacts: make([]Contact, 0, len(env.Contacts))}
	if resp.StatusCode == http.StatusNotModified {
		page.ServerTime = responseTime(resp, "")
		return page, nil
	}
	page.ServerTime = responseTime(resp, env.DateTimeUTC)
	if env.Pagination != nil {
		page.Pagination = *env.Pagination
		page.PageSizeCapped = o.PageSize > 0 && env.Pagination.PageSize > 0 && env.Pagination.PageSize < o.PageSize
	}
	for _, w := range env.Warnings {
		page.Warnings = append(page.Warnings, w.Message)
	}
	for _, ac := range env.Contacts {
		ct, err := toContact(ac)
		if err != nil {
			return nil, fmt.Errorf("xero: list contacts page %d: %w", o.Page, err)
		}
		page.Contacts = append(page.Contacts, ct)
	}
	return page, nil
}

func toContact(ac api.Contact) (Contact, error) {
	ct := Contact{Contact: ac}
	if ac.UpdatedDateUTC != "" {
		t, err := ParseTime(ac.UpdatedDateUTC)
		if err != nil {
			return Contact{}, fmt.Errorf("contact %s: UpdatedDateUTC: %w", ac.ContactID, err)
		}
		ct.Updated = t.UTC()
	}
	return ct, nil
}

// responseTime is the server's clock: DateTimeUTC if it parses, else the
// Date header, else zero (the caller then keeps its previous mark).
func responseTime(resp *http.Response, dateTimeUTC string) time.Time {
	if dateTimeUTC != "" {
		if t, err := ParseTime(dateTimeUTC); err == nil {
			return t.UTC()
		}
	}
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

// GetContact fetches one contact by ContactID (or ContactNumber).
// A contact that does not exist is an error matching rest.ErrNotFound.
func (c *Client) GetContact(ctx context.Context, id string) (*Contact, error) {
	var env api.Contacts
	_, err := c.rc.CallJSON(ctx, &rest.Opts{Path: accountingPath + "/Contacts/" + url.PathEscape(id), Tenant: c.tenant}, nil, &env)
	if err != nil {
		return nil, fmt.Errorf("xero: get contact %s: %w", id, err)
	}
	if len(env.Contacts) == 0 {
		return nil, fmt.Errorf("xero: get contact %s: %w", id, rest.ErrNotFound)
	}
	ct, err := toContact(env.Contacts[0])
	if err != nil {
		return nil, fmt.Errorf("xero: get contact %s: %w", id, err)
	}
	return &ct, nil
}

// SearchContacts is Xero's own search (name, first/last name, contact
// number, email), first page of up to 100, archived included.
func (c *Client) SearchContacts(ctx context.Context, term string) ([]Contact, error) {
	p, err := c.ListContacts(ctx, ListOptions{Page: 1, SearchTerm: term, IncludeArchived: true})
	if err != nil {
		return nil, fmt.Errorf("xero: search contacts %q: %w", term, err)
	}
	return p.Contacts, nil
}
