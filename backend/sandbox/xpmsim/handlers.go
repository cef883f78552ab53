package xpmsim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	defaultPageSize = 50 // the spec's default for client.api/paged-list
	maxPageSize     = 500
	maxBody         = 64 << 10
)

// apiError is a method-level failure: XPM reports it as HTTP 200 with
// <Status>ERROR</Status> and desc as <ErrorDescription>, not as an HTTP status.
type apiError struct{ desc string }

var _ error = (*apiError)(nil)

func (e *apiError) Error() string { return e.desc }

func errorf(format string, args ...any) error { return &apiError{desc: fmt.Sprintf(format, args...)} }

// ServeHTTP answers one XPM v3.1 request. r.URL.Path is relative to
// /practicemanager/3.1 ("/job.api/current"); the query is intact.
func (p *Practice) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := route(r.Method, r.URL.Path)
	if ok && rt.area == "jobstate" && p.disableStates {
		ok = false
	}
	if !ok {
		p.notFound(w, r)
		return
	}
	asJSON := p.wantsJSON(r)
	var kids []node
	var err error
	switch rt.area + " " + rt.op {
	case "jobstate list":
		kids = p.jobStateList()
	case "job current":
		kids = p.jobCurrent(r.URL.Query())
	case "job list":
		kids, err = p.jobList(r.URL.Query())
	case "job get":
		kids, err = p.jobGet(rt.arg)
	case "job client":
		kids, err = p.jobClient(rt.arg, r.URL.Query())
	case "job state":
		kids, err = p.jobState(r)
	case "client list":
		kids, err = p.clientList(r.URL.Query())
	case "client paged-list":
		kids, err = p.clientPagedList(r)
	case "client get":
		kids, err = p.clientGet(rt.arg)
	}
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		kids = []node{text("Status", "ERROR"), text("ErrorDescription", ae.desc)}
	} else {
		kids = append([]node{text("Status", "OK")}, kids...)
	}
	write(w, r, rt.method, kids, asJSON)
}

// notFound answers a method XPM does not have. The documentation pages do
// not list jobstate.api/list at all and describe the 200 ERROR envelope only
// for failures of methods that exist (bad parameters, unknown records); a
// path the API does not route is refused before any method runs, so the
// sandbox answers it as a plain 404 with no XPM envelope. Clients should
// treat a 404 here (and, defensively, an ERROR envelope) as "not available".
func (p *Practice) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPut} {
		if rt, ok := route(m, r.URL.Path); ok && !(rt.area == "jobstate" && p.disableStates) {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 { // the method exists, the verb does not
		w.Header().Set("Allow", strings.Join(allow, ", "))
		http.Error(w, "The requested resource does not support http method '"+r.Method+"'.", http.StatusMethodNotAllowed)
		return
	}
	http.Error(w, "Not Found", http.StatusNotFound)
}

// wantsJSON: XML unless the caller opted into the withdrawn spec's strict
// content negotiation (Xero-Features: practice-strict-content-type) and
// accepts JSON, or a test forced a format.
func (p *Practice) wantsJSON(r *http.Request) bool {
	p.mu.RLock()
	force := p.forceJSON
	p.mu.RUnlock()
	if force {
		return true
	}
	strict := false
	for _, v := range r.Header.Values("Xero-Features") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "practice-strict-content-type") {
				strict = true
			}
		}
	}
	if !strict {
		return false
	}
	accept := strings.ToLower(r.Header.Get("Accept"))
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "xml")
}

// bufPool keeps response buffers: a 5,000-job answer is megabytes, and
// growing a fresh slice for each one dominated the allocations.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

func write(w http.ResponseWriter, r *http.Request, method string, kids []node, asJSON bool) {
	bp := bufPool.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 16<<20 { // do not pin outsized buffers
			bufPool.Put(bp)
		}
	}()
	b := (*bp)[:0]
	if asJSON {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		b = renderJSON(b, kids)
	} else {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		b = renderXML(b, method, kids)
	}
	*bp = b
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

// --- job states ---

func (p *Practice) jobStateList() []node {
	p.mu.RLock()
	defer p.mu.RUnlock()
	items := make([]node, len(p.states))
	for i, s := range p.states {
		// NamedEntityDto in the spec: UUID and Name only, no interface code.
		items[i] = obj("JobState", text("UUID", s.UUID), text("Name", s.Name))
	}
	return []node{list("JobStates", items)}
}

// --- jobs ---

func detailed(q url.Values) bool {
	v := q.Get("detailed")
	return strings.EqualFold(v, "true") || v == "1"
}

func (p *Practice) jobCurrent(q url.Values) []node {
	d := detailed(q)
	p.mu.RLock()
	defer p.mu.RUnlock()
	items := make([]node, 0, len(p.jobs))
	for _, j := range p.jobs {
		if s := p.stateByCode(j.StateCode); s != nil && s.Completed {
			continue
		}
		items = append(items, p.jobNode(j, d))
	}
	return []node{list("Jobs", items)}
}

