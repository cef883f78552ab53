package app

import (
	"chase.md/backend/activity"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/chase"
	"chase.md/backend/core"
	"chase.md/backend/store"
	"chase.md/backend/xpm"
)

// ChaseService is the Chase list area: the list itself, the job-state
// mapping and the XPM client ↔ Xero contact links (backend/chase).
//
// The whole list is built once and kept (listCache) until something it shows
// changes: the app's own changes and the backend's events (syncs, uploads,
// files in Xero) call changed, which also tells the UI (chase:changed). Each
// List then only filters, sorts and pages the kept rows.
type ChaseService struct {
	app   *App
	cache listCache

	rebuild     chan struct{} // kicks serveRebuild; made once
	rebuildOnce sync.Once
}

// listCache is the built chase list of one organisation on one day.
type listCache struct {
	mu      sync.Mutex
	version uint64 // bumped by every change
	built   uint64 // the version rows were built at (0 = none)
	key     string // tenant, hand-marked only, day
	rows    []chase.Row
}

// ChaseChanged is the payload of EvChaseChanged.
type ChaseChanged struct {
	Version uint64 `json:"version"`
}

// changed forgets the built list; serveRebuild builds it again in the
// background and then tells the UI, so the UI's next List is instant.
func (s *ChaseService) changed() {
	s.cache.mu.Lock()
	s.cache.version++
	v := s.cache.version
	s.cache.mu.Unlock()
	ctx := s.app.ctx
	if ctx == nil {
		s.app.emit(EvChaseChanged, ChaseChanged{Version: v})
		return
	}
	s.rebuildOnce.Do(func() {
		s.rebuild = make(chan struct{}, 1)
		go s.serveRebuild(ctx)
	})
	select {
	case s.rebuild <- struct{}{}:
	default: // a rebuild is due already; it will see this change
	}
}

// built reports whether the kept list is current (tests, benchmarks).
func (s *ChaseService) built() bool {
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	return s.cache.built == s.cache.version
}

// rebuildCoalesce gathers a burst of changes (a sync's events, a batch of
// uploads) into one rebuild.
const rebuildCoalesce = 100 * time.Millisecond

// serveRebuild rebuilds the list after each change, until ctx ends, and
// emits EvChaseChanged once the new list is ready.
func (s *ChaseService) serveRebuild(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.rebuild:
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(rebuildCoalesce):
		}
		s.cache.mu.Lock()
		v := s.cache.version
		s.cache.mu.Unlock()
		if bctx, _, ch, done, err := s.chase(); err == nil {
			if _, built, err := s.rows(bctx, ch); err == nil {
				v = built
			} else if ctx.Err() == nil {
				s.app.log.Warn("chase: rebuild the chase list", "err", err)
			}
			done()
		}
		s.app.emit(EvChaseChanged, ChaseChanged{Version: v})
	}
}

// rows is the whole chase list, built at most once per change.
func (s *ChaseService) rows(ctx context.Context, ch *chase.Service) ([]chase.Row, uint64, error) {
	key := fmt.Sprintf("%s\x00%v\x00%s", ch.TenantID(), ch.HandOnly(), time.Now().UTC().Format(time.DateOnly))
	c := &s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == 0 {
		c.version = 1
	}
	if c.built == c.version && c.key == key {
		return c.rows, c.version, nil
	}
	rows, err := ch.Build(ctx)
	if err != nil {
		return nil, 0, err
	}
	c.rows, c.built, c.key = rows, c.version, key
	return rows, c.version, nil
}

// Errors of the chase area, worded in errorTable.
var (
	ErrNoPractice      = errors.New("app: no Practice Manager connected")
	ErrNoInterfaceCode = errors.New("app: the target state has no Interface Code")
)

