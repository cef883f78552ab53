package chase

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Row sources.
const (
	SourceXPM    = "xpm"    // a job in a chase state
	SourceManual = "manual" // a contact marked "chase" by hand
)

// Row is one line of the chase list: one job waiting on a client, or one
// hand-marked client.
type Row struct {
	// ClientKey identifies the client for MarkChased and ChaseEmail: the XPM
	// client UUID, or the contact ID of a hand-marked client.
	ClientKey    string    `json:"clientKey"`
	ClientName   string    `json:"clientName"`
	ContactID    string    `json:"contactId,omitempty"` // linked Xero contact ("" = not linked)
	ContactName  string    `json:"contactName,omitempty"`
	LinkStatus   string    `json:"linkStatus,omitempty"`
	Person       string    `json:"person,omitempty"` // whom to greet: the client's first name or primary contact person
	JobID        string    `json:"jobId,omitempty"`
	JobName      string    `json:"jobName,omitempty"`
	State        string    `json:"state"`
	StartDate    time.Time `json:"startDate"`    // the job's start date in XPM; zero = none
	DueDate      time.Time `json:"dueDate"`      // zero = none
	WaitingSince time.Time `json:"waitingSince"` // first seen in this state (or marked)
	// AgeDays is how long the client has kept us waiting, counted from
	// AgeBasis (BasisWaiting, BasisStart, BasisSeen, BasisMarked); AgeLabel
	// says it in words ("12 days since start"). DaysWaiting is the same figure.
	AgeDays     int    `json:"ageDays"`
	AgeBasis    string `json:"ageBasis"`
	AgeLabel    string `json:"ageLabel"`
	DaysWaiting int    `json:"daysWaiting"`
	// OverdueDays is how many days the due date is past (0 = not overdue);
	// DueLabel says it in words ("3 days overdue", "due in 4 days").
	OverdueDays int       `json:"overdueDays"`
	DueLabel    string    `json:"dueLabel"`
	DocsNeeded  []string  `json:"docsNeeded"` // the job's "documents needed" list`
	Email       string    `json:"email,omitempty"`
	Phone       string    `json:"phone,omitempty"`
	DocsSince   int       `json:"docsSince"` // documents received since WaitingSince
	LastChased  time.Time `json:"lastChased"`
	Source      string    `json:"source"`

	entered bool   // XPM source: a sync saw the job enter its state
	name    string // lower-cased client name, the sorts' tie-break
	hay     string // lower-cased text the filter searches
}

// Age bases: what a row's AgeDays counts from.
const (
	BasisWaiting = "waiting" // chase.md saw the job enter its state
	BasisStart   = "start"   // the job's start date (it was already waiting when first seen)
	BasisSeen    = "seen"    // first seen waiting by chase.md (XPM gave no start date)
	BasisMarked  = "marked"  // a hand-marked client, since the mark
)

// Sort keys.
const (
	SortClient  = "client"
	SortDue     = "due"
	SortWaiting = "waiting" // longest waiting first
	SortState   = "state"
	SortChased  = "chased" // never or least recently chased first
	SortDocs    = "docs"
	// SortNudge (the default) puts first the clients who most need a nudge:
	// overdue first (most overdue first), then the longest waiting.
	SortNudge = "nudge"
)

// Filter narrows the chase list.
type Filter struct {
	Text        string // part of the client, contact, job, email or state
	State       string // one state's name
	OverdueOnly bool   // due date before today
	NoDocsOnly  bool   // nothing received since the chase began
}

// Query selects and orders the chase list.
type Query struct {
	Sort   string // SortNudge (default), SortClient, SortDue, SortWaiting, SortState, SortChased, SortDocs
	Desc   bool   // reverse the order
	Filter Filter
}

// List builds the chase list: every current job in a chase state (with its
// client's linked contact), and every contact marked "chase" by hand that
// has no such job.
func (s *Service) List(ctx context.Context, q Query) ([]Row, error) {
	rows, err := s.Build(ctx)
	if err != nil {
		return nil, err
	}
	return Select(rows, q, s.now()), nil
}

// Select filters and sorts rows (from Build) into a new slice; rows is not
// changed, so a cached build serves every query.
func Select(rows []Row, q Query, now time.Time) []Row {
	today := dayOf(now)
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		if keep(r, q.Filter, today) {
			out = append(out, r)
		}
	}
	sortRows(out, q.Sort, q.Desc)
	return out
}

