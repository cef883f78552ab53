package app

import (
	"errors"

	"chase.md/backend/mail"
	"chase.md/backend/remind"
)

// RemindService is automated chasing: chase plans, the Due today queue,
// each job's checklist, the practice's mailbox and demo mode's outbox.
type RemindService struct{ app *App }

// MailSetup is the mailbox screen: the settings (never the password),
// whether a password is saved and whether this computer sends.
type MailSetup struct {
	Settings          mail.Settings `json:"settings"`
	PasswordSaved     bool          `json:"passwordSaved"`
	Demo              bool          `json:"demo"`
	ThisComputerSends bool          `json:"thisComputerSends"`
	Ready             bool          `json:"ready"`
}

var errRemindNotReady = errors.New("app: reminders are not ready yet")

// Plans lists every waiting state's chase plan and the hand-marked clients' plan.
func (s *RemindService) Plans() ([]remind.Plan, error) { return nil, errRemindNotReady }

// SavePlan stores a plan and returns it as stored.
func (s *RemindService) SavePlan(p remind.Plan) (remind.Plan, error) { return p, errRemindNotReady }

// DueToday plans today's reminders and lists them.
func (s *RemindService) DueToday() ([]remind.Item, error) { return nil, errRemindNotReady }

// Send sends one due reminder after checking its stop conditions.
func (s *RemindService) Send(id int64) (remind.Item, error) { return remind.Item{}, errRemindNotReady }

// SendAll sends several due reminders in order.
func (s *RemindService) SendAll(ids []int64) ([]remind.Item, error) { return nil, errRemindNotReady }

// Edit changes a due reminder's email.
func (s *RemindService) Edit(id int64, subject, body string) (remind.Item, error) {
	return remind.Item{}, errRemindNotReady
}

// Skip skips a due reminder.
func (s *RemindService) Skip(id int64) (remind.Item, error) { return remind.Item{}, errRemindNotReady }

// Snooze puts a due reminder off by days business days.
func (s *RemindService) Snooze(id int64, days int) (remind.Item, error) {
	return remind.Item{}, errRemindNotReady
}

// ResolveUnsure records what a person found in Sent items.
func (s *RemindService) ResolveUnsure(id int64, wasSent bool) (remind.Item, error) {
	return remind.Item{}, errRemindNotReady
}

// DryRun lists what would be sent in the next days days (0 = 7).
func (s *RemindService) DryRun(days int) ([]remind.Item, error) { return nil, errRemindNotReady }

// Next is the next reminder date per client of the chase list.
func (s *RemindService) Next() ([]remind.Next, error) { return nil, errRemindNotReady }

// Client is a client's reminders: controls, next and history.
func (s *RemindService) Client(clientKey string) (remind.Client, error) {
	return remind.Client{}, errRemindNotReady
}

// Pause pauses a client's reminders until a day ("" resumes).
func (s *RemindService) Pause(clientKey, until string) error { return errRemindNotReady }

// OptOut opts a client out of reminders (or back in).
func (s *RemindService) OptOut(clientKey string, out bool) error { return errRemindNotReady }

// Stop stops (or restarts) chasing a client.
func (s *RemindService) Stop(clientKey string, stopped bool) error { return errRemindNotReady }

// Checklist is a job's documents with their ticks.
func (s *RemindService) Checklist(jobID string) ([]remind.CheckItem, error) {
	return nil, errRemindNotReady
}

// Tick ticks a document of a job's checklist off (or on again).
func (s *RemindService) Tick(jobID, doc string, done bool) ([]remind.CheckItem, error) {
	return nil, errRemindNotReady
}

// Proposals lists the jobs whose client sent files while items are outstanding.
func (s *RemindService) Proposals() ([]remind.Proposal, error) { return nil, errRemindNotReady }

// ConfirmProposal ticks docs off a job's checklist.
func (s *RemindService) ConfirmProposal(jobID string, docs []string) ([]remind.CheckItem, error) {
	return nil, errRemindNotReady
}

// DismissProposal hides a proposal until more files arrive.
func (s *RemindService) DismissProposal(jobID string) error { return errRemindNotReady }

// MailSetup is the mailbox's settings.
func (s *RemindService) MailSetup() (MailSetup, error) { return MailSetup{}, errRemindNotReady }

// SaveMailSettings stores the mailbox (password "" keeps the saved one).
func (s *RemindService) SaveMailSettings(set mail.Settings, password string) (MailSetup, error) {
	return MailSetup{}, errRemindNotReady
}

// SetThisComputerSends makes this computer the practice's sender (or not).
func (s *RemindService) SetThisComputerSends(on bool) (MailSetup, error) {
	return MailSetup{}, errRemindNotReady
}

// SendTest sends a test email to the practice's own address.
func (s *RemindService) SendTest() (string, error) { return "", errRemindNotReady }

// Outbox lists demo mode's outbox, newest first.
func (s *RemindService) Outbox(limit int) ([]mail.OutboxMessage, error) {
	return nil, errRemindNotReady
}