// ChaseStatus says where the chase list comes from, for the screen's banners
// and empty states.
type ChaseStatus struct {
	// Organisation is the Xero organisation whose contacts are the clients;
	// Practice the XPM practice ("" = none connected).
	Organisation string `json:"organisation"`
	Practice     string `json:"practice"`
	// XPM: the last XPM sync succeeded, so the list comes from job states.
	XPM bool `json:"xpm"`
	// NoAccess: XPM refused the last sync; XPMRefused: Xero refused the XPM
	// scopes at sign-in; NoPractice: no practice tenant is connected.
	NoAccess    bool      `json:"noAccess"`
	XPMRefused  bool      `json:"xpmRefused"`
	NoPractice  bool      `json:"noPractice"`
	LastSync    time.Time `json:"lastSync"`
	LastError   string    `json:"lastError,omitempty"`
	StateSource string    `json:"stateSource"` // jobstate.api/list or jobs
	// States is how many job states are known, ChaseStates how many of them
	// mean "waiting on the client", Guessed whether that is still our guess.
	States      int  `json:"states"`
	ChaseStates int  `json:"chaseStates"`
	Guessed     bool `json:"guessed"`
	// LinksToReview counts ambiguous and unmatched clients.
	LinksToReview int `json:"linksToReview"`
}

// chase returns the backend and the main organisation's chase service.
// The caller holds the session until it calls done (see App.current).
func (s *ChaseService) chase() (context.Context, *core.Session, *chase.Service, func(), error) {
	ctx, sess, done, err := s.app.backend()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ch, err := sess.Chase(ctx)
	if err != nil {
		done()
		return nil, nil, nil, nil, err
	}
	return ctx, sess, ch, done, nil
}

// noteClientFiles keeps what the client page has just listed of a contact's
// files in Xero (ClientsService.ClientFiles), so the chase list counts them
// without asking Xero again. A failed listing (err) changes nothing.
func (s *ChaseService) noteClientFiles(ctx context.Context, db *store.DB, tenantID, contactID string, files []ClientFile, err error) {
	if err != nil || tenantID == "" {
		return
	}
	xs := make([]chase.XeroFile, len(files))
	for i, f := range files {
		xs[i] = chase.XeroFile{FileID: f.FileID, Associated: f.Associated, Created: f.Created}
	}
	if err := chase.New(db, tenantID).RecordXeroFiles(ctx, contactID, xs); err != nil {
		if ctx.Err() == nil {
			s.app.log.Warn("chase: keep the client's files in Xero", "contact", contactID, "err", err)
		}
		return
	}
	s.changed()
}

// Status reports whether XPM is in use and how far the mapping has got.
func (s *ChaseService) Status() (ChaseStatus, error) {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return ChaseStatus{}, err
	}
	defer done()
	var out ChaseStatus
	choice, err := sess.Choice(ctx)
	if err != nil {
		return out, err
	}
	out.Organisation = choice.Orgs[0].Name
	out.XPMRefused = choice.XPMRefused
	if choice.Practice == nil {
		out.NoPractice = true
	} else {
		out.Practice = choice.Practice.Name
	}
	st, err := ch.Status(ctx)
	if err != nil {
		return out, err
	}
	out.XPM, out.NoAccess, out.LastSync, out.LastError, out.StateSource = st.XPM, st.NoAccess, st.LastSync, st.LastError, st.StateSource
	states, err := ch.States(ctx)
	if err != nil {
		return out, err
	}
	for _, m := range states {
		if !m.Present {
			continue
		}
		out.States++
		if m.Chase {
			out.ChaseStates++
		}
		out.Guessed = out.Guessed || m.Guessed
	}
	counts, err := ch.LinkCounts(ctx)
	if err != nil {
		return out, err
	}
	out.LinksToReview = counts.Ambiguous + counts.Unmatched
	return out, nil
}

// ChaseQuery is the chase list's sort, filter and page, as the screen sends it.
type ChaseQuery struct {
	Sort        string `json:"sort"` // nudge (default), client, due, waiting, state, chased, docs
	Desc        bool   `json:"desc"`
	Text        string `json:"text"`
	State       string `json:"state"`
	OverdueOnly bool   `json:"overdueOnly"`
	NoDocsOnly  bool   `json:"noDocsOnly"`
	Offset      int    `json:"offset"`
	Limit       int    `json:"limit"` // 0 = every row
}

func (q ChaseQuery) query() chase.Query {
	return chase.Query{Sort: q.Sort, Desc: q.Desc, Filter: chase.Filter{
		Text: q.Text, State: q.State, OverdueOnly: q.OverdueOnly, NoDocsOnly: q.NoDocsOnly}}
}