func parseDay(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, errorf("The %s parameter is required (format yyyyMMdd)", name)
	}
	t, err := time.Parse("20060102", v)
	if err != nil {
		return time.Time{}, errorf("Invalid %s date %q (format yyyyMMdd)", name, v)
	}
	return t, nil
}

func (p *Practice) jobList(q url.Values) ([]node, error) {
	from, err := parseDay("from", q.Get("from"))
	if err != nil {
		return nil, err
	}
	to, err := parseDay("to", q.Get("to"))
	if err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, errorf("The to date must not be before the from date")
	}
	if to.After(from.AddDate(1, 0, 0)) {
		return nil, errorf("The date range must not be more than one year")
	}
	end := to.AddDate(0, 0, 1)
	d := detailed(q)
	p.mu.RLock()
	defer p.mu.RUnlock()
	var items []node
	for _, j := range p.jobs {
		if !j.StartDate.Before(from) && j.StartDate.Before(end) {
			items = append(items, p.jobNode(j, d))
		}
	}
	return []node{list("Jobs", items)}, nil
}

func (p *Practice) jobGet(id string) ([]node, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	j := p.jobByID[strings.ToUpper(id)]
	if j == nil {
		return nil, errorf("Job %s not found", id)
	}
	return p.jobResponse(j), nil
}

func (p *Practice) jobResponse(j *Job) []node {
	web := "https://app.practicemanager.xero.com/job/jobview.aspx?id=" + url.QueryEscape(j.ID)
	n := p.jobNode(j, true)
	n.kids = append(n.kids, jsonOnly(text("WebUrl", web)))
	return []node{xmlOnly(text("WebUrl", web)), n}
}

func (p *Practice) jobClient(id string, q url.Values) ([]node, error) {
	d := detailed(q)
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.clientByUUID[strings.ToLower(id)] == nil {
		return nil, errorf("Client %s not found", id)
	}
	js := p.jobsByClient[strings.ToLower(id)]
	items := make([]node, 0, len(js))
	for _, j := range js {
		items = append(items, p.jobNode(j, d))
	}
	return []node{list("Jobs", items)}, nil
}

// stateRequest is the PUT job.api/state body: <Job><ID/><UUID/><State/></Job>
// (the documented example carries both ID and UUID), or the spec's JSON.
type stateRequest struct {
	XMLName xml.Name `xml:"Job"`
	ID      string   `xml:"ID" json:"id"`
	UUID    string   `xml:"UUID" json:"uuid"`
	State   string   `xml:"State" json:"state"`
}

func (p *Practice) jobState(r *http.Request) ([]node, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, errorf("Could not read the request body")
	}
	if len(body) > maxBody {
		return nil, errorf("The request body is too large")
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var req stateRequest
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		err = json.Unmarshal(trimmed, &req)
	} else {
		err = xml.Unmarshal(trimmed, &req)
	}
	if err != nil || len(trimmed) == 0 {
		return nil, errorf("Invalid request body: expected <Job><ID>…</ID><State>…</State></Job>")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	id := strings.TrimSpace(req.ID)
	if id == "" && req.UUID != "" {
		for _, j := range p.jobs {
			if strings.EqualFold(j.UUID, strings.TrimSpace(req.UUID)) {
				id = j.ID
				break
			}
		}
	}
	if id == "" {
		return nil, errorf("The job ID is required")
	}
	if strings.TrimSpace(req.State) == "" {
		return nil, errorf("The job state is required")
	}
	j, err := p.setJobStateLocked(id, req.State)
	if err != nil {
		return nil, err
	}
	return []node{p.jobNode(j, false)}, nil
}

