package xpmsim

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Staff is a practice staff member (job manager, partner, account manager).
type Staff struct {
	UUID, Name string
}

// State is one of the practice's custom job states. XPM identifies a state by
// its Name on jobs and by its Interface Code (Code) in PUT job.api/state; the
// withdrawn spec's jobstate.api/list shows only UUID and Name, so a client
// cannot learn Code from the API.
type State struct {
	UUID, Name, Code string
	// Completed states end a job: its jobs leave job.api/current and get a
	// CompletedDate.
	Completed bool
	// AwaitsClient is ground truth for tests, never sent: the practice uses
	// this state for "waiting on the client's records".
	AwaitsClient bool
}

// Task is a task on a job (sent by job.api/get and ?detailed=true).
type Task struct {
	UUID, TaskUUID, Name            string
	EstimatedMinutes, ActualMinutes int
	Completed, Billable             bool
	StartDate, DueDate              time.Time // zero: not scheduled
}

// Job is one XPM job. Copies handed out by Jobs() carry State and ClientName
// resolved from StateCode and ClientUUID.
type Job struct {
	ID, UUID, Name, Description, Type string
	StateCode                         string
	State                             string // name, filled on read
	ClientUUID                        string
	ClientName                        string // filled on read
	ContactUUID, ContactName          string // the client's contact person; optional
	Manager, Partner                  Staff  // zero: absent
	Assigned                          []Staff
	Budget                            float64
	StartDate, DueDate                time.Time
	CompletedDate                     time.Time // zero unless in a completed state
	// StateChanged is when the job last entered its state (for "days waiting").
	StateChanged time.Time
	Tasks        []Task
}

// ClientContact is a person on a client's Contacts list.
type ClientContact struct {
	UUID, Name, Email, Phone string
	IsPrimary                bool
}

// Client is one XPM client.
type Client struct {
	UUID, Name, FirstName, LastName string
	IsPerson                        bool
	Email, Phone, ExportCode        string
	IsProspect, IsArchived          bool
	AccountManager                  Staff
	TypeName                        string
	Contacts                        []ClientContact
	BillingClientUUID               string
	PostalAddress, PostalCity       string
	PostalPostCode                  string
	DateOfBirth                     time.Time // individuals only; zero: unknown
	Modified                        time.Time

	// Ground truth for link tests, never sent: the Xero contact this client
	// is ("" if none) and how a linker can find it: "code" (ExportCode equals
	// the contact's AccountNumber), "email", "name", "ambiguous" (another
	// client shares the name), "none".
	ContactID, LinkHint string
}

func (c *Client) sortKey() string { return strings.ToLower(c.Name) + "\x00" + c.UUID }

// Jobs returns a copy of every job, in ID order.
func (p *Practice) Jobs() []Job {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]Job, 0, len(p.jobs))
	for _, j := range p.jobs {
		out = append(out, p.jobCopy(j))
	}
	return out
}

// Job returns one job by its ID (J000123).
func (p *Practice) Job(id string) (Job, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	j := p.jobByID[strings.ToUpper(id)]
	if j == nil {
		return Job{}, false
	}
	return p.jobCopy(j), true
}

func (p *Practice) jobCopy(j *Job) Job {
	c := *j
	c.Assigned = append([]Staff(nil), j.Assigned...)
	c.Tasks = append([]Task(nil), j.Tasks...)
	if s := p.stateByCode(j.StateCode); s != nil {
		c.State = s.Name
	}
	if cl := p.clientByUUID[strings.ToLower(j.ClientUUID)]; cl != nil {
		c.ClientName = cl.Name
	}
	return c
}

// Clients returns a copy of every client, in creation order.
func (p *Practice) Clients() []Client {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]Client, 0, len(p.clients))
	for _, c := range p.clients {
		cc := *c
		cc.Contacts = append([]ClientContact(nil), c.Contacts...)
		out = append(out, cc)
	}
	return out
}

// States returns the practice's job states in workflow order.
func (p *Practice) States() []State {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return append([]State(nil), p.states...)
}

// SetResponseFormat forces JSON (true) or XML (false) for every response,
// whatever the request's headers ask for.
func (p *Practice) SetResponseFormat(json bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forceJSON = json
}

// SetJobState moves a job to the state with the given interface code, as
// PUT job.api/state does.
func (p *Practice) SetJobState(jobID, code string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.setJobStateLocked(jobID, code); err != nil {
		return fmt.Errorf("xpmsim: set job state: %w", err)
	}
	return nil
}

