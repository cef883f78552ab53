package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"chase.md/backend/sandbox/xpmsim"
)

// Demo tenants. Their IDs derive from Options.Seed, so they are stable.
const (
	PracticeOrgName = "Demo Practice Ltd"
	SecondOrgName   = "Kowhai Cafe Ltd"
	PracticeXPMName = "Demo Practice Ltd (Practice Manager)"
)

var (
	firstNames = []string{"Aroha", "James", "Olivia", "Liam", "Charlotte", "Noah", "Amelia", "Jack", "Isla", "Oliver",
		"Mia", "William", "Harper", "Lucas", "Sophie", "Thomas", "Grace", "Mason", "Ruby", "Hemi", "Priya", "Wei",
		"Fatima", "Sione", "Mere", "Ethan", "Chloe", "Daniel", "Emily", "Rangi", "Siobhan", "Callum", "Anaya", "Tama"}
	lastNames = []string{"Smith", "Williams", "Brown", "Wilson", "Taylor", "Jones", "Walker", "Thompson", "Anderson",
		"O'Brien", "Ngata", "Patel", "Singh", "Chen", "Nguyen", "Kelly", "Murphy", "MacDonald", "McKenzie", "Clarke",
		"Robinson", "Harris", "Te Whare", "Tui", "Fletcher", "Young", "King", "Wright", "Scott", "Green", "Baker",
		"Hall", "Campbell", "Stewart", "Morris", "Reid", "Ross", "Parata", "Kaur", "Li"}
	tradeWords = []string{"Plumbing", "Electrical", "Builders", "Landscaping", "Dental", "Physio", "Cafe", "Bakery",
		"Motors", "Logistics", "Design", "Consulting", "Joinery", "Roofing", "Vineyard", "Farms", "Orchard",
		"Fitness", "Hair Studio", "Legal", "Engineering", "Print", "Marine", "Surveying", "Kitchens"}
	placeWords = []string{"Harbour", "Kauri", "Totara", "Southern Cross", "Pacific", "Coastal", "Ridgeline",
		"Riverbend", "Summit", "Waitemata", "Kiwi", "Bluegum", "Wattle", "Highland", "Pohutukawa", "Tasman"}
	groups = []string{"Monthly GST", "Annual Accounts", "Payroll Clients", "Provisional Tax"}
)

type region struct {
	country, code string
	cities        []string
	regions       []string
	companySuffix []string
	mailDomains   []string // where people keep their own email
	tld           string   // companies' own domains end in it
}

var regions = []region{
	{"New Zealand", "64", []string{"Auckland", "Wellington", "Christchurch", "Hamilton", "Tauranga", "Dunedin"},
		[]string{"Auckland", "Wellington", "Canterbury", "Waikato", "Bay of Plenty", "Otago"},
		[]string{"Ltd", "Limited"}, []string{"xtra.co.nz", "gmail.com"}, "co.nz"},
	{"Australia", "61", []string{"Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"},
		[]string{"NSW", "VIC", "QLD", "WA", "SA"},
		[]string{"Pty Ltd", "Pty Limited"}, []string{"bigpond.com", "gmail.com"}, "com.au"},
	{"United Kingdom", "44", []string{"London", "Manchester", "Leeds", "Bristol", "Edinburgh"},
		[]string{"Greater London", "Greater Manchester", "West Yorkshire", "Bristol", "Scotland"},
		[]string{"Ltd", "Limited", "LLP"}, []string{"btinternet.com", "gmail.com"}, "co.uk"},
}

// demoGen is the deterministic demo-data generator.
type demoGen struct {
	r     *rand.Rand
	now   time.Time
	names map[string]bool // lower-cased names of active contacts (Xero keeps them unique)
	gids  []string
}

func (s *Server) buildDemo() {
	g := &demoGen{r: rand.New(rand.NewPCG(uint64(s.opts.Seed), 0xc0ffee)), now: s.nowLocked(0),
		names: map[string]bool{}}
	for range groups {
		g.gids = append(g.gids, newUUID(g.r))
	}
	practice := g.tenant(PracticeOrgName, tenantOrganisation)
	second := g.tenant(SecondOrgName, tenantOrganisation)
	xpmT := g.tenant(PracticeXPMName, tenantPractice)
	g.fill(practice, s.opts.Contacts, true)
	g.names = map[string]bool{}
	g.fill(second, 12, false)
	s.tenants = []*tenant{practice, second, xpmT}
	for _, t := range s.tenants {
		s.byID[t.ID] = t
	}
	s.practice = xpmsim.New(xpmsim.Options{Seed: s.opts.Seed, Clock: s.now, Clients: g.clientSeeds(practice),
		ExtraClients: 3 + s.opts.Contacts/20, DisableJobStateList: s.opts.XPMNoJobStateList})
}

