package sandbox

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

type contactsResp struct {
	ID          string     `json:"Id"`
	Status      string     `json:"Status"`
	DateTimeUTC string     `json:"DateTimeUTC"`
	Pagination  pagination `json:"pagination"`
	Warnings    []warning  `json:"Warnings"`
	Contacts    []Contact  `json:"Contacts"`
}

func (e *env) contacts(query string, hdr ...string) (int, contactsResp) {
	e.t.Helper()
	var out contactsResp
	resp, _ := e.call("GET", "/api.xro/2.0/Contacts?"+query, e.org, nil, &out, hdr...)
	return resp.StatusCode, out
}

var msDateRE = regexp.MustCompile(`^/Date\(\d+\+0000\)/$`)

func TestContactsListShapeAndPaging(t *testing.T) {
	e := newEnv(t, Options{Contacts: 250, DisableLimits: true})
	status, all := e.contacts("")
	active := 0
	for _, c := range e.s.Contacts(e.org) {
		if c.ContactStatus == "ACTIVE" {
			active++
		}
	}
	if status != 200 || all.Status != "OK" || len(all.Contacts) != active || all.Pagination.ItemCount != active {
		t.Fatalf("unpaged: %d %d contacts, want %d active; %+v", status, len(all.Contacts), active, all.Pagination)
	}
	if !regexp.MustCompile(`^/Date\(\d+\)/$`).MatchString(all.DateTimeUTC) || !isUUID(all.ID) {
		t.Errorf("envelope Id %q DateTimeUTC %q", all.ID, all.DateTimeUTC)
	}
	c := all.Contacts[0]
	if len(c.Phones) != 4 || len(c.Addresses) != 2 || !msDateRE.MatchString(c.UpdatedDateUTC) {
		t.Errorf("contact shape: %d phones, %d addresses, updated %q", len(c.Phones), len(c.Addresses), c.UpdatedDateUTC)
	}
	for i := 1; i < len(all.Contacts); i++ {
		if strings.ToLower(all.Contacts[i-1].Name) > strings.ToLower(all.Contacts[i].Name) {
			t.Fatalf("default order is not by name: %q before %q", all.Contacts[i-1].Name, all.Contacts[i].Name)
		}
	}

	// page without pageSize: 100 a page, pages together give the whole list.
	seen := map[string]bool{}
	for page := 1; ; page++ {
		_, p := e.contacts("page=" + itoa(page))
		if p.Pagination.PageSize != 100 || p.Pagination.Page != page || p.Pagination.ItemCount != active {
			t.Fatalf("page %d pagination %+v", page, p.Pagination)
		}
		for _, c := range p.Contacts {
			if seen[c.ContactID] {
				t.Fatalf("contact %s on two pages", c.ContactID)
			}
			seen[c.ContactID] = true
		}
		if len(p.Contacts) < 100 {
			if page != p.Pagination.PageCount {
				t.Errorf("last page %d, pageCount %d", page, p.Pagination.PageCount)
			}
			break
		}
	}
	if len(seen) != active {
		t.Errorf("pages held %d contacts, want %d", len(seen), active)
	}
	_, big := e.contacts("page=1&pageSize=5000")
	if big.Pagination.PageSize != 1000 || len(big.Warnings) == 0 {
		t.Errorf("pageSize is capped at 1000 with a warning: %+v %v", big.Pagination, big.Warnings)
	}
	_, small := e.contacts("page=2&pageSize=7")
	if len(small.Contacts) != 7 || small.Contacts[0].ContactID != all.Contacts[7].ContactID {
		t.Errorf("page 2 of 7 starts at the 8th contact")
	}
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + func() string { return fmtInt(i) }())
}

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestContactsFilters(t *testing.T) {
	e := newEnv(t, Options{Contacts: 300, DisableLimits: true})
	contacts := e.s.Contacts(e.org)
	var archived, merged int
	for _, c := range contacts {
		if c.ContactStatus == "ARCHIVED" {
			archived++
		}
		if c.MergedToContactID != "" {
			merged++
		}
	}
	if archived == 0 || merged == 0 {
		t.Fatalf("demo data lacks archived (%d) or merged (%d) contacts", archived, merged)
	}
	_, withArchived := e.contacts("includeArchived=true")
	if len(withArchived.Contacts) != len(contacts) {
		t.Errorf("includeArchived: %d, want %d", len(withArchived.Contacts), len(contacts))
	}
	_, onlyArchived := e.contacts("where=" + url.QueryEscape(`ContactStatus=="ARCHIVED"`))
	if len(onlyArchived.Contacts) != archived {
		t.Errorf(`where ContactStatus=="ARCHIVED": %d, want %d`, len(onlyArchived.Contacts), archived)
	}
	_, customers := e.contacts("where=" + url.QueryEscape(`ContactStatus=="ACTIVE" AND IsCustomer==true`))
	for _, c := range customers.Contacts {
		if !c.IsCustomer || c.ContactStatus != "ACTIVE" {
			t.Fatalf("filter let through %+v", c)
		}
	}
	if len(customers.Contacts) == 0 {
		t.Fatal("no customers")
	}
	target := customers.Contacts[3]
	_, byIDs := e.contacts("IDs=" + target.ContactID + "," + customers.Contacts[4].ContactID)
	if len(byIDs.Contacts) != 2 {
		t.Errorf("IDs: %d contacts", len(byIDs.Contacts))
	}
	word := strings.ToUpper(strings.Fields(target.Name)[0])
	_, search := e.contacts("searchTerm=" + url.QueryEscape(word))
	found := false
	for _, c := range search.Contacts {
		found = found || c.ContactID == target.ContactID
		if !matchesTerm(&c, strings.ToLower(word)) {
			t.Errorf("searchTerm %q matched %q", word, c.Name)
		}
	}
	if !found {
		t.Errorf("searchTerm %q did not find %q", word, target.Name)
	}
	_, desc := e.contacts("order=" + url.QueryEscape("UpdatedDateUTC DESC"))
	for i := 1; i < len(desc.Contacts); i++ {
		if desc.Contacts[i-1].UpdatedDateUTC < desc.Contacts[i].UpdatedDateUTC && len(desc.Contacts[i-1].UpdatedDateUTC) == len(desc.Contacts[i].UpdatedDateUTC) {
			t.Fatalf("not descending at %d", i)
		}
	}
	_, sum := e.contacts("summaryOnly=true&page=1")
	if len(sum.Contacts) == 0 || sum.Contacts[0].Addresses != nil || sum.Contacts[0].Phones != nil {
		t.Errorf("summaryOnly keeps heavy fields: %+v", sum.Contacts[0])
	}
	if status, _ := e.contacts("where=" + url.QueryEscape(`Bogus=="x"`)); status != 400 {
		t.Errorf("bad where: %d", status)
	}
	if status, _ := e.contacts("order=Bogus"); status != 400 {
		t.Errorf("bad order: %d", status)
	}
}