// Build reads the whole chase list, unfiltered and in no set order, with
// its figures as of the service's clock. It is the costly part of List;
// the app keeps its result until something the list shows changes.
func (s *Service) Build(ctx context.Context) ([]Row, error) {
	db := s.db.SQL()
	now := s.now()
	rows, err := db.QueryContext(ctx, `
		SELECT j.client_uuid, COALESCE(NULLIF(c.name, ''), j.client_name), COALESCE(l.contact_id, ''), COALESCE(l.status, ''),
		       j.job_id, j.name, j.state, j.start_date, j.due_date, j.state_since, j.state_entered,
		       COALESCE(c.email, ''), COALESCE(c.phone, ''), COALESCE(c.contacts, '[]'), COALESCE(c.first_name, ''),
		       COALESCE(ct.name, ''), COALESCE(ct.email, ''), COALESCE(ct.phones, '[]'), COALESCE(ch.chased_at, 0)
		FROM xpm_jobs j
		JOIN xpm_states st ON st.tenant_id = j.tenant_id AND st.name_key = j.state_key AND st.chase = 1
		LEFT JOIN xpm_clients c ON c.tenant_id = j.tenant_id AND c.uuid = j.client_uuid
		LEFT JOIN chase_links l ON l.tenant_id = j.tenant_id AND l.client_uuid = j.client_uuid AND l.status IN ('auto', 'confirmed')
		LEFT JOIN contacts ct ON ct.tenant_id = j.tenant_id AND ct.contact_id = l.contact_id
		LEFT JOIN chase_chased ch ON ch.tenant_id = j.tenant_id AND ch.client_key = j.client_uuid
		WHERE j.tenant_id = ?`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: list: %w", err)
	}
	var out []Row
	onList := map[string]bool{}
	// A client has several jobs: decode its JSON details once.
	personOf := map[string]contactPerson{}
	phoneOf := map[string]string{}
	for rows.Next() {
		var r Row
		var start, due, persons, phones string
		var since, chased int64
		var xEmail, xPhone, cEmail, first string
		if err := rows.Scan(&r.ClientKey, &r.ClientName, &r.ContactID, &r.LinkStatus, &r.JobID, &r.JobName, &r.State, &start, &due, &since, &r.entered,
			&xEmail, &xPhone, &persons, &first, &r.ContactName, &cEmail, &phones, &chased); err != nil {
			rows.Close()
			return nil, fmt.Errorf("chase: list: %w", err)
		}
		r.Source, r.StartDate, r.DueDate, r.WaitingSince, r.LastChased = SourceXPM, parseDate(start), parseDate(due), fromMS(since), fromMS(chased)
		// The Xero contact's details first: that is where the practice keeps them current.
		pp, ok := personOf[r.ClientKey]
		if !ok {
			pp = primaryPerson(persons)
			personOf[r.ClientKey] = pp
		}
		ph, ok := phoneOf[r.ContactID]
		if !ok {
			ph = contactPhone(phones)
			phoneOf[r.ContactID] = ph
		}
		r.Email = firstNonEmpty(cEmail, xEmail, pp.Email)
		r.Phone = firstNonEmpty(ph, xPhone, pp.Phone, pp.Mobile)
		r.Person = firstNonEmpty(first, pp.Name)
		if r.ContactID != "" {
			onList[r.ContactID] = true
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chase: list: %w", err)
	}

	manual, err := db.QueryContext(ctx, `
		SELECT m.contact_id, COALESCE(ct.name, ''), COALESCE(ct.email, ''), COALESCE(ct.phones, '[]'), m.marked_at, COALESCE(ch.chased_at, 0)
		FROM chase_marks m
		LEFT JOIN contacts ct ON ct.tenant_id = m.tenant_id AND ct.contact_id = m.contact_id
		LEFT JOIN chase_chased ch ON ch.tenant_id = m.tenant_id AND ch.client_key = m.contact_id
		WHERE m.tenant_id = ?`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: list marked: %w", err)
	}
	for manual.Next() {
		var r Row
		var phones string
		var marked, chased int64
		if err := manual.Scan(&r.ContactID, &r.ContactName, &r.Email, &phones, &marked, &chased); err != nil {
			manual.Close()
			return nil, fmt.Errorf("chase: list marked: %w", err)
		}
		if onList[r.ContactID] {
			continue
		}
		r.ClientKey, r.ClientName, r.State, r.Source = r.ContactID, r.ContactName, "Marked for chase", SourceManual
		r.WaitingSince, r.LastChased, r.Phone = fromMS(marked), fromMS(chased), contactPhone(phones)
		out = append(out, r)
	}
	manual.Close()
	if err := manual.Err(); err != nil {
		return nil, fmt.Errorf("chase: list marked: %w", err)
	}

	// Documents received: chase.md's uploads and the contact's files in Xero
	// (RecordXeroFiles, RefreshXeroFiles).
	docs, err := s.docsByContact(ctx)
	if err != nil {
		return nil, err
	}
	needed, err := s.allDocsNeeded(ctx)
	if err != nil {
		return nil, err
	}
	today := dayOf(now)
	kept := out[:0]
	for _, r := range out {
		if s.handOnly && r.Source != SourceManual {
			continue
		}
		age(&r, today)
		if r.ContactID != "" {
			r.DocsSince = docsSince(docs[strings.ToLower(r.ContactID)], r.WaitingSince)
		}
		r.DocsNeeded = needed[r.JobID]
		if r.DocsNeeded == nil {
			r.DocsNeeded = []string{}
		}
		r.name, r.hay = strings.ToLower(r.ClientName), searchText(r)
		kept = append(kept, r)
	}
	return kept, nil
}

// age fills a row's ageing figures as of today. A job chase.md saw enter
// its state counts from then; one that was already waiting when first seen
// counts from its start date in XPM, which is the earliest it can have
// started waiting and, unlike the first sighting, means something on the
// first day.
func age(r *Row, today time.Time) {
	from := r.WaitingSince
	switch {
	case r.Source == SourceManual:
		r.AgeBasis = BasisMarked
	case r.entered:
		r.AgeBasis = BasisWaiting
	case !r.StartDate.IsZero() && (from.IsZero() || r.StartDate.Before(dayOf(from))):
		r.AgeBasis, from = BasisStart, r.StartDate
	default:
		r.AgeBasis = BasisSeen
	}
	if !from.IsZero() {
		r.AgeDays = max(0, days(dayOf(from), today))
	}
	r.DaysWaiting = r.AgeDays
	r.AgeLabel = ageLabel(r.AgeBasis, r.AgeDays)
	if !r.DueDate.IsZero() {
		d := days(r.DueDate, today)
		r.OverdueDays = max(0, d)
		r.DueLabel = dueLabel(d)
	}
}

func days(from, to time.Time) int { return int(to.Sub(from).Hours() / 24) }

func nDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func ageLabel(basis string, n int) string {
	switch basis {
	case BasisStart:
		if n == 0 {
			return "started today"
		}
		return nDays(n) + " since start"
	case BasisWaiting:
		if n == 0 {
			return "waiting since today"
		}
		return "waiting " + nDays(n)
	case BasisMarked:
		if n == 0 {
			return "marked today"
		}
		return "marked " + nDays(n) + " ago"
	}
	if n == 0 {
		return "first seen today"
	}
	return "first seen " + nDays(n) + " ago"
}

// dueLabel words a due date that is late days past today (negative: ahead).
func dueLabel(late int) string {
	switch {
	case late > 0:
		return nDays(late) + " overdue"
	case late == 0:
		return "due today"
	}
	return "due in " + nDays(-late)
}

func keep(r Row, f Filter, today time.Time) bool {
	if f.State != "" && !strings.EqualFold(r.State, strings.TrimSpace(f.State)) {
		return false
	}
	if f.OverdueOnly && (r.DueDate.IsZero() || !r.DueDate.Before(today)) {
		return false
	}
	if f.NoDocsOnly && r.DocsSince > 0 {
		return false
	}
	if t := strings.ToLower(strings.TrimSpace(f.Text)); t != "" {
		hay := r.hay
		if hay == "" {
			hay = searchText(r)
		}
		if !strings.Contains(hay, t) {
			return false
		}
	}
	return true
}

func searchText(r Row) string {
	return strings.ToLower(strings.Join([]string{r.ClientName, r.ContactName, r.JobID, r.JobName, r.State, r.Email}, "\x00"))
}

func sortRows(rs []Row, by string, desc bool) {
	less := func(a, b *Row) int {
		switch by {
		case SortDue:
			// Undated jobs last.
			if a.DueDate.IsZero() != b.DueDate.IsZero() {
				return boolCmp(a.DueDate.IsZero(), b.DueDate.IsZero())
			}
			return a.DueDate.Compare(b.DueDate)
		case SortWaiting:
			return b.AgeDays - a.AgeDays
		case SortNudge, "":
			if a.OverdueDays != b.OverdueDays {
				return b.OverdueDays - a.OverdueDays
			}
			return b.AgeDays - a.AgeDays
		case SortClient:
			return 0
		case SortState:
			return strings.Compare(strings.ToLower(a.State), strings.ToLower(b.State))
		case SortChased:
			return a.LastChased.Compare(b.LastChased)
		case SortDocs:
			return b.DocsSince - a.DocsSince
		}
		return 0
	}
	for i := range rs {
		if rs[i].name == "" {
			rs[i].name = strings.ToLower(rs[i].ClientName)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := &rs[i], &rs[j]
		c := less(a, b)
		if desc {
			c = -c
		}
		if c != 0 {
			return c < 0
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.JobID < b.JobID
	})
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func primaryPerson(js string) contactPerson {
	var ps []contactPerson
	if json.Unmarshal([]byte(js), &ps) != nil || len(ps) == 0 {
		return contactPerson{}
	}
	for _, p := range ps {
		if p.Primary {
			return p
		}
	}
	return ps[0]
}

// contactPhone renders a Xero contact's phone (store's JSON), the default
// number first, then the mobile.
func contactPhone(js string) string {
	var ps []struct{ Type, Number, AreaCode, CountryCode string }
	if json.Unmarshal([]byte(js), &ps) != nil {
		return ""
	}
	pick := func(typ string) string {
		for _, p := range ps {
			if strings.EqualFold(p.Type, typ) && strings.TrimSpace(p.Number) != "" {
				return strings.Join(strings.Fields(p.CountryCode+" "+p.AreaCode+" "+p.Number), " ")
			}
		}
		return ""
	}
	return firstNonEmpty(pick("DEFAULT"), pick("MOBILE"), pick("DDI"))
}

// MarkChased records that the client (a Row's ClientKey) was chased at when.
func (s *Service) MarkChased(ctx context.Context, clientKey string, when time.Time) error {
	key := strings.TrimSpace(clientKey)
	if key == "" {
		return fmt.Errorf("chase: mark chased: no client")
	}
	if when.IsZero() {
		when = s.now()
	}
	if _, err := s.db.SQL().ExecContext(ctx, `INSERT INTO chase_chased (tenant_id, client_key, chased_at) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, client_key) DO UPDATE SET chased_at = excluded.chased_at`, s.tenant, s.clientKey(ctx, key), ms(when)); err != nil {
		return fmt.Errorf("chase: mark chased %s: %w", clientKey, err)
	}
	return nil
}

// LastChased is when the contact (or the XPM client linked to it) was last
// chased; zero = never.
func (s *Service) LastChased(ctx context.Context, contactID string) (time.Time, error) {
	var at int64
	err := s.db.SQL().QueryRowContext(ctx, `SELECT COALESCE(MAX(chased_at), 0) FROM chase_chased WHERE tenant_id = ? AND (client_key = ? OR client_key IN (
		SELECT client_uuid FROM chase_links WHERE tenant_id = ? AND contact_id = ? AND status IN ('auto', 'confirmed')))`,
		s.tenant, contactID, s.tenant, contactID).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("chase: last chased %s: %w", contactID, err)
	}
	return fromMS(at), nil
}

// clientKey lower-cases XPM UUIDs (as stored) and leaves contact IDs alone.
func (s *Service) clientKey(ctx context.Context, key string) string {
	var n int
	if err := s.db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM xpm_clients WHERE tenant_id = ? AND uuid = ?`, s.tenant, normUUID(key)).Scan(&n); err == nil && n > 0 {
		return normUUID(key)
	}
	return key
}

// MarkForChase puts a contact on the chase list by hand (on) or takes it
// off. It is how the list is built without XPM.
func (s *Service) MarkForChase(ctx context.Context, contactID string, on bool) error {
	var err error
	if on {
		_, err = s.db.SQL().ExecContext(ctx, `INSERT INTO chase_marks (tenant_id, contact_id, marked_at) VALUES (?, ?, ?)
			ON CONFLICT (tenant_id, contact_id) DO NOTHING`, s.tenant, contactID, ms(s.now()))
	} else {
		_, err = s.db.SQL().ExecContext(ctx, `DELETE FROM chase_marks WHERE tenant_id = ? AND contact_id = ?`, s.tenant, contactID)
	}
	if err != nil {
		return fmt.Errorf("chase: mark %s for chase: %w", contactID, err)
	}
	return nil
}
