package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	contactsDefaultPageSize = 100
	contactsMaxPageSize     = 1000
)

// envelope is the Accounting API's response wrapper.
type envelope struct {
	ID           string      `json:"Id"`
	Status       string      `json:"Status"`
	ProviderName string      `json:"ProviderName"`
	DateTimeUTC  string      `json:"DateTimeUTC"`
	Pagination   *pagination `json:"pagination,omitempty"`
	Warnings     []warning   `json:"Warnings,omitempty"`
	Contacts     []*Contact  `json:"Contacts"`
}

type pagination struct {
	Page      int `json:"page"`
	PageSize  int `json:"pageSize"`
	PageCount int `json:"pageCount"`
	ItemCount int `json:"itemCount"`
}

type warning struct {
	Message string `json:"Message"`
}

func (s *Server) accounting(w http.ResponseWriter, r *http.Request, t *tenant, rel string) {
	parts := strings.Split(strings.Trim(rel, "/"), "/")
	if !strings.EqualFold(parts[0], "Contacts") || len(parts) > 2 {
		notFound(w)
		return
	}
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		s.listContacts(w, r, t)
	case len(parts) == 2 && r.Method == http.MethodGet:
		s.getContact(w, r, t, parts[1])
	case r.Method == http.MethodPost || r.Method == http.MethodPut:
		id := ""
		if len(parts) == 2 {
			id = parts[1]
		}
		s.writeContacts(w, r, t, id)
	default:
		// A method Xero does not have on Contacts: its error table's 501.
		writeRaw(w, http.StatusNotImplemented, "text/plain; charset=utf-8", []byte("The method has not been implemented"))
	}
}

func notFound(w http.ResponseWriter) {
	writeRaw(w, http.StatusNotFound, "text/plain; charset=utf-8", []byte("The resource you're looking for cannot be found"))
}

// apiException writes the Accounting API's 400 error body.
func apiException(w http.ResponseWriter, number int, typ, msg string, elements []map[string]any) {
	body := map[string]any{"ErrorNumber": number, "Type": typ, "Message": msg}
	if elements != nil {
		body["Elements"] = elements
	}
	writeJSON(w, http.StatusBadRequest, body)
}

func (s *Server) envelope(now time.Time, contacts []*Contact) envelope {
	if contacts == nil {
		contacts = []*Contact{}
	}
	return envelope{ID: s.newID(), Status: "OK", ProviderName: "chase.md sandbox",
		DateTimeUTC: fmt.Sprintf("/Date(%d)/", now.UnixMilli()), Contacts: contacts}
}

type orderKey struct {
	field string
	desc  bool
}

