package chase

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"chase.md/backend/match"
	"chase.md/backend/store"
)

// Link statuses. auto is our guess; confirmed and broken are a person's
// decision and survive every resync; ambiguous and unmatched wait for one.
const (
	StatusAuto      = "auto"
	StatusConfirmed = "confirmed"
	StatusBroken    = "broken"
	StatusAmbiguous = "ambiguous"
	StatusUnmatched = "unmatched"
)

// Link methods.
const (
	MethodCode   = "code"  // XPM ExportCode = the contact's AccountNumber
	MethodEmail  = "email" // the client's or a contact person's email
	MethodName   = "name"  // normalised name
	MethodManual = "manual"
)

// Candidate is a contact a person may choose for a client.
type Candidate struct {
	ContactID  string  `json:"contactId"`
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence"`
	Reason     string  `json:"reason"`
}

// Link is an XPM client and the Xero contact it is (or may be).
type Link struct {
	ClientUUID  string      `json:"clientUuid"`
	ClientName  string      `json:"clientName"`
	ClientEmail string      `json:"clientEmail,omitempty"`
	ExportCode  string      `json:"exportCode,omitempty"`
	ContactID   string      `json:"contactId,omitempty"`
	ContactName string      `json:"contactName,omitempty"`
	Method      string      `json:"method,omitempty"`
	Confidence  float64     `json:"confidence"`
	Status      string      `json:"status"`
	Reason      string      `json:"reason,omitempty"`
	Candidates  []Candidate `json:"candidates,omitempty"`
	Jobs        int         `json:"jobs"` // current jobs
	// Keys are what the client and the contact share (KeyEmail, KeyName…);
	// Sure is an automatic link two independent keys agree on, safe to
	// confirm in bulk.
	Keys []string `json:"keys"`
	Sure bool     `json:"sure"`
}

// LinkCounts counts links by status.
type LinkCounts struct {
	Auto      int `json:"auto"`
	Confirmed int `json:"confirmed"`
	Broken    int `json:"broken"`
	Ambiguous int `json:"ambiguous"`
	Unmatched int `json:"unmatched"`
	Sure      int `json:"sure"` // automatic links that are sure (not yet confirmed)
}

func (c *LinkCounts) add(status string) {
	switch status {
	case StatusAuto:
		c.Auto++
	case StatusConfirmed:
		c.Confirmed++
	case StatusBroken:
		c.Broken++
	case StatusAmbiguous:
		c.Ambiguous++
	case StatusUnmatched:
		c.Unmatched++
	}
}

// contactRow is a Xero contact as the linker and the chase list see it.
type contactRow struct {
	ID, Name, First, Last, Email, Account, Number string
	Company, Tax                                  string
	Phones                                        []string // as written; normPhone compares them
	Active                                        bool
	Persons                                       []store.Person
}

