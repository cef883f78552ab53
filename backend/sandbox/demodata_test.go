package sandbox

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
)

func TestDemoDataIsDeterministic(t *testing.T) {
	a, b, c := New(Options{Seed: 7}), New(Options{Seed: 7}), New(Options{Seed: 8})
	if a.Tenants()[0].ID != b.Tenants()[0].ID || a.Tenants()[0].ID == c.Tenants()[0].ID {
		t.Fatalf("tenant IDs: %v %v %v", a.Tenants()[0], b.Tenants()[0], c.Tenants()[0])
	}
	ca, cb := a.Contacts(a.Tenants()[0].ID), b.Contacts(b.Tenants()[0].ID)
	if len(ca) != 200 || len(cb) != 200 {
		t.Fatalf("default size %d", len(ca))
	}
	for i := range ca {
		if ca[i].ContactID != cb[i].ContactID || ca[i].Name != cb[i].Name || ca[i].EmailAddress != cb[i].EmailAddress {
			t.Fatalf("contact %d differs: %+v vs %+v", i, ca[i], cb[i])
		}
	}
	names := map[string]string{}
	for _, tn := range a.Tenants() {
		names[tn.Type] += tn.Name + ";"
	}
	if !strings.Contains(names["ORGANISATION"], "Demo Practice Ltd") || names["PRACTICEMANAGER"] == "" {
		t.Errorf("tenants %v", names)
	}
	if n := len(a.Contacts(a.Tenants()[1].ID)); n == 0 || n > 20 {
		t.Errorf("second organisation has %d contacts", n)
	}
}

var accountRE = regexp.MustCompile(`^ACC-\d{4,}$`)

func TestDemoDataIsRealistic(t *testing.T) {
	s := New(Options{Contacts: 2000, Seed: 3})
	org := s.Tenants()[0].ID
	contacts := s.Contacts(org)
	if len(contacts) != 2000 {
		t.Fatalf("%d contacts", len(contacts))
	}
	byEmail := map[string]int{}
	activeNames := map[string]bool{}
	norm := func(n string) string {
		n = strings.ToLower(strings.NewReplacer(" and ", " & ", "limited", "ltd", "pty. ltd.", "pty ltd", "'", "").Replace(strings.ToLower(n)))
		return n
	}
	normalised := map[string]int{}
	var persons, companies, archived, merged, accounts, persons2 int
	for _, c := range contacts {
		byEmail[strings.ToLower(c.EmailAddress)]++
		normalised[norm(c.Name)]++
		if c.IsPerson {
			persons++
		} else {
			companies++
		}
		if c.ContactStatus == "ARCHIVED" {
			archived++
		} else {
			if activeNames[strings.ToLower(c.Name)] {
				t.Errorf("two active contacts named %q", c.Name)
			}
			activeNames[strings.ToLower(c.Name)] = true
		}
		if c.MergedToContactID != "" {
			merged++
			if target, ok := s.Contact(org, c.MergedToContactID); !ok || c.ContactStatus != "ARCHIVED" {
				t.Errorf("merged contact %q -> %+v", c.Name, target.Name)
			}
		}
		if c.AccountNumber != "" {
			accounts++
			if !accountRE.MatchString(c.AccountNumber) {
				t.Errorf("account number %q", c.AccountNumber)
			}
		}
		if len(c.ContactPersons) > 0 {
			persons2++
		}
		if len(c.Phones) != 4 || len(c.Addresses) != 2 {
			t.Fatalf("%q: %d phones %d addresses", c.Name, len(c.Phones), len(c.Addresses))
		}
	}
	shared := 0
	for _, n := range byEmail {
		if n > 1 {
			shared++
		}
	}
	lookalikes := 0
	for _, n := range normalised {
		if n > 1 {
			lookalikes++
		}
	}
	for what, n := range map[string]int{"persons": persons, "companies": companies, "archived": archived, "merged": merged,
		"account numbers": accounts, "shared emails": shared, "look-alike names": lookalikes, "contact persons": persons2} {
		if n < 5 {
			t.Errorf("only %d %s", n, what)
		}
	}
}

func TestPracticeClientsFromContacts(t *testing.T) {
	s := New(Options{Contacts: 400, Seed: 5})
	org := s.Tenants()[0].ID
	contacts := s.Contacts(org)
	byName, byEmail := map[string]bool{}, map[string]bool{}
	for _, c := range contacts {
		byName[c.Name] = true
		byEmail[strings.ToLower(c.EmailAddress)] = true
	}
	var sameName, emailOnly, unmatched int
	for _, cl := range s.Practice().Clients() {
		switch {
		case byName[cl.Name]:
			sameName++
		case cl.Email != "" && byEmail[strings.ToLower(cl.Email)]:
			emailOnly++
		default:
			unmatched++
		}
	}
	if sameName < 200 || emailOnly < 5 || unmatched < 5 {
		t.Errorf("XPM clients: %d by name, %d only by email, %d without a contact", sameName, emailOnly, unmatched)
	}
}

func TestPracticeMount(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	resp, body := e.call("GET", "/practicemanager/3.1/client.api/list", e.xpm, nil, nil)
	var doc struct {
		Status  string `xml:"Status"`
		Clients []struct {
			UUID string `xml:"UUID"`
			Name string `xml:"Name"`
		} `xml:"Clients>Client"`
	}
	if resp.StatusCode != 200 || xml.Unmarshal(body, &doc) != nil || doc.Status != "OK" || len(doc.Clients) == 0 {
		t.Fatalf("client.api/list: %d %.300s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-MinLimit-Remaining") == "" {
		t.Error("XPM responses lack the limit headers")
	}
	resp, body = e.call("GET", "/practicemanager/3.1/client.api/get/"+doc.Clients[0].UUID, e.xpm, nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), doc.Clients[0].Name) {
		t.Errorf("client.api/get: %d %.300s", resp.StatusCode, body)
	}
	// Job scopes only: clients are out of reach.
	e.access, _ = e.s.IssueToken("practicemanager.job.read")
	if resp, _ := e.call("GET", "/practicemanager/3.1/client.api/list", e.xpm, nil, nil); resp.StatusCode != 401 {
		t.Errorf("client list with job scope: %d", resp.StatusCode)
	}
	if resp, _ := e.call("GET", "/practicemanager/3.1/job.api/current", e.xpm, nil, nil); resp.StatusCode != 200 {
		t.Errorf("jobs with job scope: %d", resp.StatusCode)
	}
}