func (p *Practice) setJobStateLocked(jobID, code string) (*Job, error) {
	j := p.jobByID[strings.ToUpper(strings.TrimSpace(jobID))]
	if j == nil {
		return nil, errorf("Job %s not found", jobID)
	}
	s := p.stateByCode(strings.TrimSpace(code))
	if s == nil {
		return nil, errorf("Invalid job state %q: not the interface code of any job state", code)
	}
	now := p.clock()
	if j.StateCode != s.Code {
		j.StateCode = s.Code
		j.StateChanged = now
	}
	if s.Completed && j.CompletedDate.IsZero() {
		j.CompletedDate = day(now)
	} else if !s.Completed {
		j.CompletedDate = time.Time{}
	}
	return j, nil
}

// stateByCode matches interface codes without regard to case, as XPM's
// (SQL Server, case-insensitive) lookups do.
func (p *Practice) stateByCode(code string) *State {
	for i := range p.states {
		if strings.EqualFold(p.states[i].Code, code) {
			return &p.states[i]
		}
	}
	return nil
}

// AddJob adds a job for an existing client. Empty ID and UUID are assigned;
// an empty StateCode means the first state; zero dates default to today.
func (p *Practice) AddJob(j Job) (Job, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.clientByUUID[strings.ToLower(j.ClientUUID)] == nil {
		return Job{}, fmt.Errorf("xpmsim: add job: unknown client %q", j.ClientUUID)
	}
	if j.StateCode == "" {
		j.StateCode = p.states[0].Code
	}
	s := p.stateByCode(j.StateCode)
	if s == nil {
		return Job{}, fmt.Errorf("xpmsim: add job: unknown state code %q", j.StateCode)
	}
	j.StateCode = s.Code
	if j.ID == "" {
		j.ID = p.nextJobID()
	}
	if p.jobByID[strings.ToUpper(j.ID)] != nil {
		return Job{}, fmt.Errorf("xpmsim: add job: duplicate ID %s", j.ID)
	}
	if j.UUID == "" {
		j.UUID = p.ids.uuid()
	}
	now := p.clock()
	if j.StartDate.IsZero() {
		j.StartDate = day(now)
	}
	if j.DueDate.IsZero() {
		j.DueDate = j.StartDate.AddDate(0, 0, 30)
	}
	if j.StateChanged.IsZero() {
		j.StateChanged = now
	}
	if s.Completed && j.CompletedDate.IsZero() {
		j.CompletedDate = day(now)
	}
	p.insertJob(&j)
	return p.jobCopy(&j), nil
}

// AddClient adds a client. An empty UUID is assigned; Modified defaults to now.
func (p *Practice) AddClient(c Client) Client {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c.UUID == "" {
		c.UUID = p.ids.uuid()
	}
	if c.Modified.IsZero() {
		c.Modified = p.clock()
	}
	p.insertClient(&c)
	return c
}

// UpdateClient changes a client in place (its UUID stays) and stamps
// Modified, so tests can exercise modifiedsince.
func (p *Practice) UpdateClient(uuid string, fn func(*Client)) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.clientByUUID[strings.ToLower(uuid)]
	if c == nil {
		return fmt.Errorf("xpmsim: update client: unknown client %q", uuid)
	}
	id := c.UUID
	fn(c)
	c.UUID = id
	c.Modified = p.clock()
	p.sortedDirty = true
	return nil
}

func (p *Practice) nextJobID() string {
	for {
		p.jobSeq++
		id := fmt.Sprintf("J%06d", p.jobSeq)
		if p.jobByID[id] == nil {
			return id
		}
	}
}

func (p *Practice) insertJob(j *Job) {
	p.jobs = append(p.jobs, j)
	p.jobByID[strings.ToUpper(j.ID)] = j
	k := strings.ToLower(j.ClientUUID)
	p.jobsByClient[k] = append(p.jobsByClient[k], j)
}

func (p *Practice) insertClient(c *Client) {
	p.clients = append(p.clients, c)
	p.clientByUUID[strings.ToLower(c.UUID)] = c
	p.sortedDirty = true
}

// sortedClients returns clients by name then UUID, the order of both lists
// and the key space of page tokens. Callers hold p.mu (read or write);
// the lazy re-sort takes sortMu so readers do not race each other.
func (p *Practice) sortedClients() []*Client {
	p.sortMu.Lock()
	defer p.sortMu.Unlock()
	if p.sortedDirty || len(p.sorted) != len(p.clients) {
		s := append(p.sorted[:0], p.clients...)
		sort.Slice(s, func(a, b int) bool { return s[a].sortKey() < s[b].sortKey() })
		p.sorted = s
		p.sortedDirty = false
	}
	return p.sorted
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// xpmTime is XPM's zone-less local date-time.
const xpmTime = "2006-01-02T15:04:05"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(xpmTime)
}