func parseOrder(src string) ([]orderKey, error) {
	var keys []orderKey
	for _, part := range strings.Split(src, ",") {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		k := orderKey{field: strings.ToLower(f[0])}
		if _, ok := contactFields[k.field]; !ok {
			return nil, fmt.Errorf("no property or field '%s' exists in type 'Contact'", f[0])
		}
		if len(f) > 1 {
			switch strings.ToUpper(f[1]) {
			case "DESC":
				k.desc = true
			case "ASC":
			default:
				return nil, fmt.Errorf("bad order direction %q", f[1])
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// sortContacts orders cs by keys, then ContactID for a stable paging
// order. Sort keys are computed once per contact, not per comparison.
func sortContacts(cs []*Contact, keys []orderKey) {
	type keyed struct {
		c    *Contact
		vals []value
	}
	ks := make([]keyed, len(cs))
	for i, c := range cs {
		vals := make([]value, len(keys))
		for j, k := range keys {
			v := contactFields[k.field](c)
			v.s = strings.ToLower(v.s)
			vals[j] = v
		}
		ks[i] = keyed{c, vals}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		for j, k := range keys {
			va, vb := a.vals[j], b.vals[j]
			var c int
			switch {
			case va.kind == vTime || vb.kind == vTime:
				c = va.t.Compare(vb.t)
			case va.kind == vBool || vb.kind == vBool:
				c = boolCmp(va.b, vb.b)
			default:
				c = strings.Compare(va.s, vb.s)
			}
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return strings.Compare(a.c.ContactID, b.c.ContactID)
	})
	for i := range ks {
		cs[i] = ks[i].c
	}
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func truthy(v string) bool {
	b, _ := strconv.ParseBool(v)
	return b
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request, t *tenant) {
	q := r.URL.Query()
	pred, err := parseWhere(q.Get("where"))
	if err != nil {
		apiException(w, 16, "QueryParseException", err.Error(), nil)
		return
	}
	order, err := parseOrder(q.Get("order"))
	if err != nil {
		apiException(w, 16, "QueryParseException", err.Error(), nil)
		return
	}
	if len(order) == 0 {
		order = []orderKey{{field: "name"}}
	}
	var ids map[string]bool
	for _, v := range q["IDs"] {
		for _, id := range strings.Split(v, ",") {
			if id = strings.ToLower(strings.Trim(strings.TrimSpace(id), `"`)); id != "" {
				if ids == nil {
					ids = map[string]bool{}
				}
				ids[id] = true
			}
		}
	}
	var since time.Time
	if h := r.Header.Get("If-Modified-Since"); h != "" {
		if since, err = parseLooseTime(h); err != nil {
			apiException(w, 14, "PostDataInvalidException", "If-Modified-Since: "+err.Error(), nil)
			return
		}
	}
	// Archived contacts only come back when asked for, by includeArchived,
	// by IDs, or by a where clause about the status.
	archived := truthy(q.Get("includeArchived")) || ids != nil ||
		strings.Contains(strings.ToLower(q.Get("where")), "contactstatus")
	term := strings.ToLower(strings.TrimSpace(q.Get("searchTerm")))

	s.mu.Lock()
	all := slices.Clone(t.order) // contacts are copy-on-write: the pointers stay valid
	s.mu.Unlock()
	var out []*Contact
	for _, c := range all {
		if (!archived && c.ContactStatus == "ARCHIVED") || (ids != nil && !ids[c.ContactID]) ||
			(!since.IsZero() && c.Updated.Before(since)) || !pred(c) {
			continue
		}
		if term != "" && !matchesTerm(c, term) {
			continue
		}
		out = append(out, c)
	}
	sortContacts(out, order)

	env := s.envelope(s.now(), nil)
	pageStr, sizeStr := q.Get("page"), q.Get("pageSize")
	if pageStr == "" && sizeStr == "" {
		env.Pagination = &pagination{Page: 1, PageSize: len(out), PageCount: min(1, len(out)), ItemCount: len(out)}
	} else {
		page, _ := strconv.Atoi(pageStr)
		page = max(page, 1)
		size := contactsDefaultPageSize
		if n, err := strconv.Atoi(sizeStr); err == nil && n > 0 {
			size = n
		}
		if size > contactsMaxPageSize {
			size = contactsMaxPageSize
			env.Warnings = append(env.Warnings, warning{Message: fmt.Sprintf("pageSize is limited to %d", contactsMaxPageSize)})
		}
		env.Pagination = &pagination{Page: page, PageSize: size, PageCount: (len(out) + size - 1) / size, ItemCount: len(out)}
		lo := min((page-1)*size, len(out))
		out = out[lo:min(lo+size, len(out))]
	}
	if !wantsJSON(r) {
		writeContactsXML(w, env, out, s.now())
		return
	}
	if truthy(q.Get("summaryOnly")) {
		for i, c := range out {
			out[i] = summary(c)
		}
		env.Contacts = out
		if env.Contacts == nil {
			env.Contacts = []*Contact{}
		}
		writeJSON(w, http.StatusOK, env)
		return
	}
	writeRaw(w, http.StatusOK, "application/json; charset=utf-8", t.envelopeJSON(env, out))
}

// envelopeJSON encodes env with cs as its Contacts, reusing each stored
// contact's cached encoding (contacts are copy-on-write, so a pointer
// names one version).
func (t *tenant) envelopeJSON(env envelope, cs []*Contact) []byte {
	env.Contacts = nil
	head, _ := json.Marshal(env)
	// head ends in `,"Contacts":null}`; replace the null with the array.
	head = head[:len(head)-len("null}")]
	size := len(head) + 2
	parts := make([][]byte, len(cs))
	for i, c := range cs {
		parts[i] = t.contactJSON(c)
		size += len(parts[i]) + 1
	}
	buf := make([]byte, 0, size)
	buf = append(buf, head...)
	buf = append(buf, '[')
	for i, p := range parts {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, p...)
	}
	return append(buf, ']', '}')
}

func (t *tenant) contactJSON(c *Contact) []byte {
	if b, ok := t.jsonCache.Load(c); ok {
		return b.([]byte)
	}
	b, _ := json.Marshal(c)
	t.jsonCache.Store(c, b)
	return b
}

func matchesTerm(c *Contact, term string) bool {
	for _, f := range []string{c.Name, c.FirstName, c.LastName, c.ContactNumber, c.EmailAddress} {
		if strings.Contains(strings.ToLower(f), term) {
			return true
		}
	}
	return false
}

// summary is the lightweight form summaryOnly=true returns: no addresses,
// phones, persons, groups or balances.
func summary(c *Contact) *Contact {
	out := *c
	out.Addresses, out.Phones, out.ContactPersons, out.Balances = nil, nil, nil, nil
	out.ContactGroups = []ContactGroup{}
	return &out
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request, t *tenant, key string) {
	s.mu.Lock()
	c := t.findContact(key)
	s.mu.Unlock()
	if c == nil {
		notFound(w)
		return
	}
	now := s.now()
	if !wantsJSON(r) {
		writeContactsXML(w, s.envelope(now, nil), []*Contact{c}, now)
		return
	}
	writeJSON(w, http.StatusOK, s.envelope(now, []*Contact{c}))
}

// findContact looks a contact up by ContactID or, failing that, ContactNumber.
func (t *tenant) findContact(key string) *Contact {
	if c := t.contacts[strings.ToLower(key)]; c != nil {
		return c
	}
	for _, c := range t.order {
		if c.ContactNumber != "" && c.ContactNumber == key {
			return c
		}
	}
	return nil
}

// contactIn is a contact in a request body: nil fields are left unchanged.
type contactIn struct {
	ContactID          *string          `json:"ContactID"`
	ContactNumber      *string          `json:"ContactNumber"`
	AccountNumber      *string          `json:"AccountNumber"`
	ContactStatus      *string          `json:"ContactStatus"`
	Name               *string          `json:"Name"`
	FirstName          *string          `json:"FirstName"`
	LastName           *string          `json:"LastName"`
	CompanyNumber      *string          `json:"CompanyNumber"`
	EmailAddress       *string          `json:"EmailAddress"`
	BankAccountDetails *string          `json:"BankAccountDetails"`
	TaxNumber          *string          `json:"TaxNumber"`
	DefaultCurrency    *string          `json:"DefaultCurrency"`
	IsSupplier         *bool            `json:"IsSupplier"`
	IsCustomer         *bool            `json:"IsCustomer"`
	Addresses          *[]Address       `json:"Addresses"`
	Phones             *[]Phone         `json:"Phones"`
	ContactPersons     *[]ContactPerson `json:"ContactPersons"`
}

func (in *contactIn) apply(c *Contact) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.ContactNumber, in.ContactNumber)
	set(&c.AccountNumber, in.AccountNumber)
	set(&c.Name, in.Name)
	set(&c.FirstName, in.FirstName)
	set(&c.LastName, in.LastName)
	set(&c.CompanyNumber, in.CompanyNumber)
	set(&c.EmailAddress, in.EmailAddress)
	set(&c.BankAccountDetails, in.BankAccountDetails)
	set(&c.TaxNumber, in.TaxNumber)
	set(&c.DefaultCurrency, in.DefaultCurrency)
	if in.ContactStatus != nil {
		c.ContactStatus = strings.ToUpper(*in.ContactStatus)
	}
	if in.IsSupplier != nil {
		c.IsSupplier = *in.IsSupplier
	}
	if in.IsCustomer != nil {
		c.IsCustomer = *in.IsCustomer
	}
	if in.Addresses != nil {
		c.Addresses = *in.Addresses
	}
	if in.Phones != nil {
		c.Phones = *in.Phones
	}
	if in.ContactPersons != nil {
		c.ContactPersons = *in.ContactPersons
	}
}

// writeContacts handles PUT (create) and POST (create or update) with a body
// of {"Contacts":[...]} or a single contact object.
func (s *Server) writeContacts(w http.ResponseWriter, r *http.Request, t *tenant, pathID string) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		apiException(w, 14, "PostDataInvalidException", "could not read the body", nil)
		return
	}
	s.idempotent(w, r, t, "contacts\x00"+r.Method+"\x00"+pathID+"\x00"+string(raw), func(w http.ResponseWriter) {
		var batch struct {
			Contacts []contactIn `json:"Contacts"`
		}
		if err := json.Unmarshal(raw, &batch); err != nil || batch.Contacts == nil {
			var one contactIn
			if err2 := json.Unmarshal(raw, &one); err2 != nil {
				apiException(w, 14, "PostDataInvalidException", "Invalid JSON in the request body", nil)
				return
			}
			batch.Contacts = []contactIn{one}
		}
		if pathID != "" && len(batch.Contacts) == 1 && batch.Contacts[0].ContactID == nil {
			batch.Contacts[0].ContactID = &pathID
		}
		summarize := r.URL.Query().Get("summarizeErrors") == "" || truthy(r.URL.Query().Get("summarizeErrors"))
		s.saveContacts(w, r.Method == http.MethodPut, summarize, t, batch.Contacts)
	})
}