// ChaseList is one answer of List: a page of rows and the counts of the
// whole filtered list.
type ChaseList struct {
	Rows []chase.Row `json:"rows"`
	// Total counts the rows that match the filter; Clients the distinct
	// clients among them; Overdue those past due.
	Total   int `json:"total"`
	Clients int `json:"clients"`
	Overdue int `json:"overdue"`
	Offset  int `json:"offset"`
	// Version changes whenever the list does (see EvChaseChanged).
	Version uint64 `json:"version"`
}

// List returns a page of the chase list, sorted and filtered.
func (s *ChaseService) List(q ChaseQuery) (ChaseList, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return ChaseList{}, err
	}
	defer done()
	all, v, err := s.rows(ctx, ch)
	if err != nil {
		return ChaseList{}, err
	}
	rows := chase.Select(all, q.query(), time.Now())
	out := ChaseList{Total: len(rows), Version: v}
	clients := map[string]bool{}
	for _, r := range rows {
		clients[r.ClientKey] = true
		if r.OverdueDays > 0 {
			out.Overdue++
		}
	}
	out.Clients = len(clients)
	out.Offset = min(max(q.Offset, 0), len(rows))
	rows = rows[out.Offset:]
	if q.Limit > 0 && q.Limit < len(rows) {
		rows = rows[:q.Limit]
	}
	out.Rows = rows
	if out.Rows == nil {
		out.Rows = []chase.Row{}
	}
	return out, nil
}

// ListClientKeys lists the client of every row that matches q, once each in
// the list's order ("select all" across pages).
func (s *ChaseService) ListClientKeys(q ChaseQuery) ([]string, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	all, _, err := s.rows(ctx, ch)
	if err != nil {
		return nil, err
	}
	out := []string{}
	seen := map[string]bool{}
	for _, r := range chase.Select(all, q.query(), time.Now()) {
		if !seen[r.ClientKey] {
			seen[r.ClientKey] = true
			out = append(out, r.ClientKey)
		}
	}
	return out, nil
}

// selection is the rows of the given clients, in the list's default order.
func (s *ChaseService) selection(ctx context.Context, ch *chase.Service, clientKeys []string) ([]chase.Row, error) {
	all, _, err := s.rows(ctx, ch)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, k := range clientKeys {
		want[strings.ToLower(strings.TrimSpace(k))] = true
	}
	var out []chase.Row
	for _, r := range all {
		if want[strings.ToLower(r.ClientKey)] {
			out = append(out, r)
		}
	}
	return chase.Select(out, chase.Query{}, time.Now()), nil
}

// States lists the practice's job states with the mapping; states nobody has
// saved yet carry the guess (Guessed).
func (s *ChaseService) States() ([]chase.StateMapping, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	ms, err := ch.States(ctx)
	if ms == nil {
		ms = []chase.StateMapping{}
	}
	return ms, err
}

// SaveMapping stores which states mean "waiting on the client", where to move
// a job when documents arrive and the states' Interface Codes.
func (s *ChaseService) SaveMapping(ms []chase.StateMapping) ([]chase.StateMapping, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	for _, m := range ms {
		if m.MoveTo != "" && strings.EqualFold(strings.TrimSpace(m.MoveTo), strings.TrimSpace(m.Name)) {
			return nil, &InputError{Field: "move to", Message: fmt.Sprintf("“%s” cannot move to itself: choose another state.", m.Name)}
		}
	}
	if err := ch.SaveMapping(ctx, ms); err != nil {
		return nil, err
	}
	s.changed()
	return s.States()
}

// LinkList is the Links screen's data.
type LinkList struct {
	Links  []chase.Link     `json:"links"`
	Counts chase.LinkCounts `json:"counts"`
}

// Links lists XPM clients and their contacts, ambiguous and unmatched first;
// Counts covers every link whatever the filter.
func (s *ChaseService) Links(f chase.LinkFilter) (LinkList, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return LinkList{}, err
	}
	defer done()
	all, err := ch.Links(ctx, chase.LinkFilter{})
	if err != nil {
		return LinkList{}, err
	}
	var out LinkList
	for _, l := range all {
		if l.Sure {
			out.Counts.Sure++
		}
		switch l.Status {
		case chase.StatusAuto:
			out.Counts.Auto++
		case chase.StatusConfirmed:
			out.Counts.Confirmed++
		case chase.StatusBroken:
			out.Counts.Broken++
		case chase.StatusAmbiguous:
			out.Counts.Ambiguous++
		case chase.StatusUnmatched:
			out.Counts.Unmatched++
		}
	}
	if f == (chase.LinkFilter{}) {
		out.Links = all
	} else if out.Links, err = ch.Links(ctx, f); err != nil {
		return LinkList{}, err
	}
	if out.Links == nil {
		out.Links = []chase.Link{}
	}
	return out, nil
}

