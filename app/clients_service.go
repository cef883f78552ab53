package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"chase.md/backend/chase"
	"chase.md/backend/core"
	"chase.md/backend/rest"
	"chase.md/backend/store"
	"chase.md/backend/syncer"
	"chase.md/backend/xero"
)

// ClientsService is the Clients screen: the synced contacts, one client's
// details and files in Xero, and the contact sync.
type ClientsService struct {
	app *App

	mu   sync.Mutex
	runs map[string]*syncRun // by tenant, from the scheduler's events
}

type syncRun struct {
	running  bool
	full     bool
	progress syncer.Progress
	errWords string // the last failed sync's error, in words; "" after a success
}

// ClientPage is one window of the client list.
type ClientPage struct {
	Rows   []store.ContactSummary `json:"rows"`
	Total  int                    `json:"total"` // matches in all, for the list's height
	Offset int                    `json:"offset"`
}

// ClientFile is one file in Xero Files associated with a client.
type ClientFile struct {
	FileID       string    `json:"fileId"`
	Name         string    `json:"name"`
	Size         int64     `json:"size"`
	Created      time.Time `json:"created"`
	Associated   time.Time `json:"associated"`
	ObjectType   string    `json:"objectType"`
	DetailsKnown bool      `json:"detailsKnown"` // false: Xero gave only the file's ID
	// Local: chase.md sent this file and its copy is still where it was sent
	// from, so it can be previewed and opened here (Xero has no link to one file).
	Local bool `json:"local,omitempty"`
}

// SyncStatus is the top bar's sync line and the Clients screen's counts.
type SyncStatus struct {
	Connected  bool                `json:"connected"` // the backend runs and an organisation is chosen
	Reason     string              `json:"reason,omitempty"`
	TenantID   string              `json:"tenantId"`
	TenantName string              `json:"tenantName"`
	LastSynced time.Time           `json:"lastSynced"` // zero: never
	Counts     store.ContactCounts `json:"counts"`
	Running    bool                `json:"running"`
	Full       bool                `json:"full"`
	Page       int                 `json:"page"`
	PageCount  int                 `json:"pageCount"`
	LastError  string              `json:"lastError,omitempty"` // in words
}

// clientFilesTimeout bounds the wait for a client page's files: the HTTP layer
// retries a lost connection for minutes, which is right for uploads but not for
// someone looking at a page. A variable so tests can shrink it.
var clientFilesTimeout = 45 * time.Second

// The most files a client page looks up one by one when Xero's list lacks
// their names: each look-up is a call from the organisation's 60 a minute.
const maxFileLookups = 20

// observe follows the scheduler's events so SyncStatus can say what runs now.
func (s *ClientsService) observe(e syncer.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runs == nil {
		s.runs = map[string]*syncRun{}
	}
	r := s.runs[e.Tenant]
	if r == nil {
		r = &syncRun{}
		s.runs[e.Tenant] = r
	}
	switch e.Phase {
	case syncer.PhaseStarted:
		*r = syncRun{running: true, full: e.Full, errWords: r.errWords}
	case syncer.PhaseProgress:
		r.running, r.full, r.progress = true, e.Full, e.Progress
	case syncer.PhaseDone:
		*r = syncRun{}
	case syncer.PhaseFailed:
		words := "The last sync did not finish."
		if e.Err != nil {
			words = toUIError(e.Err).Message
		} else if e.Error != "" {
			words = toUIError(fmt.Errorf("%s", e.Error)).Message
		}
		*r = syncRun{errWords: words}
	}
}

// mainTenant is the organisation whose contacts the Clients screen shows.
func (s *ClientsService) mainTenant() (context.Context, *core.Session, core.TenantRef, func(), error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, nil, core.TenantRef{}, nil, err
	}
	ch, err := c.Choice(ctx)
	if err != nil {
		done()
		return nil, nil, core.TenantRef{}, nil, err
	}
	if len(ch.Orgs) == 0 {
		return ctx, c, core.TenantRef{}, done, nil
	}
	return ctx, c, ch.Orgs[0], done, nil
}