// saveContacts validates and stores a batch. With summarize (Xero's default)
// one invalid contact fails the batch with a 400 ValidationException; with
// summarizeErrors=false the valid ones are saved and each invalid one comes
// back with its ValidationErrors and StatusAttributeString "ERROR".
func (s *Server) saveContacts(w http.ResponseWriter, createOnly, summarize bool, t *tenant, in []contactIn) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var saved, results []*Contact
	var elements []map[string]any
	fail := func(ci contactIn, msg string) {
		elements = append(elements, validation(ci, msg))
		res := &Contact{ContactID: "00000000-0000-0000-0000-000000000000", ContactStatus: "ACTIVE",
			ContactGroups: []ContactGroup{}, StatusAttributeString: "ERROR", HasValidationErrors: true,
			ValidationErrors: []warning{{Message: msg}}}
		if ci.Name != nil {
			res.Name = *ci.Name
		}
		if ci.ContactID != nil && isUUID(*ci.ContactID) {
			res.ContactID = strings.ToLower(*ci.ContactID)
		}
		results = append(results, res)
	}
	names := map[string]string{} // lower-cased active name -> ContactID, after this batch
	for _, c := range t.order {
		if c.ContactStatus == "ACTIVE" {
			names[strings.ToLower(c.Name)] = c.ContactID
		}
	}
	for _, ci := range in {
		var cur *Contact
		if ci.ContactID != nil && *ci.ContactID != "" {
			cur = t.contacts[strings.ToLower(*ci.ContactID)]
			if cur == nil || createOnly {
				fail(ci, "The contact was not found or cannot be updated with PUT")
				continue
			}
		} else if !createOnly && ci.ContactNumber != nil && *ci.ContactNumber != "" {
			cur = t.findContact(*ci.ContactNumber)
		}
		var next Contact
		if cur != nil {
			next = cur.clone()
		} else {
			next = Contact{ContactID: s.newIDLocked(), ContactStatus: "ACTIVE", ContactGroups: []ContactGroup{},
				Phones:    []Phone{{PhoneType: "DEFAULT"}, {PhoneType: "DDI"}, {PhoneType: "MOBILE"}, {PhoneType: "FAX"}},
				Addresses: []Address{{AddressType: "STREET"}, {AddressType: "POBOX"}}}
		}
		ci.apply(&next)
		switch {
		case strings.TrimSpace(next.Name) == "":
			fail(ci, "The contact name must be specified.")
			continue
		case next.ContactStatus != "ACTIVE" && next.ContactStatus != "ARCHIVED" && next.ContactStatus != "GDPRREQUEST":
			fail(ci, "ContactStatus is not valid")
			continue
		}
		if owner, ok := names[strings.ToLower(next.Name)]; ok && owner != next.ContactID && next.ContactStatus == "ACTIVE" {
			fail(ci, fmt.Sprintf("The contact name %s is already assigned to another contact. The contact name must be unique across all active contacts.", next.Name))
			continue
		}
		if next.ContactStatus == "ACTIVE" {
			names[strings.ToLower(next.Name)] = next.ContactID
		}
		next.touch(now)
		saved = append(saved, &next)
		results = append(results, &next)
	}
	if len(elements) > 0 && summarize {
		apiException(w, 10, "ValidationException", "A validation exception occurred", elements)
		return
	}
	for _, c := range saved {
		t.putContact(c)
	}
	if summarize {
		writeJSON(w, http.StatusOK, s.envelope(now, saved))
		return
	}
	out := make([]*Contact, len(results))
	for i, c := range results {
		if c.StatusAttributeString == "" {
			cp := *c
			cp.StatusAttributeString = "OK"
			c = &cp
		}
		out[i] = c
	}
	writeJSON(w, http.StatusOK, s.envelope(now, out))
}

func validation(ci contactIn, msg string) map[string]any {
	el := map[string]any{"ValidationErrors": []map[string]string{{"Message": msg}}}
	if ci.Name != nil {
		el["Name"] = *ci.Name
	}
	if ci.ContactID != nil && isUUID(*ci.ContactID) {
		el["ContactID"] = *ci.ContactID
	}
	return el
}

// putContact stores c, replacing the contact with its ID (copy-on-write: a
// reader holding the old pointer keeps a consistent value). Caller holds s.mu.
func (t *tenant) putContact(c *Contact) {
	if old, ok := t.contacts[c.ContactID]; ok {
		t.jsonCache.Delete(old)
		for i, old := range t.order {
			if old.ContactID == c.ContactID {
				t.order[i] = c
				break
			}
		}
	} else {
		t.order = append(t.order, c)
	}
	t.contacts[c.ContactID] = c
}