// jobNode renders a job in the element order of job.api-get.xml; detailed
// adds Tasks, Milestones and Notes. Callers hold p.mu.
func (p *Practice) jobNode(j *Job, detailed bool) node {
	stateName := j.StateCode
	if s := p.stateByCode(j.StateCode); s != nil {
		stateName = s.Name
	}
	clientName := ""
	if c := p.clientByUUID[strings.ToLower(j.ClientUUID)]; c != nil {
		clientName = c.Name
	}
	kids := make([]node, 0, 20)
	kids = append(kids,
		text("ID", j.ID),
		text("UUID", j.UUID),
		text("Name", j.Name),
		text("Description", j.Description),
		text("State", stateName),
		text("ClientOrderNumber", ""),
		num("Budget", strconv.FormatFloat(j.Budget, 'f', 2, 64)),
		text("Type", j.Type),
		text("StartDate", fmtTime(j.StartDate)),
		text("DueDate", fmtTime(j.DueDate)),
	)
	kids = append(kids, cond(!j.CompletedDate.IsZero(), text("CompletedDate", fmtTime(j.CompletedDate)))...)
	kids = append(kids, party("Client", j.ClientUUID, clientName))
	kids = append(kids, cond(j.ContactUUID != "", party("Contact", j.ContactUUID, j.ContactName))...)
	kids = append(kids, cond(j.Manager.UUID != "", party("Manager", j.Manager.UUID, j.Manager.Name))...)
	kids = append(kids, cond(j.Partner.UUID != "", party("Partner", j.Partner.UUID, j.Partner.Name))...)
	staff := make([]node, len(j.Assigned))
	for i, s := range j.Assigned {
		staff[i] = party("Staff", s.UUID, s.Name)
	}
	kids = append(kids, list("Assigned", staff))
	if detailed {
		tasks := make([]node, len(j.Tasks))
		for i, t := range j.Tasks {
			tk := []node{
				text("UUID", t.UUID), text("TaskUUID", t.TaskUUID), text("Name", t.Name), text("Description", ""),
				num("EstimatedMinutes", strconv.Itoa(t.EstimatedMinutes)), num("ActualMinutes", strconv.Itoa(t.ActualMinutes)),
				boolean("Completed", t.Completed), boolean("Billable", t.Billable), text("Folder", ""),
			}
			if !t.StartDate.IsZero() { // only scheduled tasks carry dates and allocations
				var alloc []node
				if len(j.Assigned) > 0 {
					a := j.Assigned[0]
					alloc = []node{obj("Staff", text("UUID", a.UUID), text("Name", a.Name),
						num("AllocatedMinutes", strconv.Itoa(t.EstimatedMinutes)))}
				}
				tk = append(tk, text("StartDate", fmtTime(t.StartDate)), text("DueDate", fmtTime(t.DueDate)), list("Assigned", alloc))
			}
			tasks[i] = obj("Task", tk...)
		}
		kids = append(kids, list("Tasks", tasks),
			list("Milestones", []node{obj("Milestone",
				text("UUID", derivedUUID(j.UUID, "milestone")),
				text("Date", fmtTime(j.DueDate.AddDate(0, 0, -7))),
				text("Description", "Records due from client"),
				boolean("Completed", !j.CompletedDate.IsZero()),
				text("Folder", ""))}),
			list("Notes", nil))
	}
	return obj("Job", kids...)
}

// --- clients ---

func (p *Practice) clientList(q url.Values) ([]node, error) {
	var since time.Time
	if v := queryFold(q, "modifiedsince"); v != "" {
		var err error
		if since, err = parseModifiedSince(v); err != nil {
			return nil, err
		}
	}
	d := detailed(q)
	p.mu.RLock()
	defer p.mu.RUnlock()
	cs := p.sortedClients()
	items := make([]node, 0, len(cs))
	for _, c := range cs {
		if !since.IsZero() && !c.Modified.After(since) {
			continue
		}
		items = append(items, p.clientNode(c, true, d))
	}
	return []node{list("Clients", items)}, nil
}

// queryFold reads a query parameter whose name XPM matches without regard to
// case (the README writes modifiedsince, the spec modifiedSince).
func queryFold(q url.Values, name string) string {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func parseModifiedSince(v string) (time.Time, error) {
	for _, layout := range []string{xpmTime, "2006-01-02T15:04", "2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errorf("Invalid modifiedsince %q (format yyyy-MM-ddTHH:mm:ss)", v)
}

func (p *Practice) clientGet(id string) ([]node, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	c := p.clientByUUID[strings.ToLower(id)]
	if c == nil {
		return nil, errorf("Client %s not found", id)
	}
	return []node{p.clientNode(c, true, true)}, nil
}

// pageToken is opaque to clients; it holds the sort key of the last client
// sent, so pages stay without gaps or duplicates while clients change.
func encodeToken(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1\x00" + key))
}

func decodeToken(tok string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(tok, "="))
	if err != nil {
		return "", false
	}
	key, ok := strings.CutPrefix(string(b), "v1\x00")
	return key, ok
}

func (p *Practice) clientPagedList(r *http.Request) ([]node, error) {
	q := r.URL.Query()
	size := defaultPageSize
	if v := queryFold(q, "pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return nil, errorf("pageSize must be between 1 and %d", maxPageSize)
		}
		size = n
	}
	after := ""
	if tok := queryFold(q, "pageToken"); tok != "" {
		k, ok := decodeToken(tok)
		if !ok {
			return nil, errorf("Invalid pageToken")
		}
		after = k
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	cs := p.sortedClients()
	// Archived and deleted clients are not in the paged list (spec summary).
	i := 0
	if after != "" {
		i = sort.Search(len(cs), func(i int) bool { return cs[i].sortKey() > after })
	}
	items := make([]node, 0, size)
	last := ""
	for ; i < len(cs) && len(items) < size; i++ {
		if cs[i].IsArchived {
			continue
		}
		items = append(items, p.clientNode(cs[i], false, false))
		last = cs[i].sortKey()
	}
	more := false
	for ; i < len(cs); i++ {
		if !cs[i].IsArchived {
			more = true
			break
		}
	}
	base := selfURL(r)
	links := []node{text("First", fmt.Sprintf("%s?pageSize=%d", base, size))}
	if more {
		links = append(links, text("Next", fmt.Sprintf("%s?pageToken=%s&pageSize=%d", base, encodeToken(last), size)))
	}
	return []node{list("Clients", items), obj("Pagination", obj("Links", links...))}, nil
}

// selfURL is the absolute URL of this route as the caller reached it, so a
// client that follows <Next> comes back through the core's prefix.
func selfURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if v := r.Header.Get("X-Forwarded-Proto"); v == "https" || v == "http" {
		scheme = v
	}
	rel := r.URL.Path
	full := rel
	if r.RequestURI != "" {
		if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
			full = u.Path
		}
	}
	if !strings.HasSuffix(full, rel) || full == rel {
		full = "/practicemanager/3.1/" + strings.TrimPrefix(rel, "/")
	}
	host := r.Host
	if host == "" {
		host = "api.xero.com"
	}
	return scheme + "://" + host + full
}