// ConfirmLink accepts the suggested contact of a client.
func (s *ChaseService) ConfirmLink(clientUUID string) error {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return err
	}
	defer done()
	if err := ch.ConfirmLink(ctx, clientUUID); err != nil {
		return err
	}
	s.logChase(ctx, sess, ch, activity.Link, clientUUID, "", clientUUID, "Confirmed the suggested Xero contact for this XPM client.")
	s.changed()
	return nil
}

// ChangeLink links a client to the contact a person chose.
func (s *ChaseService) ChangeLink(clientUUID, contactID string) error {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return err
	}
	defer done()
	if err := ch.ChangeLink(ctx, clientUUID, contactID); err != nil {
		return err
	}
	s.logChase(ctx, sess, ch, activity.Link, clientUUID, "", clientUUID,
		fmt.Sprintf("Linked this XPM client to the Xero contact %s (%s).", contactName(ctx, sess.DB, ch.TenantID(), contactID), contactID))
	s.changed()
	return nil
}

// BreakLink says a client is none of the Xero contacts.
func (s *ChaseService) BreakLink(clientUUID string) error {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return err
	}
	defer done()
	if err := ch.BreakLink(ctx, clientUUID); err != nil {
		return err
	}
	s.logChase(ctx, sess, ch, activity.Link, clientUUID, "", clientUUID, "Said this XPM client is none of the Xero contacts.")
	s.changed()
	return nil
}

// ConfirmSureLinks confirms every sure automatic link in one action and
// returns the clients it confirmed (UndoLinks takes the action back).
func (s *ChaseService) ConfirmSureLinks() ([]string, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	us, err := ch.ConfirmSureLinks(ctx)
	if err != nil {
		return nil, err
	}
	if us == nil {
		us = []string{}
	}
	s.changed()
	return us, nil
}

// ConfirmLinks confirms the suggested contacts of the given clients.
func (s *ChaseService) ConfirmLinks(clientUUIDs []string) (int, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return 0, err
	}
	defer done()
	n, err := ch.ConfirmLinks(ctx, clientUUIDs)
	if err != nil {
		return 0, err
	}
	s.changed()
	return n, nil
}

// UndoLink takes back a person's decision on a client's link.
func (s *ChaseService) UndoLink(clientUUID string) error {
	_, err := s.UndoLinks([]string{clientUUID})
	return err
}

// UndoLinks takes back people's decisions on the clients' links in one step
// (the undo of ConfirmSureLinks); their links are chase.md's proposal again.
func (s *ChaseService) UndoLinks(clientUUIDs []string) (chase.LinkCounts, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return chase.LinkCounts{}, err
	}
	defer done()
	c, err := ch.UndoLinks(ctx, clientUUIDs)
	if err != nil {
		return c, err
	}
	s.changed()
	return c, nil
}

// Relink recomputes the automatic links now; people's decisions stay.
func (s *ChaseService) Relink() (chase.LinkCounts, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return chase.LinkCounts{}, err
	}
	defer done()
	c, err := ch.Relink(ctx)
	if err == nil {
		s.changed()
	}
	return c, err
}

// SearchContacts finds contacts of the main organisation for "Change link"
// and "Mark for chase" (at most 20).
func (s *ChaseService) SearchContacts(text string) ([]store.ContactSummary, error) {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	cs, _, err := sess.DB.SearchContacts(ctx, ch.TenantID(), store.SearchQuery{Text: text, Limit: 20})
	return cs, err
}

// MarkChased records that the client was chased today.
func (s *ChaseService) MarkChased(clientKey string) error {
	_, err := s.MarkChasedMany([]string{clientKey})
	return err
}

// MarkChasedMany records that each of the clients was chased today and says
// how many were marked.
func (s *ChaseService) MarkChasedMany(clientKeys []string) (int, error) {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return 0, err
	}
	defer done()
	n := 0
	defer func() {
		if n > 0 {
			s.changed()
		}
	}()
	now := time.Now()
	for _, k := range clientKeys {
		if strings.TrimSpace(k) == "" {
			continue
		}
		if err := ch.MarkChased(ctx, k, now); err != nil {
			return n, err
		}
		s.logChase(ctx, sess, ch, activity.Chased, k, "", "", "Marked as chased today.")
		n++
	}
	return n, nil
}