// loadContacts reads the organisation's contacts through their owner,
// backend/store. It reads outside the caller's transaction: that
// transaction holds the database's write lock, so no sync can change the
// contacts meanwhile and the committed rows are the ones it would see.
func loadContacts(ctx context.Context, db *store.DB, tenant string) ([]contactRow, error) {
	var out []contactRow
	err := db.ContactsChangedSince(ctx, tenant, 0, func(sc store.Contact) error {
		c := contactRow{ID: sc.ID, Name: sc.Name, First: sc.FirstName, Last: sc.LastName, Email: sc.Email,
			Account: sc.AccountNumber, Number: sc.ContactNumber, Company: sc.CompanyNumber,
			Active: strings.EqualFold(sc.Status, store.StatusActive) && sc.MergedToID == "", Persons: sc.Persons}
		for _, p := range sc.Phones {
			c.Phones = append(c.Phones, p.CountryCode+p.AreaCode+p.Number)
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chase: contacts: %w", err)
	}
	return out, nil
}

type clientRow struct {
	UUID, Name, First, Last, Email, Code string
	Other, ClientCode, Phone, Mobile     string
	Tax, Company, Business               string
	Persons                              []contactPerson
}

func normCode(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// linker proposes a contact for each client from every key the two sides
// share. Precision comes first: a name links on its own only when it is the
// same name once normalised, says who it is in two words or more and
// belongs to one contact; a surname or a generic word never does.
type linker struct {
	contacts map[string]*contactRow
	forms    map[string][]string // contact → its name forms
	byKey    map[string]map[string][]string
	names    *match.Index // suggestions for a person's review only
}

func newLinker(cs []contactRow) *linker {
	l := &linker{contacts: map[string]*contactRow{}, forms: map[string][]string{}, byKey: map[string]map[string][]string{}}
	add := func(key, v, id string) {
		if v == "" {
			return
		}
		m := l.byKey[key]
		if m == nil {
			m = map[string][]string{}
			l.byKey[key] = m
		}
		m[v] = append(m[v], id)
	}
	var cands []match.Candidate
	for i := range cs {
		c := &cs[i]
		if !c.Active {
			continue // archived and merged contacts are never linked automatically
		}
		l.contacts[c.ID] = c
		add(KeyAccount, normCode(c.Account), c.ID)
		add(KeyTax, normNumber(c.Tax), c.ID)
		add(KeyCompany, normNumber(c.Company), c.ID)
		add(KeyEmail, normEmail(c.Email), c.ID)
		for _, p := range c.Persons {
			if e := normEmail(p.Email); e != normEmail(c.Email) {
				add(KeyEmail, e, c.ID)
			}
		}
		for _, p := range c.Phones {
			add(KeyPhone, normPhone(p), c.ID)
		}
		forms := nameForms(c.Name)
		if f := nameForms(strings.TrimSpace(c.First + " " + c.Last)); len(f) > 0 && !slicesContains(forms, f[0]) {
			forms = append(forms, f...)
		}
		l.forms[c.ID] = forms
		for _, f := range forms {
			add(KeyName, f, c.ID)
		}
		cands = append(cands, match.Candidate{ContactID: c.ID, Name: c.Name, FirstName: c.First, LastName: c.Last})
	}
	l.names = match.NewIndex(cands)
	return l
}

func slicesContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// proposal is the linker's answer for one client.
type proposal struct {
	contactID  string
	method     string
	confidence float64
	status     string
	reason     string
	keys       []string
	sure       bool
	candidates []Candidate
}

func uniq(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// keyWeight orders the evidence: numbers a practice keeps on purpose first.
var keyWeight = map[string]float64{KeyAccount: 4, KeyTax: 4, KeyCompany: 4, KeyEmail: 3, KeyName: 2, KeyTrading: 2, KeyPhone: 1}

// keyConfidence is the confidence a link has from its strongest key alone.
var keyConfidence = map[string]float64{KeyAccount: 0.99, KeyTax: 0.99, KeyCompany: 0.99, KeyEmail: 0.96, KeyName: 0.9, KeyTrading: 0.88, KeyPhone: 0.8}

// keyMethod is the stored method of a link found by key.
var keyMethod = map[string]string{KeyAccount: MethodCode, KeyTax: MethodCode, KeyCompany: MethodCode, KeyEmail: MethodEmail,
	KeyName: MethodName, KeyTrading: MethodName, KeyPhone: MethodName}

type evidence struct {
	keys   []string // keys only this contact has among the contacts
	shared []string // keys it shares with other contacts
	score  float64
}

func (e *evidence) has(k string) bool { return slicesContains(e.keys, k) }

// kindConflict: one side is a couple, trust or fund and the other is not.
func kindConflict(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	ka, kb := kind(a[0]), kind(b[0])
	special := func(k string) bool {
		return k == "couple" || k == "trust" || k == "super" || k == "fund" || k == "estate" || k == "family"
	}
	return ka != kb && (special(ka) || special(kb))
}

func (l *linker) propose(c clientRow) proposal {
	forms := nameForms(c.Name)
	if f := nameForms(strings.TrimSpace(c.First + " " + c.Last)); len(f) > 0 && !slicesContains(forms, f[0]) {
		forms = append(forms, f...)
	}
	trading := nameForms(c.Other)
	ev := map[string]*evidence{}
	var order []string
	note := func(key string, ids []string) {
		ids = uniq(ids)
		for _, id := range ids {
			e := ev[id]
			if e == nil {
				e = &evidence{}
				ev[id] = e
				order = append(order, id)
			}
			if len(ids) == 1 {
				if !e.has(key) {
					e.keys = append(e.keys, key)
					e.score += keyWeight[key]
				}
			} else if !slicesContains(e.shared, key) {
				e.shared = append(e.shared, key)
				e.score += 0.25
			}
		}
	}
	look := func(key, index, v string) {
		if v != "" {
			note(key, l.byKey[index][v])
		}
	}
	look(KeyAccount, KeyAccount, normCode(c.Code))
	look(KeyAccount, KeyAccount, normCode(c.ClientCode))
	look(KeyTax, KeyTax, normNumber(c.Tax))
	look(KeyCompany, KeyCompany, normNumber(c.Company))
	look(KeyCompany, KeyCompany, normNumber(c.Business))
	emails := []string{normEmail(c.Email)}
	phones := []string{normPhone(c.Phone), normPhone(c.Mobile)}
	for _, p := range c.Persons {
		emails = append(emails, normEmail(p.Email))
		phones = append(phones, normPhone(p.Phone), normPhone(p.Mobile))
	}
	var allEmail, allPhone []string
	for _, e := range uniq(emails) {
		if e != "" {
			allEmail = append(allEmail, l.byKey[KeyEmail][e]...)
		}
	}
	for _, p := range uniq(phones) {
		if p != "" {
			allPhone = append(allPhone, l.byKey[KeyPhone][p]...)
		}
	}
	note(KeyEmail, allEmail)
	note(KeyPhone, allPhone)
	for _, f := range forms {
		if nameKeyOK(f) {
			look(KeyName, KeyName, f)
		}
	}
	for _, f := range trading {
		if nameKeyOK(f) {
			look(KeyTrading, KeyName, f)
		}
	}

	// The contact with the most evidence; another contact with a key of its
	// own makes it a person's decision.
	var best, second string
	for _, id := range order {
		switch {
		case best == "" || ev[id].score > ev[best].score:
			best, second = id, best
		case second == "" || ev[id].score > ev[second].score:
			second = id
		}
	}
	if best == "" {
		return l.review(c, StatusUnmatched, "no key in common with any contact", nil)
	}
	b := ev[best]
	cforms := append(append([]string(nil), forms...), trading...)
	if second != "" && len(ev[second].keys) > 0 && !(len(b.keys) >= 2 && len(ev[second].keys) == 1 && ev[second].has(KeyPhone)) {
		return l.review(c, StatusAmbiguous, "several contacts share keys with this client: "+strings.Join(b.keys, ",")+" / "+strings.Join(ev[second].keys, ","), []string{best, second})
	}
	if len(b.keys) == 0 {
		// Only keys several contacts share (a family's email): a name in
		// common settles it for one of them, never a shared key alone.
		var fit []string
		for _, id := range order {
			if ev[id].shared != nil && sameName(cforms, l.forms[id]) {
				fit = append(fit, id)
			}
		}
		if len(fit) == 1 {
			id := fit[0]
			return proposal{contactID: id, method: keyMethod[ev[id].shared[0]], confidence: 0.85, status: StatusAuto,
				keys: append([]string{}, ev[id].shared...), reason: strings.Join(ev[id].shared, " and ") + " (shared with other contacts) and the same name"}
		}
		return l.review(c, StatusAmbiguous, strings.Join(b.shared, " and ")+" on several contacts", order)
	}
	strong := b.has(KeyAccount) || b.has(KeyTax) || b.has(KeyCompany)
	named := b.has(KeyName) || b.has(KeyTrading)
	similar := compatible(cforms, l.forms[best])
	conflict := kindConflict(forms, l.forms[best])
	ok := false
	switch {
	case strong:
		ok = true // numbers the practice keeps on purpose
	case conflict:
		ok = false // a couple, trust or fund is not its member
	case b.has(KeyEmail), named:
		ok = true
	case b.has(KeyPhone):
		ok = similar
	}
	if !ok {
		return l.review(c, StatusAmbiguous, "only "+strings.Join(b.keys, " and ")+" in common, and the names differ", []string{best})
	}
	if debugLinks != nil {
		debugLinks(c, b.keys, b.shared)
	}
	top := b.keys[0]
	for _, k := range append(b.keys, b.shared...) {
		if keyWeight[k] > keyWeight[top] {
			top = k
		}
	}
	p := proposal{contactID: best, method: keyMethod[top], confidence: keyConfidence[top], status: StatusAuto, keys: b.keys,
		reason: "same " + strings.Join(b.keys, " and ")}
	// Sure: two independent keys, or a number or email and a name in common.
	p.sure = len(b.keys) >= 2 || (strong || b.has(KeyEmail)) && similar && !conflict
	if p.sure {
		p.confidence = max(p.confidence, 0.99)
	}
	return p
}

var debugLinks func(c clientRow, keys, shared []string)

// sameName: one of a's forms is one of b's (with a shared key, even a
// one-word name like "Brown & Co Ltd" settles it).
func sameName(a, b []string) bool {
	for _, x := range a {
		if slicesContains(b, x) {
			return true
		}
	}
	return false
}

// review is a proposal a person must decide, with the contacts to offer:
// those sharing keys first, then what the client's name suggests.
func (l *linker) review(c clientRow, status, reason string, ids []string) proposal {
	p := proposal{status: status, reason: reason}
	seen := map[string]bool{}
	for _, id := range ids {
		if ct := l.contacts[id]; ct != nil && !seen[id] {
			seen[id] = true
			p.candidates = append(p.candidates, Candidate{ContactID: id, Name: ct.Name, Confidence: 0.5, Reason: "shares a key"})
		}
	}
	if strings.TrimSpace(c.Name) == "" {
		return p
	}
	for _, b := range l.nameMatch(c.Name).Best {
		if !seen[b.ContactID] {
			seen[b.ContactID] = true
			p.candidates = append(p.candidates, Candidate{ContactID: b.ContactID, Name: b.Name, Confidence: b.Confidence, Reason: "similar name"})
		}
	}
	return p
}

// nameMatch asks match, which reads a folder name as a client name (case,
// accents, Ltd/Limited, typos), for contacts to suggest to a person.
func (l *linker) nameMatch(name string) match.Result {
	name = strings.NewReplacer("/", " ", `\`, " ").Replace(name)
	if strings.TrimSpace(name) == "" {
		return match.Result{}
	}
	return l.names.Match(name+"/x", match.Options{Mode: match.ModeSubfolder, Max: 5})
}

var methodRank = map[string]int{MethodManual: 4, MethodCode: 3, MethodEmail: 2, MethodName: 1}

// relink recomputes every link that is not a person's decision, planning and
// writing in the one transaction tx (for callers already inside one).
func (s *Service) relink(ctx context.Context, tx *sql.Tx, now int64) (LinkCounts, error) {
	p, err := s.planLinks(ctx, tx)
	if err != nil {
		return LinkCounts{}, err
	}
	return s.applyLinks(ctx, tx, p, now)
}

// relinkShort plans the links on plain reads and writes them in a short
// transaction of its own: at 10,000 contacts the planning takes seconds, and
// a write transaction held that long made every other writer (a state
// mapping, an upload queued) fail with "database is locked".
func (s *Service) relinkShort(ctx context.Context, now int64) (LinkCounts, error) {
	p, err := s.planLinks(ctx, s.db.SQL())
	if err != nil {
		return LinkCounts{}, err
	}
	var c LinkCounts
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = s.applyLinks(ctx, tx, p, now)
		return err
	})
	return c, err
}

// linkPlan is what relink proposes, computed from one reading of the store.
type linkPlan struct {
	l       *linker
	clients []clientRow
	props   map[string]*proposal
	held    map[string]int
}

// planLinks proposes a link for every client that has no person's decision.
// Two clients claiming one contact: the stronger evidence keeps it; equal
// evidence (the same name twice) is left for a person.
func (s *Service) planLinks(ctx context.Context, q querier) (*linkPlan, error) {
	// Contacts come through the store that owns them, on its own connection:
	// they are not written by the callers' transactions.
	contacts, err := loadContacts(ctx, s.db, s.tenant)
	if err != nil {
		return nil, err
	}
	l := newLinker(contacts)
	clients, err := loadClients(ctx, q, s.tenant)
	if err != nil {
		return nil, err
	}
	kept, held, err := s.decisions(ctx, q)
	if err != nil {
		return nil, err
	}
	return &linkPlan{l: l, clients: clients, props: l.linkAll(clients, kept, held), held: held}, nil
}

// decisions reads the people's decisions: client uuid → status, and contact →
// rank of a person's link to it.
func (s *Service) decisions(ctx context.Context, q querier) (map[string]string, map[string]int, error) {
	kept := map[string]string{}
	held := map[string]int{}
	rows, err := q.QueryContext(ctx, `SELECT client_uuid, contact_id, status FROM chase_links WHERE tenant_id = ? AND status IN ('confirmed', 'broken')`, s.tenant)
	if err != nil {
		return nil, nil, fmt.Errorf("chase: links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, c, st string
		if err := rows.Scan(&u, &c, &st); err != nil {
			return nil, nil, fmt.Errorf("chase: links: %w", err)
		}
		kept[u] = st
		if st == StatusConfirmed && c != "" {
			held[c] = methodRank[MethodManual]
		}
	}
	return kept, held, rows.Err()
}

// applyLinks writes plan p. The people's decisions are read again inside tx:
// one made since the plan was read wins over the plan; a proposal for a
// contact a person has since linked to another client is left for a person.
func (s *Service) applyLinks(ctx context.Context, tx *sql.Tx, p *linkPlan, now int64) (LinkCounts, error) {
	var counts LinkCounts
	kept, held, err := s.decisions(ctx, tx)
	if err != nil {
		return counts, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM chase_links WHERE tenant_id = ? AND status NOT IN ('confirmed', 'broken')`, s.tenant); err != nil {
		return counts, fmt.Errorf("chase: links: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO chase_links (tenant_id, client_uuid, contact_id, method, confidence, status, reason, candidates, updated_at, sure, keys)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return counts, fmt.Errorf("chase: links: %w", err)
	}
	defer stmt.Close()
	for _, c := range p.clients {
		if st, ok := kept[c.UUID]; ok {
			counts.add(st)
			continue
		}
		pr := p.props[c.UUID]
		if pr == nil { // a decision taken back since the plan: propose afresh
			np := p.l.propose(c)
			pr = &np
		}
		if pr.status == StatusAuto && held[pr.contactID] > 0 && p.held[pr.contactID] == 0 {
			name := p.l.contacts[pr.contactID].Name
			*pr = proposal{status: StatusAmbiguous, reason: "another client is linked to " + name + " too",
				candidates: append([]Candidate{{ContactID: pr.contactID, Name: name, Confidence: pr.confidence, Reason: pr.method}}, otherCands(pr.candidates, pr.contactID)...)}
		}
		cj, _ := json.Marshal(pr.candidates)
		if pr.candidates == nil {
			cj = []byte("[]")
		}
		if _, err := stmt.ExecContext(ctx, s.tenant, c.UUID, pr.contactID, pr.method, pr.confidence, pr.status, pr.reason, string(cj), now,
			boolInt(pr.sure && pr.status == StatusAuto), strings.Join(pr.keys, ",")); err != nil {
			return counts, fmt.Errorf("chase: link %s: %w", c.UUID, err)
		}
		counts.add(pr.status)
	}
	return counts, nil
}

// linkAll proposes a link for every client whose link is not a person's
// decision (kept). Two clients claiming one contact: the stronger evidence
// keeps it; equal evidence (the same name twice) is left for a person; a
// contact a person linked (held) keeps its link.
func (l *linker) linkAll(clients []clientRow, kept map[string]string, held map[string]int) map[string]*proposal {
	props := map[string]*proposal{}
	claims := map[string][]string{} // contact → clients proposed for it
	for _, c := range clients {
		if _, ok := kept[c.UUID]; ok {
			continue
		}
		p := l.propose(c)
		props[c.UUID] = &p
		if p.status == StatusAuto {
			claims[p.contactID] = append(claims[p.contactID], c.UUID)
		}
	}
	for contact, us := range claims {
		if len(us) == 1 && held[contact] == 0 {
			continue
		}
		best, n := held[contact], 0
		for _, u := range us {
			if r := methodRank[props[u].method]; r > best {
				best, n = r, 1
			} else if r == best {
				n++
			}
		}
		for _, u := range us {
			p := props[u]
			if methodRank[p.method] == best && n == 1 {
				continue // the only strongest claim keeps the contact
			}
			name := l.contacts[contact].Name
			*p = proposal{status: StatusAmbiguous, reason: "another client is linked to " + name + " too",
				candidates: append([]Candidate{{ContactID: contact, Name: name, Confidence: p.confidence, Reason: p.method}}, otherCands(p.candidates, contact)...)}
		}
	}
	return props
}

func otherCands(cs []Candidate, not string) []Candidate {
	var out []Candidate
	for _, c := range cs {
		if c.ContactID != not {
			out = append(out, c)
		}
	}
	return out
}

func loadClients(ctx context.Context, q querier, tenant string) ([]clientRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT uuid, name, first_name, last_name, email, export_code, contacts,
		other_name, client_code, phone, mobile, tax_number, company_number, business_number FROM xpm_clients
		WHERE tenant_id = ? AND present = 1 ORDER BY uuid`, tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: clients: %w", err)
	}
	defer rows.Close()
	var out []clientRow
	for rows.Next() {
		var c clientRow
		var persons string
		if err := rows.Scan(&c.UUID, &c.Name, &c.First, &c.Last, &c.Email, &c.Code, &persons,
			&c.Other, &c.ClientCode, &c.Phone, &c.Mobile, &c.Tax, &c.Company, &c.Business); err != nil {
			return nil, fmt.Errorf("chase: clients: %w", err)
		}
		_ = json.Unmarshal([]byte(persons), &c.Persons)
		out = append(out, c)
	}
	return out, rows.Err()
}

// LinkFilter selects links for the Links screen.
type LinkFilter struct {
	Status string // one status, or "" for all
	Text   string // part of the client's or contact's name, email or code
}

var statusOrder = map[string]int{StatusAmbiguous: 0, StatusUnmatched: 1, StatusBroken: 2, StatusAuto: 3, StatusConfirmed: 4}

// Links lists the links, ambiguous and unmatched first (a person's work),
// then broken, auto (lowest confidence first) and confirmed.
func (s *Service) Links(ctx context.Context, f LinkFilter) ([]Link, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `
		SELECT c.uuid, c.name, c.email, c.export_code, l.contact_id, l.method, l.confidence, l.status, l.reason, l.candidates, l.sure, l.keys,
		       COALESCE(jc.n, 0)
		FROM xpm_clients c
		JOIN chase_links l ON l.tenant_id = c.tenant_id AND l.client_uuid = c.uuid
		LEFT JOIN (SELECT client_uuid, COUNT(*) AS n FROM xpm_jobs WHERE tenant_id = ? GROUP BY client_uuid) jc ON jc.client_uuid = c.uuid
		WHERE c.tenant_id = ? AND c.present = 1`, s.tenant, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: links: %w", err)
	}
	defer rows.Close()
	names, err := s.db.ContactNames(ctx, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: links: %w", err)
	}
	text := strings.ToLower(strings.TrimSpace(f.Text))
	var out []Link
	for rows.Next() {
		var k Link
		var cands, keys string
		var sure int
		if err := rows.Scan(&k.ClientUUID, &k.ClientName, &k.ClientEmail, &k.ExportCode, &k.ContactID, &k.Method,
			&k.Confidence, &k.Status, &k.Reason, &cands, &sure, &keys, &k.Jobs); err != nil {
			return nil, fmt.Errorf("chase: links: %w", err)
		}
		if k.ContactID != "" {
			k.ContactName = names[k.ContactID]
		}
		k.Sure, k.Keys = sure != 0 && k.Status == StatusAuto, []string{}
		if keys != "" {
			k.Keys = strings.Split(keys, ",")
		}
		if f.Status != "" && k.Status != f.Status {
			continue
		}
		if text != "" && !strings.Contains(strings.ToLower(k.ClientName+"\x00"+k.ContactName+"\x00"+k.ClientEmail+"\x00"+k.ExportCode), text) {
			continue
		}
		_ = json.Unmarshal([]byte(cands), &k.Candidates)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chase: links: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if statusOrder[a.Status] != statusOrder[b.Status] {
			return statusOrder[a.Status] < statusOrder[b.Status]
		}
		if a.Status == StatusAuto && a.Confidence != b.Confidence {
			return a.Confidence < b.Confidence
		}
		if x, y := strings.ToLower(a.ClientName), strings.ToLower(b.ClientName); x != y {
			return x < y
		}
		return a.ClientUUID < b.ClientUUID
	})
	return out, nil
}

// LinkCounts counts the links by status without reading them.
func (s *Service) LinkCounts(ctx context.Context) (LinkCounts, error) {
	var c LinkCounts
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT l.status, l.sure, COUNT(*) FROM chase_links l
		JOIN xpm_clients c ON c.tenant_id = l.tenant_id AND c.uuid = l.client_uuid AND c.present = 1
		WHERE l.tenant_id = ? GROUP BY l.status, l.sure`, s.tenant)
	if err != nil {
		return c, fmt.Errorf("chase: link counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var sure, n int
		if err := rows.Scan(&st, &sure, &n); err != nil {
			return c, fmt.Errorf("chase: link counts: %w", err)
		}
		for range n {
			c.add(st)
		}
		if st == StatusAuto && sure != 0 {
			c.Sure += n
		}
	}
	return c, rows.Err()
}

// ConfirmLink makes a client's current link a person's decision.
func (s *Service) ConfirmLink(ctx context.Context, clientUUID string) error {
	res, err := s.db.SQL().ExecContext(ctx, `UPDATE chase_links SET status = 'confirmed', updated_at = ?
		WHERE tenant_id = ? AND client_uuid = ? AND contact_id != ''`, ms(s.now()), s.tenant, normUUID(clientUUID))
	if err != nil {
		return fmt.Errorf("chase: confirm link %s: %w", clientUUID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("chase: confirm link %s: no contact to confirm (choose one with ChangeLink)", clientUUID)
	}
	return nil
}

// ConfirmSureLinks confirms every automatic link that is sure (two keys
// agree) in one step and returns the clients it confirmed, for an undo.
func (s *Service) ConfirmSureLinks(ctx context.Context) ([]string, error) {
	var out []string
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT client_uuid FROM chase_links WHERE tenant_id = ? AND status = 'auto' AND sure = 1 AND contact_id != '' ORDER BY client_uuid`, s.tenant)
		if err != nil {
			return err
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return err
			}
			out = append(out, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE chase_links SET status = 'confirmed', updated_at = ? WHERE tenant_id = ? AND status = 'auto' AND sure = 1 AND contact_id != ''`,
			ms(s.now()), s.tenant)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("chase: confirm sure links: %w", err)
	}
	return out, nil
}

// ConfirmLinks confirms the current link of each client that has a contact
// and says how many it confirmed.
func (s *Service) ConfirmLinks(ctx context.Context, clientUUIDs []string) (int, error) {
	n := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, u := range clientUUIDs {
			res, err := tx.ExecContext(ctx, `UPDATE chase_links SET status = 'confirmed', updated_at = ?
				WHERE tenant_id = ? AND client_uuid = ? AND contact_id != '' AND status != 'confirmed'`, ms(s.now()), s.tenant, normUUID(u))
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("chase: confirm links: %w", err)
	}
	return n, nil
}

// UndoLinks takes back a person's decisions (confirm, change, break) on the
// given clients: their links are chase.md's own proposal again.
func (s *Service) UndoLinks(ctx context.Context, clientUUIDs []string) (LinkCounts, error) {
	var c LinkCounts
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, u := range clientUUIDs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM chase_links WHERE tenant_id = ? AND client_uuid = ?`, s.tenant, normUUID(u)); err != nil {
				return err
			}
		}
		var err error
		c, err = s.relink(ctx, tx, ms(s.now()))
		return err
	})
	if err != nil {
		return c, fmt.Errorf("chase: undo links: %w", err)
	}
	return c, nil
}

// ChangeLink links a client to contactID by hand (confirmed).
func (s *Service) ChangeLink(ctx context.Context, clientUUID, contactID string) error {
	u := normUUID(clientUUID)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM xpm_clients WHERE tenant_id = ? AND uuid = ?`, s.tenant, u).Scan(&n); err != nil || n == 0 {
			return fmt.Errorf("chase: change link: unknown client %s", clientUUID)
		}
		if _, err := s.db.Contact(ctx, s.tenant, contactID); err != nil {
			return fmt.Errorf("chase: change link: unknown contact %s: %w", contactID, err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO chase_links (tenant_id, client_uuid, contact_id, method, confidence, status, reason, candidates, updated_at)
			VALUES (?, ?, ?, 'manual', 1, 'confirmed', 'chosen by a person', '[]', ?)
			ON CONFLICT (tenant_id, client_uuid) DO UPDATE SET contact_id = excluded.contact_id, method = 'manual', confidence = 1,
				status = 'confirmed', reason = excluded.reason, candidates = '[]', updated_at = excluded.updated_at`,
			s.tenant, u, contactID, ms(s.now()))
		if err != nil {
			return fmt.Errorf("chase: change link %s: %w", clientUUID, err)
		}
		return nil
	})
}

// BreakLink says the client is no contact we know: no automatic link is
// made for it again until a person links it.
func (s *Service) BreakLink(ctx context.Context, clientUUID string) error {
	u := normUUID(clientUUID)
	_, err := s.db.SQL().ExecContext(ctx, `INSERT INTO chase_links (tenant_id, client_uuid, contact_id, method, confidence, status, reason, candidates, updated_at)
		VALUES (?, ?, '', '', 0, 'broken', 'unlinked by a person', '[]', ?)
		ON CONFLICT (tenant_id, client_uuid) DO UPDATE SET contact_id = '', method = '', confidence = 0, status = 'broken',
			reason = excluded.reason, updated_at = excluded.updated_at`, s.tenant, u, ms(s.now()))
	if err != nil {
		return fmt.Errorf("chase: break link %s: %w", clientUUID, err)
	}
	return nil
}

// Relink recomputes the automatic links now (after a contact sync).
func (s *Service) Relink(ctx context.Context) (LinkCounts, error) {
	return s.relinkShort(ctx, ms(s.now()))
}

func normUUID(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