// Search lists the main organisation's clients matching query (any part of a
// name, email, account number or contact person; empty lists all), a window of
// limit rows from offset, and how many match in all.
func (s *ClientsService) Search(query string, customersOnly, includeArchived bool, offset, limit int) (ClientPage, error) {
	ctx, c, t, done, err := s.mainTenant()
	if err != nil {
		return ClientPage{}, err
	}
	defer done()
	page := ClientPage{Rows: []store.ContactSummary{}, Offset: max(offset, 0)}
	if t.ID == "" {
		return page, nil
	}
	rows, total, err := c.DB.SearchContacts(ctx, t.ID, store.SearchQuery{Text: query, CustomersOnly: customersOnly,
		IncludeArchived: includeArchived, Offset: offset, Limit: max(1, min(limit, 500))})
	if err != nil {
		return ClientPage{}, err
	}
	page.Rows, page.Total = rows, total
	return page, nil
}

// Client is one client with everything synced about it. A contact Xero merged
// into another opens as the one it was merged into.
func (s *ClientsService) Client(id string) (store.Contact, error) {
	ctx, c, t, done, err := s.mainTenant()
	if err != nil {
		return store.Contact{}, err
	}
	defer done()
	if t.ID == "" {
		return store.Contact{}, fmt.Errorf("client %s: %w", id, store.ErrNotFound)
	}
	return c.DB.ResolveContact(ctx, t.ID, id)
}

// ClientFiles asks Xero for the files associated with a client, newest first.
// The user waits for it, so it goes ahead of the background sync.
func (s *ClientsService) ClientFiles(id string) ([]ClientFile, error) {
	ctx, c, t, done, err := s.mainTenant()
	if err != nil {
		return nil, err
	}
	defer done()
	if t.ID == "" {
		return []ClientFile{}, nil
	}
	ctx, cancel := context.WithTimeout(rest.WithPriority(ctx, rest.Interactive), clientFilesTimeout)
	defer cancel()
	files, err := clientFiles(ctx, c.Xero(t.ID), id)
	s.app.Chase.noteClientFiles(ctx, c.DB, t.ID, id, files, err) // the chase list counts them too
	for i := range files {
		if p, _ := c.Uploads.SentFrom(ctx, t.ID, files[i].FileID); p != "" {
			_, serr := os.Stat(p)
			files[i].Local = serr == nil
		}
	}
	var ne net.Error
	if (errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)) && !errors.Is(err, context.Canceled) {
		return nil, &UIError{Code: "offline", Message: "chase.md could not reach Xero to list this client's files. " +
			"Check the internet connection and try again; everything else keeps working from the synced copy."}
	}
	return files, err
}