// MarkForChase puts a contact on the chase list by hand, or takes it off:
// the chase list without XPM.
func (s *ChaseService) MarkForChase(contactID string, on bool) error {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return err
	}
	defer done()
	if err := ch.MarkForChase(ctx, contactID, on); err != nil {
		return err
	}
	detail := "Put on the chase list by hand."
	if !on {
		detail = "Taken off the chase list."
	}
	sess.Log(activity.Entry{Kind: activity.Chased, TenantID: ch.TenantID(), ContactID: contactID,
		Client: contactName(ctx, sess.DB, ch.TenantID(), contactID), Detail: detail})
	s.changed()
	return nil
}

// DocsNeeded is a job's "documents needed" list.
func (s *ChaseService) DocsNeeded(jobID string) ([]string, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	return ch.DocsNeeded(ctx, jobID)
}

// SetDocsNeeded replaces a job's "documents needed" list (one document a
// line) and returns what was kept.
func (s *ChaseService) SetDocsNeeded(jobID string, docs []string) ([]string, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	kept, err := ch.SetDocsNeeded(ctx, jobID, docs)
	if err != nil {
		if strings.Contains(err.Error(), "at most") {
			return nil, &InputError{Field: "documents needed", Message: "Keep the list short: at most 20 documents."}
		}
		return nil, err
	}
	s.changed()
	return kept, nil
}

// ChaseEmail is a rendered chase email.
type ChaseEmail = chase.Email

// EmailTemplates is the email editor's data: the default template, one per
// job state where the practice wrote one, and the chase states' names.
type EmailTemplates struct {
	// Named fields, not an embedded chase.Templates: wails generate cannot
	// follow an embedded struct from another package (models.ts lost chase.Template).
	Default chase.Template            `json:"default"`
	ByState map[string]chase.Template `json:"byState"`
	States  []string                  `json:"states"`
}

// EmailPlaceholders lists what the editor's Insert menu offers.
func (s *ChaseService) EmailPlaceholders() []chase.Placeholder { return chase.Placeholders() }

// EmailTemplates reads the practice's chase email templates.
func (s *ChaseService) EmailTemplates() (EmailTemplates, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return EmailTemplates{}, err
	}
	defer done()
	ts, err := ch.EmailTemplates(ctx)
	if err != nil {
		return EmailTemplates{}, err
	}
	out := EmailTemplates{Default: ts.Default, ByState: ts.ByState, States: []string{}}
	states, err := ch.States(ctx)
	if err != nil {
		return out, err
	}
	for _, m := range states {
		if m.Chase && m.Present {
			out.States = append(out.States, m.Name)
		}
	}
	return out, nil
}

// SaveEmailTemplate stores the template for a job state ("" = the default);
// an empty subject and body removes a state's own template (or resets the
// default to chase.md's).
func (s *ChaseService) SaveEmailTemplate(state, subject, body string) error {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return err
	}
	defer done()
	if err := ch.SaveEmailTemplate(ctx, state, chase.Template{Subject: subject, Body: body}); err != nil {
		return err
	}
	s.changed()
	return nil
}

// practiceName is the name that signs the emails: the organisation's.
func practiceName(ctx context.Context, sess *core.Session) string {
	if c, err := sess.Choice(ctx); err == nil && len(c.Orgs) > 0 {
		return c.Orgs[0].Name
	}
	return ""
}

// PreviewEmail renders unsaved template text for a client on the list (""
// = the first client), for the editor's live preview.
func (s *ChaseService) PreviewEmail(clientKey, state, subject, body string) (ChaseEmail, error) {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return ChaseEmail{}, err
	}
	defer done()
	all, _, err := s.rows(ctx, ch)
	if err != nil {
		return ChaseEmail{}, err
	}
	rows := chase.Select(all, chase.Query{Sort: chase.SortDue}, time.Now())
	if strings.TrimSpace(clientKey) == "" {
		for _, r := range rows {
			if state == "" || strings.EqualFold(r.State, state) {
				clientKey = r.ClientKey
				break
			}
		}
	}
	mine := chase.ClientRows(rows, clientKey)
	if len(mine) == 0 {
		return ChaseEmail{}, &InputError{Field: "client", Message: "Nobody on the chase list to preview the email for."}
	}
	return chase.RenderEmail(chase.Template{Subject: subject, Body: body}, mine, practiceName(ctx, sess))
}

