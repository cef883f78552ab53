// Package remind chases clients by email by itself: per "waiting on the
// client" job state (and for clients marked by hand) a plan says when the
// first request and each reminder go and in what words; each day's
// reminders are planned into a queue a person sends from (or, for an
// automatic plan, that sends itself); right before every send the reasons
// to stop are checked again (the documents arrived, the job left the
// waiting state in XPM, a person stopped it); and each reminder goes out
// at most once, across crashes and restarts (see send.go).
//
// It builds on package chase (the chase list, each job's documents needed,
// the email placeholders) and sends through a Sender (package mail).
package remind

import (
	"context"
	"time"

	"chase.md/backend/activity"
	"chase.md/backend/chase"
	"chase.md/backend/mail"
	"chase.md/backend/store"
	"chase.md/backend/xero/api"
)

// Item statuses.
const (
	StatusDue     = "due"     // waiting for a person (or the automatic sender) today or later
	StatusSending = "sending" // handed to the mail server right now
	StatusSent    = "sent"
	StatusRetry   = "retry"   // a temporary failure: tried again at RetryAt
	StatusFailed  = "failed"  // refused for good, or no email address: a person acts
	StatusSkipped = "skipped" // a person skipped this step
	StatusSnoozed = "snoozed" // a person put it off (Due moved)
	StatusStopped = "stopped" // its reason is gone (Reason says which)
	// StatusUnsure: found "sending" after a crash; it may have reached the
	// mail server. Never sent again by itself: a person checks Sent items.
	StatusUnsure = "unsure"
)

// Step is the email of one step of a plan.
type Step struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Plan is the cadence and wording for one waiting state (or ManualPlan).
type Plan struct {
	ID           string   `json:"id"`   // the state's name lower-cased, or ManualPlan
	Name         string   `json:"name"` // the state's name, or "Clients marked by hand"
	Enabled      bool     `json:"enabled"`
	Automatic    bool     `json:"automatic"`    // sends by itself; false: waits in Due today
	EveryDays    int      `json:"everyDays"`    // business days between steps
	MaxReminders int      `json:"maxReminders"` // reminders after the first request
	Steps        []Step   `json:"steps"`        // [0] first request, [i] reminder i; the last repeats
	QuietDays    []int    `json:"quietDays"`    // weekdays never sent on (0 = Sunday)
	SendFrom     int      `json:"sendFrom"`     // hour, local time, automatic sending starts
	SendUntil    int      `json:"sendUntil"`    // hour, local time, automatic sending ends
	StopWhen     string   `json:"stopWhen"`     // StopChecklist or StopAnyFile
	DefaultDocs  []string `json:"defaultDocs"`  // checklist seeded for a job that has none
}

// ManualPlan is the plan of clients marked by hand.
const ManualPlan = "manual"

// Stop conditions a practice chooses between.
const (
	// StopChecklist: stop when every checklist item is ticked; a client
	// whose jobs have no checklist stops at any new file.
	StopChecklist = "all_ticked"
	// StopAnyFile: stop at any new file, ticked or not.
	StopAnyFile = "any_file"
)

// Item is one reminder (or first request) to one client: planned, due,
// sent, failed, skipped or stopped, with the email as sent.
type Item struct {
	ID          int64     `json:"id"`
	ClientKey   string    `json:"clientKey"`
	ClientName  string    `json:"clientName"`
	ContactID   string    `json:"contactId"`
	PlanID      string    `json:"planId"`
	Step        int       `json:"step"` // 0 = first request
	JobIDs      []string  `json:"jobIds"`
	Due         string    `json:"due"` // YYYY-MM-DD
	Status      string    `json:"status"`
	Automatic   bool      `json:"automatic"`
	To          string    `json:"to"`
	Subject     string    `json:"subject"`
	Body        string    `json:"body"`
	Outstanding []string  `json:"outstanding"`
	MessageID   string    `json:"messageId"`
	SentAt      time.Time `json:"sentAt"`
	Attempts    int       `json:"attempts"`
	RetryAt     time.Time `json:"retryAt"`
	Error       string    `json:"error"`
	ErrorCode   string    `json:"errorCode"`
	Reason      string    `json:"reason"`

	cycle int64 // when the client's chase began (ms): with Step, the reminder's identity
	state string
}

