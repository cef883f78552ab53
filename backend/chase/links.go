package chase

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"chase.md/backend/match"
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

// Confidences of the evidence kinds: a practice's code is near-certain, an
// email nearly so, a contact person's email a little less.
const (
	confCode        = 0.99
	confEmail       = 0.96
	confPersonEmail = 0.92
	confSharedEmail = 0.9
	// minNameForEmail is the name likeness that settles a shared email.
	minNameForEmail = 0.5
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
}

// LinkCounts counts links by status.
type LinkCounts struct {
	Auto      int `json:"auto"`
	Confirmed int `json:"confirmed"`
	Broken    int `json:"broken"`
	Ambiguous int `json:"ambiguous"`
	Unmatched int `json:"unmatched"`
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
	Active                                        bool
	Persons                                       []struct {
		FirstName string `json:"firstName"`
		LastName  string `json:"lastName"`
		Email     string `json:"email"`
	}
}

// loadContacts reads the organisation's contacts (backend/store's table).
func loadContacts(ctx context.Context, q querier, tenant string) ([]contactRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT contact_id, name, first_name, last_name, email, account_number, contact_number, status, merged_to_contact_id, persons
		FROM contacts WHERE tenant_id = ?`, tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: contacts: %w", err)
	}
	defer rows.Close()
	var out []contactRow
	for rows.Next() {
		var c contactRow
		var status, merged, persons string
		if err := rows.Scan(&c.ID, &c.Name, &c.First, &c.Last, &c.Email, &c.Account, &c.Number, &status, &merged, &persons); err != nil {
			return nil, fmt.Errorf("chase: contacts: %w", err)
		}
		c.Active = strings.EqualFold(status, "ACTIVE") && merged == ""
		_ = json.Unmarshal([]byte(persons), &c.Persons) // detail only; a bad row just has no persons
		out = append(out, c)
	}
	return out, rows.Err()
}

type clientRow struct {
	UUID, Name, First, Last, Email, Code string
	Persons                              []contactPerson
}

func normCode(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// linker proposes a contact for each client from the evidence.
type linker struct {
	contacts map[string]*contactRow
	byCode   map[string][]string
	byEmail  map[string][]string // the contact's own email
	byPerson map[string][]string // a contact person's email
	names    *match.Index
}

func newLinker(cs []contactRow) *linker {
	l := &linker{contacts: map[string]*contactRow{}, byCode: map[string][]string{}, byEmail: map[string][]string{}, byPerson: map[string][]string{}}
	var cands []match.Candidate
	for i := range cs {
		c := &cs[i]
		if !c.Active {
			continue // archived and merged contacts are never linked automatically
		}
		l.contacts[c.ID] = c
		if k := normCode(c.Account); k != "" {
			l.byCode[k] = append(l.byCode[k], c.ID)
		}
		if e := normEmail(c.Email); e != "" {
			l.byEmail[e] = append(l.byEmail[e], c.ID)
		}
		for _, p := range c.Persons {
			if e := normEmail(p.Email); e != "" && e != normEmail(c.Email) {
				l.byPerson[e] = append(l.byPerson[e], c.ID)
			}
		}
		// Names only: identifiers are matched above, exactly.
		cands = append(cands, match.Candidate{ContactID: c.ID, Name: c.Name, FirstName: c.First, LastName: c.Last})
	}
	l.names = match.NewIndex(cands)
	return l
}

// proposal is the linker's answer for one client.
type proposal struct {
	contactID  string
	method     string
	confidence float64
	status     string
	reason     string
	candidates []Candidate
}

func (l *linker) candidates(ids []string, conf float64, reason string) []Candidate {
	out := make([]Candidate, 0, len(ids))
	for _, id := range ids {
		out = append(out, Candidate{ContactID: id, Name: l.contacts[id].Name, Confidence: conf, Reason: reason})
	}
	return out
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

func (l *linker) propose(c clientRow) proposal {
	if k := normCode(c.Code); k != "" {
		switch ids := uniq(l.byCode[k]); len(ids) {
		case 1:
			return proposal{contactID: ids[0], method: MethodCode, confidence: confCode, status: StatusAuto,
				reason: "export code " + c.Code + " = account number"}
		case 0:
		default:
			return proposal{status: StatusAmbiguous, reason: "account number " + c.Code + " on several contacts",
				candidates: l.candidates(ids, confCode, "account number")}
		}
	}
	var emails []string
	if e := normEmail(c.Email); e != "" {
		emails = append(emails, e)
	}
	for _, p := range c.Persons {
		if e := normEmail(p.Email); e != "" {
			emails = append(emails, e)
		}
	}
	var own, person []string
	for _, e := range emails {
		own = append(own, l.byEmail[e]...)
		person = append(person, l.byPerson[e]...)
	}
	own, person = uniq(own), uniq(person)
	// Only a shared email or no identifier at all needs the (costlier) name match.
	var res match.Result
	if len(own) != 1 && (len(own) > 1 || len(person) != 1) {
		res = l.nameMatch(c.Name)
	}
	switch {
	case len(own) == 1:
		return proposal{contactID: own[0], method: MethodEmail, confidence: confEmail, status: StatusAuto,
			reason: "same email " + l.contacts[own[0]].Email}
	case len(own) > 1:
		// One mailbox for several contacts (a bookkeeper, a family): the name decides.
		if id, ok := pickByName(res, own); ok {
			return proposal{contactID: id, method: MethodEmail, confidence: confSharedEmail, status: StatusAuto,
				reason: "same email (shared by several contacts) and a similar name"}
		}
		return proposal{status: StatusAmbiguous, reason: "email on several contacts", candidates: l.candidates(own, confEmail, "email")}
	case len(person) == 1:
		return proposal{contactID: person[0], method: MethodEmail, confidence: confPersonEmail, status: StatusAuto,
			reason: "email of a contact person"}
	case len(person) > 1:
		if id, ok := pickByName(res, person); ok {
			return proposal{contactID: id, method: MethodEmail, confidence: confSharedEmail, status: StatusAuto,
				reason: "contact person's email (on several contacts) and a similar name"}
		}
		return proposal{status: StatusAmbiguous, reason: "email on several contacts", candidates: l.candidates(person, confPersonEmail, "contact person's email")}
	}
	if strings.TrimSpace(c.Name) == "" {
		return proposal{status: StatusUnmatched, reason: "no name"}
	}
	var cands []Candidate
	for _, b := range res.Best {
		cands = append(cands, Candidate{ContactID: b.ContactID, Name: b.Name, Confidence: b.Confidence, Reason: "name"})
	}
	switch {
	case res.Auto != nil:
		return proposal{contactID: res.Auto.ContactID, method: MethodName, confidence: res.Auto.Confidence, status: StatusAuto,
			reason: "same name", candidates: cands}
	case len(res.Best) > 1 && res.Best[0].Confidence >= match.DefaultThreshold:
		return proposal{status: StatusAmbiguous, reason: "several contacts with this name", candidates: cands}
	}
	return proposal{status: StatusUnmatched, reason: "no contact found", candidates: cands}
}

// nameMatch asks match, which reads a folder name as a client name (case,
// accents, Ltd/Limited, typos), for the contacts a client's name suggests.
func (l *linker) nameMatch(name string) match.Result {
	name = strings.NewReplacer("/", " ", `\`, " ").Replace(name)
	if strings.TrimSpace(name) == "" {
		return match.Result{}
	}
	return l.names.Match(name+"/x", match.Options{Mode: match.ModeSubfolder, Max: 5})
}

// pickByName chooses among ids the one the name matches clearly best.
func pickByName(res match.Result, ids []string) (string, bool) {
	in := map[string]bool{}
	for _, id := range ids {
		in[id] = true
	}
	best, second, pick := 0.0, 0.0, ""
	for _, b := range res.Best {
		if !in[b.ContactID] {
			continue
		}
		if b.Confidence > best {
			best, second, pick = b.Confidence, best, b.ContactID
		} else if b.Confidence > second {
			second = b.Confidence
		}
	}
	return pick, pick != "" && best >= minNameForEmail && best-second >= 0.1
}

var methodRank = map[string]int{MethodManual: 4, MethodCode: 3, MethodEmail: 2, MethodName: 1}

// relink recomputes every link that is not a person's decision. Two clients
// claiming one contact: the stronger evidence keeps it; equal evidence (the
// same name twice) is left for a person.
func (s *Service) relink(ctx context.Context, tx *sql.Tx, now int64) (LinkCounts, error) {
	var counts LinkCounts
	contacts, err := loadContacts(ctx, tx, s.tenant)
	if err != nil {
		return counts, err
	}
	l := newLinker(contacts)
	clients, err := loadClients(ctx, tx, s.tenant)
	if err != nil {
		return counts, err
	}
	kept := map[string]string{} // client uuid → status of a person's decision
	held := map[string]int{}    // contact → rank of a person's link to it
	rows, err := tx.QueryContext(ctx, `SELECT client_uuid, contact_id, status FROM chase_links WHERE tenant_id = ? AND status IN ('confirmed', 'broken')`, s.tenant)
	if err != nil {
		return counts, fmt.Errorf("chase: links: %w", err)
	}
	for rows.Next() {
		var u, c, st string
		if err := rows.Scan(&u, &c, &st); err != nil {
			rows.Close()
			return counts, fmt.Errorf("chase: links: %w", err)
		}
		kept[u] = st
		if st == StatusConfirmed && c != "" {
			held[c] = methodRank[MethodManual]
		}
	}
	rows.Close()

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

	if _, err := tx.ExecContext(ctx, `DELETE FROM chase_links WHERE tenant_id = ? AND status NOT IN ('confirmed', 'broken')`, s.tenant); err != nil {
		return counts, fmt.Errorf("chase: links: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO chase_links (tenant_id, client_uuid, contact_id, method, confidence, status, reason, candidates, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return counts, fmt.Errorf("chase: links: %w", err)
	}
	defer stmt.Close()
	for _, c := range clients {
		if st, ok := kept[c.UUID]; ok {
			counts.add(st)
			continue
		}
		p := props[c.UUID]
		cj, _ := json.Marshal(p.candidates)
		if p.candidates == nil {
			cj = []byte("[]")
		}
		if _, err := stmt.ExecContext(ctx, s.tenant, c.UUID, p.contactID, p.method, p.confidence, p.status, p.reason, string(cj), now); err != nil {
			return counts, fmt.Errorf("chase: link %s: %w", c.UUID, err)
		}
		counts.add(p.status)
	}
	return counts, nil
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
	rows, err := q.QueryContext(ctx, `SELECT uuid, name, first_name, last_name, email, export_code, contacts FROM xpm_clients
		WHERE tenant_id = ? AND present = 1 ORDER BY uuid`, tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: clients: %w", err)
	}
	defer rows.Close()
	var out []clientRow
	for rows.Next() {
		var c clientRow
		var persons string
		if err := rows.Scan(&c.UUID, &c.Name, &c.First, &c.Last, &c.Email, &c.Code, &persons); err != nil {
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
		SELECT c.uuid, c.name, c.email, c.export_code, l.contact_id, COALESCE(ct.name, ''), l.method, l.confidence, l.status, l.reason, l.candidates,
		       (SELECT COUNT(*) FROM xpm_jobs j WHERE j.tenant_id = c.tenant_id AND j.client_uuid = c.uuid)
		FROM xpm_clients c
		JOIN chase_links l ON l.tenant_id = c.tenant_id AND l.client_uuid = c.uuid
		LEFT JOIN contacts ct ON ct.tenant_id = l.tenant_id AND ct.contact_id = l.contact_id AND l.contact_id != ''
		WHERE c.tenant_id = ? AND c.present = 1`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: links: %w", err)
	}
	defer rows.Close()
	text := strings.ToLower(strings.TrimSpace(f.Text))
	var out []Link
	for rows.Next() {
		var k Link
		var cands string
		if err := rows.Scan(&k.ClientUUID, &k.ClientName, &k.ClientEmail, &k.ExportCode, &k.ContactID, &k.ContactName, &k.Method,
			&k.Confidence, &k.Status, &k.Reason, &cands, &k.Jobs); err != nil {
			return nil, fmt.Errorf("chase: links: %w", err)
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
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT l.status, COUNT(*) FROM chase_links l
		JOIN xpm_clients c ON c.tenant_id = l.tenant_id AND c.uuid = l.client_uuid AND c.present = 1
		WHERE l.tenant_id = ? GROUP BY l.status`, s.tenant)
	if err != nil {
		return c, fmt.Errorf("chase: link counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return c, fmt.Errorf("chase: link counts: %w", err)
		}
		for range n {
			c.add(st)
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

// ChangeLink links a client to contactID by hand (confirmed).
func (s *Service) ChangeLink(ctx context.Context, clientUUID, contactID string) error {
	u := normUUID(clientUUID)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM xpm_clients WHERE tenant_id = ? AND uuid = ?`, s.tenant, u).Scan(&n); err != nil || n == 0 {
			return fmt.Errorf("chase: change link: unknown client %s", clientUUID)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM contacts WHERE tenant_id = ? AND contact_id = ?`, s.tenant, contactID).Scan(&n); err != nil || n == 0 {
			return fmt.Errorf("chase: change link: unknown contact %s", contactID)
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
	var c LinkCounts
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = s.relink(ctx, tx, ms(s.now()))
		return err
	})
	return c, err
}

func normUUID(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