// ChaseEmail renders the chase email for a client from the saved template
// of its first job's state, listing its jobs and the documents needed.
func (s *ChaseService) ChaseEmail(clientKey string) (ChaseEmail, error) {
	es, err := s.EmailsFor([]string{clientKey})
	if err != nil {
		return ChaseEmail{}, err
	}
	if len(es) == 0 {
		return ChaseEmail{}, &InputError{Field: "client", Message: "This client is no longer on the chase list."}
	}
	return es[0], nil
}

// EmailsFor renders the chase email of each client (in the order given);
// clients no longer on the list are left out.
func (s *ChaseService) EmailsFor(clientKeys []string) ([]ChaseEmail, error) {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	all, _, err := s.rows(ctx, ch)
	if err != nil {
		return nil, err
	}
	ts, err := ch.EmailTemplates(ctx)
	if err != nil {
		return nil, err
	}
	// Only the chosen clients' rows are sorted: one email is instant.
	want := map[string]bool{}
	for _, k := range clientKeys {
		want[strings.ToLower(strings.TrimSpace(k))] = true
	}
	var mine []chase.Row
	for _, r := range all {
		if want[strings.ToLower(r.ClientKey)] {
			mine = append(mine, r)
		}
	}
	byClient := map[string][]chase.Row{}
	for _, r := range chase.Select(mine, chase.Query{Sort: chase.SortDue}, time.Now()) {
		k := strings.ToLower(r.ClientKey)
		byClient[k] = append(byClient[k], r)
	}
	practice := practiceName(ctx, sess)
	out := []ChaseEmail{}
	for _, k := range clientKeys {
		mine := byClient[strings.ToLower(strings.TrimSpace(k))]
		if len(mine) == 0 {
			continue
		}
		e, err := chase.RenderEmail(ts.For(mine[0].State), mine, practice)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// ExportMarkdown asks where to save the chase list as Markdown (chase.md)
// and writes it; "" means the user cancelled.
func (s *ChaseService) ExportMarkdown() (string, error) {
	return s.exportDialog("chase.md", "Markdown (*.md)", "*.md", s.exportMarkdownTo)
}

// ExportCSV asks where to save the chase list as CSV and writes it.
func (s *ChaseService) ExportCSV() (string, error) {
	name := "chase-list-" + time.Now().Format(time.DateOnly) + ".csv"
	return s.exportDialog(name, "CSV (*.csv)", "*.csv", s.exportCSVTo)
}

func (s *ChaseService) exportDialog(name, label, pattern string, write func(string) error) (string, error) {
	if err := s.app.running(); err != nil {
		return "", err
	}
	path, err := s.app.saveDialog(wruntime.SaveDialogOptions{
		DefaultFilename: name,
		Title:           "Save the chase list",
		Filters:         []wruntime.FileFilter{{DisplayName: label, Pattern: pattern}},
	})
	if err != nil || path == "" {
		return "", err
	}
	if err := write(path); err != nil {
		return "", err
	}
	return path, nil
}

// exportMarkdownTo writes the chase list as Markdown to path. Unexported, as
// exportCSVTo: only a path from saveDialog is ever written.
func (s *ChaseService) exportMarkdownTo(path string) error {
	return s.exportTo(path, func(ctx context.Context, ch *chase.Service, f *os.File) error { return ch.ExportMarkdown(ctx, f) })
}

// exportCSVTo writes the chase list as CSV to path.
func (s *ChaseService) exportCSVTo(path string) error {
	return s.exportTo(path, func(ctx context.Context, ch *chase.Service, f *os.File) error { return ch.ExportCSV(ctx, f) })
}

// ExportSelectionCSV asks where to save the chosen clients' rows as CSV.
func (s *ChaseService) ExportSelectionCSV(clientKeys []string) (string, error) {
	name := "chase-selection-" + time.Now().Format(time.DateOnly) + ".csv"
	return s.exportDialog(name, "CSV (*.csv)", "*.csv", func(path string) error { return s.exportSelectionCSVTo(clientKeys, path) })
}

// exportSelectionCSVTo writes the chosen clients' rows as CSV to path.
func (s *ChaseService) exportSelectionCSVTo(clientKeys []string, path string) error {
	return s.exportTo(path, func(ctx context.Context, ch *chase.Service, f *os.File) error {
		rows, err := s.selection(ctx, ch, clientKeys)
		if err != nil {
			return err
		}
		return chase.WriteCSV(f, rows)
	})
}

// exportSelectionMarkdownTo writes the chosen clients' rows as chase.md to path.
func (s *ChaseService) exportSelectionMarkdownTo(clientKeys []string, path string) error {
	return s.exportTo(path, func(ctx context.Context, ch *chase.Service, f *os.File) error {
		rows, err := s.selection(ctx, ch, clientKeys)
		if err != nil {
			return err
		}
		return ch.WriteMarkdown(ctx, f, rows)
	})
}

// exportTo writes through a temporary file in the same folder, so a failed
// export never leaves half a file where the old one was.
func (s *ChaseService) exportTo(path string, write func(context.Context, *chase.Service, *os.File) error) error {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return err
	}
	defer done()
	if strings.TrimSpace(path) == "" {
		return &InputError{Field: "file", Message: "Choose where to save the chase list."}
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".chase-export-*")
	if err != nil {
		return fmt.Errorf("export chase list to %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if err := write(ctx, ch, f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export chase list to %s: %w", path, err)
	}
	// Rename replaces an existing file on every OS; should it still fail
	// (on Windows, the old file held open elsewhere), remove it and try once more.
	if err := os.Rename(tmp, path); err != nil {
		if rerr := os.Remove(path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			return fmt.Errorf("export chase list to %s: %w", path, err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("export chase list to %s: %w", path, err)
		}
	}
	return nil
}

// SuggestStateMove lists the jobs to offer moving on now that documents
// arrived for contactID. Nothing moves until ApplyStateMove.
func (s *ChaseService) SuggestStateMove(contactID string) ([]chase.Suggestion, error) {
	ctx, _, ch, done, err := s.chase()
	if err != nil {
		return nil, err
	}
	defer done()
	gs, err := ch.SuggestStateMove(ctx, contactID)
	if gs == nil {
		gs = []chase.Suggestion{}
	}
	return gs, err
}

// ApplyStateMove moves job jobID in XPM to the state called toState, with
// the Interface Code chase.md has for it (never one typed at the move). The
// UI calls it only after the person pressed Move. A refusal says in words
// what happened and what to do.
func (s *ChaseService) ApplyStateMove(jobID, toState string) error {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return err
	}
	defer done()
	c, err := sess.Choice(ctx)
	if err != nil {
		return err
	}
	if c.Practice == nil {
		return ErrNoPractice
	}
	code, err := ch.StateCode(ctx, toState)
	if err != nil {
		return &InputError{Field: "state", Message: fmt.Sprintf("Practice Manager has no state called “%s”. Sync again and choose another.", toState)}
	}
	if code == "" {
		return ErrNoInterfaceCode
	}
	err = ch.ApplyStateMove(ctx, sess.XPM(c.Practice.ID), jobID, code)
	if errors.Is(err, xpm.ErrNoAccess) {
		// Reading XPM was allowed (the job is listed): changing it was not.
		if on, _ := sess.AsksToMoveJobs(ctx); !on {
			return &UIError{Code: "xpm_read_only", Message: "The job was not moved: chase.md may read jobs in Practice Manager but not change them. " +
				"Turn on “Move jobs in Practice Manager” in Settings, then sign in again — or move the job in XPM yourself."}
		}
		return &UIError{Code: "xpm_read_only", Message: "The job was not moved: Xero did not give chase.md permission to change jobs. " +
			"Sign in again and allow chase.md to manage jobs — or move the job in XPM yourself."}
	}
	if err != nil {
		return err
	}
	s.changed()
	return nil
}

// SyncNow asks for an XPM sync; practice:sync events report it.
func (s *ChaseService) SyncNow() error {
	ctx, sess, done, err := s.app.backend()
	if err != nil {
		return err
	}
	defer done()
	c, err := sess.Choice(ctx)
	if err != nil {
		return err
	}
	if c.Practice == nil {
		return ErrNoPractice
	}
	sess.SyncPracticeNow()
	return nil
}