func clientFiles(ctx context.Context, x *xero.Client, contactID string) ([]ClientFile, error) {
	as, err := x.AssociationsFor(ctx, contactID)
	if err != nil {
		return nil, fmt.Errorf("list the files of client %s in Xero: %w", contactID, err)
	}
	out := make([]ClientFile, 0, len(as))
	lookups := 0
	for _, a := range as {
		f := ClientFile{FileID: a.FileID, Name: a.Name, Size: a.Size, ObjectType: a.ObjectType, DetailsKnown: a.Name != ""}
		f.Created, _ = xero.ParseFilesTime(a.CreatedDateUTC)
		f.Associated, _ = xero.ParseFilesTime(a.AssociationDateUTC)
		if !f.DetailsKnown && lookups < maxFileLookups {
			lookups++
			if fo, err := x.GetFile(ctx, a.FileID); err == nil {
				f.Name, f.Size, f.DetailsKnown = fo.Name, fo.Size, true
				f.Created, _ = xero.ParseFilesTime(fo.CreatedDateUTC)
			} else if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// SyncNow asks for a sync of the chosen organisations at once, a full one if
// full; progress arrives as sync:progress events and the end as sync:done.
func (s *ClientsService) SyncNow(full bool) (SyncStatus, error) {
	_, c, done, err := s.app.backend()
	if err != nil {
		return SyncStatus{}, err
	}
	defer done()
	c.Scheduler.Trigger(full)
	return s.SyncStatus()
}

// SyncStatus says when the main organisation last synced, how many clients it
// has, and whether a sync runs now.
func (s *ClientsService) SyncStatus() (SyncStatus, error) {
	ctx, c, t, done, err := s.mainTenant()
	if err != nil {
		if cerr := s.app.started(); cerr != nil {
			return SyncStatus{}, cerr
		}
		words, _ := whyNotRunning(err)
		return SyncStatus{Reason: words}, nil
	}
	defer done()
	if t.ID == "" {
		return SyncStatus{Reason: "Sign in to Xero and choose the organisation that holds your clients."}, nil
	}
	st := SyncStatus{Connected: true, TenantID: t.ID, TenantName: t.Name}
	state, err := c.DB.ContactSyncState(ctx, t.ID)
	if err != nil {
		return SyncStatus{}, err
	}
	if st.Counts, err = c.DB.CountContacts(ctx, t.ID); err != nil {
		return SyncStatus{}, err
	}
	st.LastSynced = state.LastSyncAt
	s.mu.Lock()
	if r := s.runs[t.ID]; r != nil {
		st.Running, st.Full, st.Page, st.PageCount, st.LastError = r.running, r.full, r.progress.Page, r.progress.PageCount, r.errWords
	}
	s.mu.Unlock()
	if st.LastError == "" && !st.Running && state.LastError != "" {
		st.LastError = "The last sync did not finish. It will be tried again in a few minutes. Details: " + state.LastError
	}
	return st, nil
}

// ClientChase is what the client page says of the chase list: whether the
// client is on it, for which jobs, and when they were last chased.
type ClientChase struct {
	OnList     bool       `json:"onList"`
	ClientKey  string     `json:"clientKey,omitempty"` // for MarkChased and ChaseEmail
	Marked     bool       `json:"marked"`              // on the list by hand
	Jobs       []ChaseJob `json:"jobs"`
	LastChased time.Time  `json:"lastChased"` // zero = never
}

// ChaseJob is one of the client's jobs on the chase list.
type ChaseJob struct {
	JobID    string    `json:"jobId"`
	JobName  string    `json:"jobName"`
	State    string    `json:"state"`
	DueDate  time.Time `json:"dueDate"`
	AgeLabel string    `json:"ageLabel"`
	DueLabel string    `json:"dueLabel"`
}

// ChaseInfo says whether the contact is on the chase list, for which jobs
// and when it was last chased.
func (s *ClientsService) ChaseInfo(contactID string) (ClientChase, error) {
	out := ClientChase{Jobs: []ChaseJob{}}
	cs := s.app.Chase
	ctx, _, ch, done, err := cs.chase()
	if err != nil {
		return out, err
	}
	defer done()
	rows, _, err := cs.rows(ctx, ch)
	if err != nil {
		return out, err
	}
	id := strings.TrimSpace(contactID)
	for _, r := range chase.Select(rows, chase.Query{}, time.Now()) {
		if !strings.EqualFold(r.ContactID, id) {
			continue
		}
		out.OnList, out.ClientKey = true, r.ClientKey
		if r.LastChased.After(out.LastChased) {
			out.LastChased = r.LastChased
		}
		if r.Source == chase.SourceManual {
			out.Marked = true
			continue
		}
		out.Jobs = append(out.Jobs, ChaseJob{JobID: r.JobID, JobName: r.JobName, State: r.State, DueDate: r.DueDate, AgeLabel: r.AgeLabel, DueLabel: r.DueLabel})
	}
	if !out.OnList {
		// Chased before, off the list now: the page still says when.
		if out.LastChased, err = ch.LastChased(ctx, id); err != nil {
			return out, err
		}
	}
	return out, nil
}