// clientNode renders a client in the element order of client.api-list.xml.
// Paged lists send ClientBaseDto (no Contacts); detailed adds Notes and
// Groups. Callers hold p.mu.
func (p *Practice) clientNode(c *Client, withContacts, detailed bool) node {
	kids := make([]node, 0, 36)
	kids = append(kids, text("UUID", c.UUID), text("Name", c.Name))
	if c.IsPerson {
		kids = append(kids, text("Title", ""), text("Gender", ""),
			text("FirstName", c.FirstName), text("LastName", c.LastName), text("OtherName", ""))
	}
	kids = append(kids, text("Email", c.Email))
	if c.IsPerson {
		kids = append(kids, text("DateOfBirth", fmtTime(c.DateOfBirth)))
	}
	kids = append(kids,
		text("Address", ""), text("City", ""), text("Region", ""), text("PostCode", ""), text("Country", ""),
		text("PostalAddress", c.PostalAddress), text("PostalCity", c.PostalCity), text("PostalRegion", ""),
		text("PostalPostCode", c.PostalPostCode), text("PostalCountry", ""),
		text("Phone", c.Phone), text("Fax", ""), text("Website", ""), text("ReferralSource", ""),
		text("ExportCode", c.ExportCode),
		yesNo("IsProspect", c.IsProspect),
		yesNo("IsArchived", c.IsArchived),
		yesNo("IsDeleted", false),
	)
	kids = append(kids, cond(c.AccountManager.UUID != "", party("AccountManager", c.AccountManager.UUID, c.AccountManager.Name))...)
	kids = append(kids, clientType(c.TypeName))
	if withContacts {
		cs := make([]node, len(c.Contacts))
		for i, ct := range c.Contacts {
			cs[i] = obj("Contact", text("UUID", ct.UUID), text("Name", ct.Name), text("Salutation", firstWord(ct.Name)),
				text("Addressee", ct.Name), text("Mobile", ""), text("Email", ct.Email), text("Phone", ct.Phone),
				yesNo("IsDeleted", false), yesNo("IsPrimary", ct.IsPrimary), text("Position", ""))
		}
		kids = append(kids, list("Contacts", cs))
	}
	if b := p.clientByUUID[strings.ToLower(c.BillingClientUUID)]; c.BillingClientUUID != "" && b != nil {
		kids = append(kids, party("BillingClient", b.UUID, b.Name))
	}
	if detailed {
		kids = append(kids, list("Notes", nil), list("Groups", nil))
	}
	return obj("Client", kids...)
}

func clientType(name string) node {
	switch name {
	case "20th of Month":
		return obj("Type", text("Name", name), num("CostMarkup", "30.00"), text("PaymentTerm", "DayOfMonth"), num("PaymentDay", "20"))
	case "Within 14 Days":
		return obj("Type", text("Name", name), num("CostMarkup", "0.00"), text("PaymentTerm", "WithinDays"), num("PaymentDay", "14"))
	default:
		return obj("Type", text("Name", name), num("CostMarkup", "0.00"), text("PaymentTerm", "DayOfMonth"), num("PaymentDay", "1"))
	}
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return s
}

// derivedUUID makes a stable UUID for a sub-record (a milestone) from its
// owner's, so the practice need not store one per job.
func derivedUUID(owner, salt string) string {
	h := fnv.New128a()
	h.Write([]byte(owner))
	h.Write([]byte(salt))
	var s [16]byte
	h.Sum(s[:0])
	s[6] = s[6]&0x0f | 0x40
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}