func TestContactsIfModifiedSince(t *testing.T) {
	e := newEnv(t, Options{Contacts: 50, DisableLimits: true})
	e.s.Advance(time.Hour)
	cut := e.s.Now()
	e.s.Advance(time.Minute)
	e.access, _ = e.s.IssueToken()
	c := e.s.Contacts(e.org)[5]
	if err := e.s.UpdateContact(e.org, c.ContactID, func(c *Contact) { c.EmailAddress = "new@example.com" }); err != nil {
		t.Fatal(err)
	}
	for _, form := range []string{cut.Format(http.TimeFormat), cut.Format("2006-01-02T15:04:05"), cut.Format(time.RFC3339Nano),
		cut.In(time.FixedZone("NZDT", 13*3600)).Format("2006-01-02T15:04:05.000-07:00")} {
		_, got := e.contacts("includeArchived=true", "If-Modified-Since", form)
		if len(got.Contacts) != 1 || got.Contacts[0].EmailAddress != "new@example.com" {
			t.Errorf("If-Modified-Since %q: %d contacts", form, len(got.Contacts))
		}
	}
	if status, _ := e.contacts("", "If-Modified-Since", "yesterday"); status != 400 {
		t.Errorf("bad If-Modified-Since: %d", status)
	}
}

func TestContactGetCreateUpdate(t *testing.T) {
	e := newEnv(t, Options{Contacts: 30, DisableLimits: true})
	c := e.s.Contacts(e.org)[0]
	var one contactsResp
	resp, _ := e.call("GET", "/api.xro/2.0/Contacts/"+strings.ToUpper(c.ContactID), e.org, nil, &one)
	if resp.StatusCode != 200 || len(one.Contacts) != 1 || one.Contacts[0].Name != c.Name {
		t.Fatalf("get one: %d %+v", resp.StatusCode, one.Contacts)
	}
	if resp, _ := e.call("GET", "/api.xro/2.0/Contacts/00000000-0000-4000-8000-000000000000", e.org, nil, nil); resp.StatusCode != 404 {
		t.Errorf("missing contact: %d", resp.StatusCode)
	}
	var created contactsResp
	resp, _ = e.call("PUT", "/api.xro/2.0/Contacts", e.org, map[string]any{"Contacts": []map[string]any{
		{"Name": "Brand New Ltd", "EmailAddress": "hi@brandnew.co.nz", "IsCustomer": true}}}, &created)
	if resp.StatusCode != 200 || len(created.Contacts) != 1 || !isUUID(created.Contacts[0].ContactID) || len(created.Contacts[0].Phones) != 4 {
		t.Fatalf("create: %d %+v", resp.StatusCode, created)
	}
	id := created.Contacts[0].ContactID
	var updated contactsResp
	resp, _ = e.call("POST", "/api.xro/2.0/Contacts/"+id, e.org, map[string]any{"Contacts": []map[string]any{{"Name": "Brand New Limited"}}}, &updated)
	if resp.StatusCode != 200 || updated.Contacts[0].Name != "Brand New Limited" || updated.Contacts[0].EmailAddress != "hi@brandnew.co.nz" {
		t.Fatalf("update: %d %+v", resp.StatusCode, updated)
	}
	var errBody map[string]any
	resp, _ = e.call("PUT", "/api.xro/2.0/Contacts", e.org, map[string]any{"Name": c.Name}, &errBody)
	if resp.StatusCode != 400 || errBody["Type"] != "ValidationException" || !strings.Contains(string(mustJSON(errBody)), "already assigned") {
		t.Errorf("duplicate name: %d %v", resp.StatusCode, errBody)
	}
	if err := e.s.ArchiveContact(e.org, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.s.Contact(e.org, id); got.ContactStatus != "ARCHIVED" {
		t.Errorf("ArchiveContact left %q", got.ContactStatus)
	}
	added, err := e.s.AddContact(e.org, Contact{Name: "Added By Test"})
	if err != nil || !isUUID(added.ContactID) {
		t.Fatalf("AddContact: %v %+v", err, added)
	}
	resp, _ = e.call("GET", "/api.xro/2.0/Contacts/"+added.ContactID, e.org, nil, &one)
	if resp.StatusCode != 200 || one.Contacts[0].Name != "Added By Test" {
		t.Errorf("added contact over HTTP: %d", resp.StatusCode)
	}
}

func TestContactsAnswerXMLWithoutAcceptJSON(t *testing.T) {
	e := newEnv(t, Options{Contacts: 10, DisableLimits: true})
	resp, body := e.call("GET", "/api.xro/2.0/Contacts?page=1", e.org, nil, nil, "Accept", "*/*")
	var doc struct {
		Status   string `xml:"Status"`
		Contacts []struct {
			ContactID string  `xml:"ContactID"`
			Phones    []Phone `xml:"Phones>Phone"`
		} `xml:"Contacts>Contact"`
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if err := xml.Unmarshal(body, &doc); err != nil || doc.Status != "OK" || len(doc.Contacts) == 0 || len(doc.Contacts[0].Phones) != 4 {
		t.Fatalf("XML: %v %+v", err, doc)
	}
}

func TestContactsSummarizeErrorsFalse(t *testing.T) {
	e := newEnv(t, Options{Contacts: 10, DisableLimits: true})
	existing := e.s.Contacts(e.org)[0].Name
	var out contactsResp
	resp, _ := e.call("POST", "/api.xro/2.0/Contacts?summarizeErrors=false", e.org, map[string]any{"Contacts": []map[string]any{
		{"Name": "Fresh One Ltd"}, {"Name": existing}, {"EmailAddress": "no-name@example.com"}}}, &out)
	if resp.StatusCode != 200 || len(out.Contacts) != 3 {
		t.Fatalf("%d %+v", resp.StatusCode, out)
	}
	want := []string{"OK", "ERROR", "ERROR"}
	for i, c := range out.Contacts {
		if c.StatusAttributeString != want[i] || (want[i] == "ERROR") != (len(c.ValidationErrors) == 1 && c.HasValidationErrors) {
			t.Errorf("contact %d: %+v", i, c)
		}
	}
	if n := len(e.s.Contacts(e.org)); n != 11 {
		t.Errorf("%d contacts stored, want the valid one added (11)", n)
	}
	if got, _ := e.s.Contact(e.org, out.Contacts[0].ContactID); got.StatusAttributeString != "" {
		t.Errorf("the stored contact keeps the answer's status attribute")
	}
}

func TestContactWriteIdempotencyKey(t *testing.T) {
	e := newEnv(t, Options{Contacts: 10, DisableLimits: true})
	body := map[string]any{"Contacts": []map[string]any{{"Name": "Once Only Ltd"}}}
	var a, b contactsResp
	r1, _ := e.call("PUT", "/api.xro/2.0/Contacts", e.org, body, &a, "Idempotency-Key", "c-1")
	r2, _ := e.call("PUT", "/api.xro/2.0/Contacts", e.org, body, &b, "Idempotency-Key", "c-1")
	if r1.StatusCode != 200 || r2.StatusCode != 200 || a.Contacts[0].ContactID != b.Contacts[0].ContactID {
		t.Fatalf("%d %d %v %v", r1.StatusCode, r2.StatusCode, a.Contacts, b.Contacts)
	}
	if r2.Header.Get("Idempotent-Replayed") != "true" || len(e.s.Contacts(e.org)) != 11 {
		t.Errorf("replay header %q, %d contacts", r2.Header.Get("Idempotent-Replayed"), len(e.s.Contacts(e.org)))
	}
	// The key is per tenant: the same key elsewhere is a new request.
	if r3, _ := e.call("PUT", "/api.xro/2.0/Contacts", e.org2, body, nil, "Idempotency-Key", "c-1"); r3.StatusCode != 200 || len(e.s.Contacts(e.org2)) != 13 {
		t.Errorf("other tenant: %d, %d contacts", r3.StatusCode, len(e.s.Contacts(e.org2)))
	}
}