func (g *demoGen) tenant(name, typ string) *tenant {
	t := &tenant{ID: newUUID(g.r), Name: name, Type: typ, contacts: map[string]*Contact{}, files: map[string]*file{}}
	if typ == tenantOrganisation {
		t.folders = []*folder{
			{ID: newUUID(g.r), Name: "Inbox", IsInbox: true,
				Email: fmt.Sprintf("xero.inbox.%s@xerofiles.com", strings.ReplaceAll(t.ID[:13], "-", "."))},
			{ID: newUUID(g.r), Name: "Contracts"},
			{ID: newUUID(g.r), Name: "Year End"},
		}
	}
	return t
}

func (g *demoGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// fill adds n contacts to t. Practice contacts are mostly customers (the
// practice's clients); the cafe's are mostly suppliers.
func (g *demoGen) fill(t *tenant, n int, practice bool) {
	t.order = make([]*Contact, 0, n)
	for i := 0; i < n; i++ {
		var c *Contact
		switch {
		case i > 10 && i%25 == 7:
			c = g.lookAlike(t.order[g.r.IntN(len(t.order))], i)
		default:
			c = g.contact(i, practice)
		}
		if i > 10 && g.r.IntN(100) < 5 { // shared inboxes: families, a bookkeeper for several clients
			c.EmailAddress = t.order[g.r.IntN(len(t.order))].EmailAddress
		}
		switch roll := g.r.IntN(1000); {
		case roll < 60:
			c.ContactStatus = "ARCHIVED"
		case roll < 75 && len(t.order) > 0:
			target := t.order[g.r.IntN(len(t.order))]
			if target.ContactStatus == "ACTIVE" {
				c.ContactStatus, c.MergedToContactID = "ARCHIVED", target.ContactID
			}
		}
		if c.ContactStatus == "ACTIVE" {
			key := strings.ToLower(c.Name)
			for try := 2; g.names[key]; try++ {
				c.Name = fmt.Sprintf("%s (%d)", strings.TrimSuffix(c.Name, fmt.Sprintf(" (%d)", try-1)), try)
				key = strings.ToLower(c.Name)
			}
			g.names[key] = true
		}
		t.contacts[c.ContactID] = c
		t.order = append(t.order, c)
	}
}

func (g *demoGen) contact(i int, practice bool) *Contact {
	rg := regions[g.r.IntN(len(regions))]
	c := &Contact{ContactID: newUUID(g.r), ContactStatus: "ACTIVE", ContactGroups: []ContactGroup{}}
	first, last := g.pick(firstNames), g.pick(lastNames)
	c.IsPerson = g.r.IntN(100) < 35
	if c.IsPerson {
		c.Name, c.FirstName, c.LastName = first+" "+last, first, last
		c.EmailAddress = emailLocal(first) + "." + emailLocal(last) + "@" + g.pick(rg.mailDomains)
	} else {
		switch g.r.IntN(5) {
		case 0:
			c.Name = last + " & Co " + g.pick(rg.companySuffix)
		case 1:
			c.Name = last + " " + g.pick(tradeWords) + " " + g.pick(rg.companySuffix)
		case 2:
			c.Name = g.pick(placeWords) + " " + g.pick(tradeWords) + " " + g.pick(rg.companySuffix)
		case 3:
			c.Name = "The " + last + " Family Trust"
		default:
			c.Name = first + " " + last + " " + g.pick(tradeWords)
		}
		c.FirstName, c.LastName = first, last // the primary person, as Xero keeps it
		dom := strings.ToLower(strings.NewReplacer(" ", "", "&", "", "'", "").Replace(strings.Fields(c.Name)[0] + strings.Fields(c.Name)[1]))
		c.EmailAddress = []string{"accounts", "admin", "office", emailLocal(first)}[g.r.IntN(4)] + "@" + dom + "." + rg.tld
		c.CompanyNumber = fmt.Sprintf("%d", 1000000+g.r.IntN(8999999))
		if g.r.IntN(2) == 0 {
			c.ContactPersons = append(c.ContactPersons, ContactPerson{FirstName: g.pick(firstNames), LastName: last,
				EmailAddress: "bookkeeping@" + dom + "." + rg.tld, IncludeInEmails: true})
		}
	}
	if g.r.IntN(100) < 80 {
		c.AccountNumber = fmt.Sprintf("ACC-%04d", i+1)
	}
	if g.r.IntN(100) < 30 {
		c.ContactNumber = fmt.Sprintf("CN%05d", i+1)
	}
	if practice {
		c.IsCustomer, c.IsSupplier = g.r.IntN(100) < 88, g.r.IntN(100) < 8
	} else {
		c.IsCustomer, c.IsSupplier = g.r.IntN(100) < 20, g.r.IntN(100) < 85
	}
	if g.r.IntN(2) == 0 {
		gi := g.r.IntN(len(groups))
		c.ContactGroups = append(c.ContactGroups, ContactGroup{ContactGroupID: g.gids[gi], Name: groups[gi], Status: "ACTIVE"})
	}
	city := g.r.IntN(len(rg.cities))
	area := fmt.Sprintf("%d", 2+g.r.IntN(8))
	num := func() string { return fmt.Sprintf("%03d %04d", g.r.IntN(1000), g.r.IntN(10000)) }
	c.Phones = []Phone{
		{PhoneType: "DEFAULT", PhoneNumber: num(), PhoneAreaCode: area, PhoneCountryCode: rg.code},
		{PhoneType: "DDI"}, {PhoneType: "MOBILE"}, {PhoneType: "FAX"},
	}
	if g.r.IntN(2) == 0 {
		c.Phones[2] = Phone{PhoneType: "MOBILE", PhoneNumber: num(), PhoneAreaCode: "2" + area, PhoneCountryCode: rg.code}
	}
	c.Addresses = []Address{
		{AddressType: "STREET", AddressLine1: fmt.Sprintf("%d %s Street", 1+g.r.IntN(300), g.pick(lastNames)),
			City: rg.cities[city], Region: rg.regions[city], PostalCode: fmt.Sprintf("%04d", g.r.IntN(10000)), Country: rg.country},
		{AddressType: "POBOX", AddressLine1: fmt.Sprintf("PO Box %d", 1+g.r.IntN(9999)),
			City: rg.cities[city], Region: rg.regions[city], PostalCode: fmt.Sprintf("%04d", g.r.IntN(10000)), Country: rg.country},
	}
	c.Balances = &Balances{}
	c.Balances.AccountsReceivable.Outstanding = float64(g.r.IntN(500000)) / 100
	c.touch(g.now.Add(-time.Duration(1+g.r.IntN(700*24*60)) * time.Minute).Truncate(time.Millisecond))
	return c
}

// lookAlike derives a contact whose name is easily confused with base's:
// "Smith & Co Ltd" vs "Smith and Co Limited".
func (g *demoGen) lookAlike(base *Contact, i int) *Contact {
	c := g.contact(i, true)
	c.IsPerson, c.FirstName, c.LastName = base.IsPerson, base.FirstName, base.LastName
	name := lookAlikeMap.Replace(base.Name)
	if name == base.Name {
		name = strings.ToUpper(base.Name[:1]) + strings.ToLower(base.Name[1:]) + " Ltd"
	}
	c.Name = name
	return c
}

var (
	domainChars  = strings.NewReplacer(" ", "", "&", "", "'", "")
	emailChars   = strings.NewReplacer(" ", "", "'", "")
	lookAlikeMap = strings.NewReplacer(" & ", " and ", " and ", " & ", " Ltd", " Limited", " Limited", " Ltd",
		"Pty Ltd", "Pty. Ltd.", "'", "")
)

func emailLocal(s string) string { return strings.ToLower(emailChars.Replace(s)) }

// clientSeeds picks which practice contacts XPM knows as clients: most by
// name and email, some only by email (a different name), some not at all.
func (g *demoGen) clientSeeds(t *tenant) []xpmsim.ClientSeed {
	var out []xpmsim.ClientSeed
	for _, c := range t.order {
		if c.ContactStatus != "ACTIVE" || !c.IsCustomer {
			continue
		}
		seed := xpmsim.ClientSeed{ContactID: c.ContactID, Name: c.Name, Email: c.EmailAddress,
			AccountNumber: c.AccountNumber, IsPerson: c.IsPerson, FirstName: c.FirstName, LastName: c.LastName}
		switch roll := g.r.IntN(100); {
		case roll < 10: // not in XPM
			continue
		case roll < 18: // known to XPM under another name; only the email links them
			seed.AccountNumber = ""
			if c.IsPerson && c.FirstName != "" {
				seed.Name = c.FirstName[:1] + " " + c.LastName
			} else {
				seed.Name = strings.Fields(c.Name)[0] + " Trading"
			}
		}
		out = append(out, seed)
	}
	return out
}
