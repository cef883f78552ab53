package xpmsim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// idGen makes deterministic v4-shaped UUIDs from the practice's seed.
type idGen struct{ r *rand.Rand }

func (g idGen) uuid() string {
	a, b := g.r.Uint64(), g.r.Uint64()
	a = a&^0xf000 | 0x4000         // version 4
	b = b&^(0xc<<60) | (0x8 << 60) // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// stateSlot is one step of a practice's workflow; each practice names it
// differently (XPM states are custom per practice).
type stateSlot struct {
	names        [][2]string // {name, interface code}
	weight       int         // share of jobs, percent
	completed    bool
	awaitsClient bool
}

var workflow = []stateSlot{
	{names: [][2]string{{"Planned", "PLANNED"}, {"Not Started", "NOTSTART"}, {"Scheduled", "SCHED"}}, weight: 15},
	{names: [][2]string{{"In Progress", "INPROG"}, {"Work in Progress", "WIP"}, {"Underway", "UNDERWAY"}}, weight: 20},
	// The "Awaiting Information" state under other names and codes, so no
	// client can get away with hard-coding it.
	{names: [][2]string{
		{"Waiting on Client Records", "WAITREC"},
		{"Records Requested", "RECREQ"},
		{"With Client - Info Needed", "CLIENTINFO"},
		{"Pending Client Documents", "PENDDOCS"},
	}, weight: 20, awaitsClient: true},
	{names: [][2]string{{"Query with Client", "QUERY"}, {"Client Query Raised", "CQUERY"}}, weight: 8},
	{names: [][2]string{{"Review", "REVIEW"}, {"Ready for Review", "READYREV"}, {"Manager Review", "MGRREV"}}, weight: 10},
	{names: [][2]string{{"Sent for Signing", "SIGN"}, {"With Client for Approval", "APPROVAL"}}, weight: 5},
	{names: [][2]string{{"Completed", "COMPLETE"}, {"Finalised", "FINAL"}, {"Done", "DONE"}}, weight: 20, completed: true},
	{names: [][2]string{{"Cancelled", "CANCEL"}, {"Not Proceeding", "NOTPROC"}}, weight: 2, completed: true},
}

var (
	firstNames = []string{"Olivia", "Liam", "Amelia", "Noah", "Isla", "Jack", "Ava", "Oliver", "Mia", "Leo",
		"Charlotte", "William", "Grace", "James", "Ruby", "Lucas", "Harper", "Henry", "Zoe", "Thomas",
		"Aroha", "Wiremu", "Priya", "Arjun", "Mei", "Wei", "Sofia", "Mateo", "Fatima", "Omar"}
	lastNames = []string{"Smith", "Williams", "Brown", "Wilson", "Taylor", "Jones", "Nguyen", "Singh", "Patel",
		"Walker", "Harris", "Martin", "Thompson", "White", "Clarke", "Ngata", "Tane", "Chen", "Wang",
		"O'Brien", "McDonald", "Kelly", "Murphy", "Campbell", "Stewart", "Robinson", "Young", "King", "Wright", "Scott"}
	bizWords = []string{"Harbour", "Kauri", "Summit", "Coastal", "Pacific", "Southern", "Ridge", "Totara",
		"Riverside", "Northern", "Fern", "Bluestone", "Cedar", "Golden Bay", "Kiwi", "Alpine", "Meridian", "Orchard"}
	bizKinds = []string{"Plumbing", "Dental", "Cafe", "Builders", "Landscaping", "Electrical", "Design",
		"Motors", "Physio", "Vineyard", "Bakery", "Logistics", "Consulting", "Joinery", "Florists", "Legal"}
	bizSuffix   = []string{" Ltd", " Limited", " Pty Ltd", " & Co", " Trust", ""}
	staffNames  = []string{"Jo Bloggs", "Sam Carter", "Alex Moana", "Priya Raman", "Tom Hughes", "Ella Fraser"}
	cities      = []string{"Auckland", "Wellington", "Christchurch", "Hamilton", "Dunedin", "Tauranga", "Nelson"}
	clientTypes = []string{"Monthly", "20th of Month", "Within 14 Days"}
	jobKinds    = []struct {
		typ   string
		tasks []string
	}{
		{"Annual Accounts", []string{"Collect records", "Prepare accounts", "Partner review"}},
		{"GST Return", []string{"Reconcile bank", "Prepare GST return", "File return"}},
		{"Income Tax Return", []string{"Collect records", "Prepare return", "File return"}},
		{"Payroll", []string{"Process pay run", "File employment information"}},
		{"Bookkeeping", []string{"Code transactions", "Reconcile accounts"}},
		{"FBT Return", []string{"Collect vehicle logbooks", "Prepare FBT return"}},
	}
)

// generate fills p with the demo practice. Everything derives from seed, so
// the same Options give the same practice.
func (p *Practice) generate(opts Options) {
	r := rand.New(rand.NewPCG(uint64(opts.Seed), 0x5850_4d73_696d)) // "XPMsim"
	p.ids = idGen{r: r}
	now := p.clock()
	today := day(now)

	for _, slot := range workflow {
		n := slot.names[r.IntN(len(slot.names))]
		p.states = append(p.states, State{UUID: p.ids.uuid(), Name: n[0], Code: n[1],
			Completed: slot.completed, AwaitsClient: slot.awaitsClient})
	}
	for _, name := range staffNames {
		p.staff = append(p.staff, Staff{UUID: p.ids.uuid(), Name: name})
	}

	modified := func() time.Time { return now.Add(-time.Duration(r.IntN(365*24)) * time.Hour) }
	newClient := func(name string, person bool, first, last string) *Client {
		c := &Client{UUID: p.ids.uuid(), Name: name, IsPerson: person, FirstName: first, LastName: last,
			AccountManager: p.staff[r.IntN(len(p.staff))], TypeName: clientTypes[r.IntN(len(clientTypes))],
			Phone:      fmt.Sprintf("(0%d) %03d %04d", 3+r.IntN(7), r.IntN(1000), r.IntN(10000)),
			PostalCity: cities[r.IntN(len(cities))], Modified: modified(), LinkHint: "none"}
		c.PostalAddress = fmt.Sprintf("%d %s Street", 1+r.IntN(300), lastNames[r.IntN(len(lastNames))])
		c.PostalPostCode = fmt.Sprintf("%04d", 1000+r.IntN(9000))
		if person {
			c.DateOfBirth = time.Date(1940+r.IntN(65), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		} else {
			cf, cl := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
			c.Contacts = []ClientContact{{UUID: p.ids.uuid(), Name: cf + " " + cl, IsPrimary: true,
				Email: strings.ToLower(cf) + "@" + slug(name) + ".example"}}
		}
		return c
	}

	for _, s := range opts.Clients {
		first, last := s.FirstName, s.LastName
		c := newClient(s.Name, s.IsPerson, first, last)
		c.ContactID, c.Email = s.ContactID, s.Email
		// How practices keep the two systems together varies; mix the ways a
		// linker must find the contact.
		switch roll := r.IntN(100); {
		case roll < 55 && s.AccountNumber != "":
			c.ExportCode, c.LinkHint = s.AccountNumber, "code"
		case roll < 70 && s.Email != "":
			// Named a little differently; only the email ties it to the contact.
			c.Name, c.LinkHint = variantName(s, r), "email"
		case roll < 75:
			// Same name, twin client with no contact: a person must decide.
			c.LinkHint = "ambiguous"
			twin := newClient(s.Name, s.IsPerson, first, last)
			twin.LinkHint = "ambiguous"
			p.insertClient(c)
			p.insertClient(twin)
			continue
		default:
			c.LinkHint = "name"
			if r.IntN(4) == 0 {
				c.Email = "" // name only
			}
		}
		if r.IntN(40) == 0 {
			c.IsProspect = true
		}
		if r.IntN(30) == 0 {
			c.IsArchived = true
		}
		p.insertClient(c)
	}
	for i := 0; i < opts.ExtraClients; i++ {
		var c *Client
		if r.IntN(2) == 0 {
			f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
			c = newClient(f+" "+l, true, f, l)
			c.Email = fmt.Sprintf("%s.%s%d@mail.example", strings.ToLower(f), slug(l), i)
		} else {
			name := bizWords[r.IntN(len(bizWords))] + " " + bizKinds[r.IntN(len(bizKinds))] + bizSuffix[r.IntN(len(bizSuffix))]
			c = newClient(name, false, "", "")
			c.Email = fmt.Sprintf("accounts%d@%s.example", i, slug(name))
			c.ExportCode = fmt.Sprintf("X%04d", i+1)
		}
		c.IsProspect = r.IntN(10) == 0
		p.insertClient(c)
	}
	// A few families billed through one member.
	for i := 1; i+1 < len(p.clients); i += 37 {
		if p.clients[i].IsPerson {
			p.clients[i].BillingClientUUID = p.clients[i+1].UUID
		}
	}

	p.jobSeq = 100
	totalWeight := 0
	for _, s := range workflow {
		totalWeight += s.weight
	}
	used := make([]bool, len(p.states))
	pickState := func() int {
		for i, u := range used { // every state gets a job first
			if !u {
				return i
			}
		}
		w := r.IntN(totalWeight)
		for i, s := range workflow {
			if w < s.weight {
				return i
			}
			w -= s.weight
		}
		return 0
	}
	for _, c := range p.clients {
		if c.IsProspect {
			continue
		}
		for k := 1 + r.IntN(4); k > 0; k-- { // 1..4: 2.5 jobs per client on average
			kind := jobKinds[r.IntN(len(jobKinds))]
			si := len(workflow) - 2 // archived clients' work is finished
			if !c.IsArchived {
				si = pickState()
				used[si] = true
			}
			st := p.states[si]
			start := today.AddDate(0, 0, -r.IntN(300))
			due := today.AddDate(0, 0, r.IntN(165)-45)
			if due.Before(start) {
				due = start.AddDate(0, 0, 14+r.IntN(60))
			}
			j := &Job{
				ID: p.nextJobID(), UUID: p.ids.uuid(), Type: kind.typ,
				Name:      fmt.Sprintf("%s %d", kind.typ, today.Year()-r.IntN(2)),
				StateCode: st.Code, ClientUUID: c.UUID,
				Manager: p.staff[r.IntN(len(p.staff))], StartDate: start, DueDate: due,
				Budget:       float64(5+r.IntN(60)) * 50,
				StateChanged: now.Add(-time.Duration(r.IntN(60*24)) * time.Hour),
			}
			if r.IntN(3) > 0 {
				j.Partner = p.staff[r.IntN(2)]
			}
			j.Assigned = []Staff{p.staff[r.IntN(len(p.staff))]}
			if len(c.Contacts) > 0 {
				j.ContactUUID, j.ContactName = c.Contacts[0].UUID, c.Contacts[0].Name
			}
			if st.Completed {
				j.CompletedDate = day(j.StateChanged)
			}
			for ti, tn := range kind.tasks {
				t := Task{UUID: p.ids.uuid(), TaskUUID: p.ids.uuid(), Name: tn,
					EstimatedMinutes: 30 * (1 + r.IntN(8)), Billable: true, Completed: st.Completed}
				t.ActualMinutes = r.IntN(t.EstimatedMinutes + 60)
				if ti == 0 {
					t.StartDate, t.DueDate = start, due
				}
				j.Tasks = append(j.Tasks, t)
			}
			p.insertJob(j)
		}
	}
}

// variantName renders a contact's name the way a practice might have typed
// it into XPM: "Smith, John", "Ltd" vs "Limited", "&" vs "and".
func variantName(s ClientSeed, r *rand.Rand) string {
	n := s.Name
	if s.IsPerson && s.FirstName != "" && s.LastName != "" {
		return s.LastName + ", " + s.FirstName
	}
	switch {
	case strings.HasSuffix(n, " Limited"):
		return strings.TrimSuffix(n, " Limited") + " Ltd"
	case strings.HasSuffix(n, " Ltd"):
		return strings.TrimSuffix(n, " Ltd") + " Limited"
	case strings.Contains(n, " & "):
		return strings.Replace(n, " & ", " and ", 1)
	case r.IntN(2) == 0:
		return "The " + n
	default:
		return n + " (Trading)"
	}
}

func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}