// Next is a client's next reminder, for the chase list.
type Next struct {
	ClientKey string `json:"clientKey"`
	Date      string `json:"date"` // YYYY-MM-DD, "" = none planned
	Step      int    `json:"step"`
	PlanID    string `json:"planId"`
	Paused    string `json:"paused"` // paused until (YYYY-MM-DD), "" = not paused
	OptedOut  bool   `json:"optedOut"`
	Stopped   bool   `json:"stopped"`
	Note      string `json:"note"` // why there is none, in words
}

// Client is a client's reminders: controls, next and history.
type Client struct {
	ClientKey string `json:"clientKey"`
	Paused    string `json:"paused"`
	OptedOut  bool   `json:"optedOut"`
	Stopped   bool   `json:"stopped"`
	Next      Next   `json:"next"`
	History   []Item `json:"history"`
}

// CheckItem is one document of a job's checklist.
type CheckItem struct {
	Doc    string    `json:"doc"`
	Done   bool      `json:"done"`
	DoneAt time.Time `json:"doneAt"`
	DoneBy string    `json:"doneBy"`
}

// Proposal: files arrived for a client whose job still has items
// outstanding; a person confirms which are in.
type Proposal struct {
	ClientKey   string   `json:"clientKey"`
	ClientName  string   `json:"clientName"`
	JobID       string   `json:"jobId"`
	JobName     string   `json:"jobName"`
	Outstanding []string `json:"outstanding"`
	Files       int      `json:"files"`
	Since       string   `json:"since"` // YYYY-MM-DD
}

// Sender sends one email (mail.SMTP, mail.Outbox).
type Sender interface {
	Send(ctx context.Context, m mail.Message) error
	From() string
}

// JobChecker says which state each current job is in now, asking XPM
// itself (by job ID, upper-cased); a job it does not list is completed.
type JobChecker interface {
	JobStates(ctx context.Context) (map[string]string, error)
}

// FileLister lists a contact's files in Xero Files (*xero.Client).
type FileLister interface {
	AssociationsFor(ctx context.Context, objectID string) ([]api.Association, error)
}

// Logger writes to the activity log (core.Session.Log).
type Logger interface{ Log(activity.Entry) }

// Service is one organisation's reminders. It is safe for concurrent use.
type Service struct {
	db     *store.DB
	chase  *chase.Service
	tenant string
	now    func() time.Time
	loc    *time.Location
	log    Logger
	who    func() string

	practice string // signs the emails
	sender   Sender
	noSend   error
	jobs     JobChecker // nil: no XPM (hand-marked clients only)
	files    FileLister // nil: only what is cached and filed by chase.md
	errLog   func(error)
}

// Options wire a Service. Sender nil: planning works, sending says the
// mailbox is not set up.
type Options struct {
	Practice string
	Sender   Sender
	// SenderErr says why there is no Sender (Send returns it).
	SenderErr error
	Jobs      JobChecker
	Files     FileLister
	Log       Logger
	Who       func() string // who acts ("" = the log's own)
	Now       func() time.Time
	Location  *time.Location // days and hours are the practice's (default time.Local)
	// ErrLog hears Serve's failed rounds (it carries on).
	ErrLog func(error)
}

// New makes the reminders of ch's organisation.
func New(db *store.DB, ch *chase.Service, o Options) *Service {
	s := &Service{db: db, chase: ch, tenant: ch.TenantID(), now: o.Now, loc: o.Location, log: o.Log, who: o.Who,
		practice: o.Practice, sender: o.Sender, jobs: o.Jobs, files: o.Files, errLog: o.ErrLog, noSend: o.SenderErr}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	if s.who == nil {
		s.who = func() string { return "" }
	}
	return s
}

// CanSend reports whether the service has a sender.
func (s *Service) CanSend() bool { return s.sender != nil }
