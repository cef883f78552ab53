package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"chase.md/backend/core"
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

// The caller holds the session until it calls done (see App.current).
func (s *RemindService) remind() (context.Context, *core.Session, *remind.Service, func(), error) {
	ctx, sess, done, err := s.app.backend()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	r, err := sess.Remind(ctx)
	if err != nil {
		done()
		return nil, nil, nil, nil, err
	}
	return ctx, sess, r, done, nil
}

// changed tells the UI to read the reminders again, and the chase list
// (its next reminder dates and chased marks).
func (s *RemindService) changed() {
	s.app.emit(EvRemindChanged)
	s.app.Chase.changed()
}

// Plans lists every waiting state's chase plan and the hand-marked clients' plan.
func (s *RemindService) Plans() ([]remind.Plan, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return nil, err
	}
	defer done()
	return r.Plans(ctx)
}

// SavePlan stores a plan and returns it as stored.
func (s *RemindService) SavePlan(p remind.Plan) (remind.Plan, error) {
	ctx, sess, r, done, err := s.remind()
	if err != nil {
		return p, err
	}
	defer done()
	p, err = r.SavePlan(ctx, p)
	if err == nil {
		sess.KickReminders()
		s.changed()
	}
	return p, err
}

// DueToday plans today's reminders and lists them.
func (s *RemindService) DueToday() ([]remind.Item, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return nil, err
	}
	defer done()
	return r.DueToday(ctx)
}

// Send sends one due reminder after checking its stop conditions.
func (s *RemindService) Send(id int64) (remind.Item, error) {
	its, err := s.SendAll([]int64{id})
	if err != nil || len(its) == 0 {
		return remind.Item{}, err
	}
	return its[0], nil
}

// SendAll sends several due reminders in order.
func (s *RemindService) SendAll(ids []int64) ([]remind.Item, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return nil, err
	}
	defer done()
	its, err := r.Send(ctx, ids...)
	if len(its) > 0 {
		s.changed()
	}
	return its, err
}

// Edit changes a due reminder's email.
func (s *RemindService) Edit(id int64, subject, body string) (remind.Item, error) {
	return s.act(func(ctx context.Context, r *remind.Service) (remind.Item, error) {
		return r.Edit(ctx, id, subject, body)
	})
}

// Skip skips a due reminder.
func (s *RemindService) Skip(id int64) (remind.Item, error) {
	return s.act(func(ctx context.Context, r *remind.Service) (remind.Item, error) { return r.Skip(ctx, id) })
}

// Snooze puts a due reminder off by days business days.
func (s *RemindService) Snooze(id int64, days int) (remind.Item, error) {
	return s.act(func(ctx context.Context, r *remind.Service) (remind.Item, error) { return r.Snooze(ctx, id, days) })
}

// ResolveUnsure records what a person found in Sent items.
func (s *RemindService) ResolveUnsure(id int64, wasSent bool) (remind.Item, error) {
	return s.act(func(ctx context.Context, r *remind.Service) (remind.Item, error) {
		return r.ResolveUnsure(ctx, id, wasSent)
	})
}

func (s *RemindService) act(f func(context.Context, *remind.Service) (remind.Item, error)) (remind.Item, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return remind.Item{}, err
	}
	defer done()
	it, err := f(ctx, r)
	if err == nil {
		s.changed()
	}
	return it, err
}

// DryRun lists what would be sent in the next days days (0 = 7).
func (s *RemindService) DryRun(days int) ([]remind.Item, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return nil, err
	}
	defer done()
	return r.DryRun(ctx, min(max(days, 0), 60))
}

// Next is the next reminder date per client of the chase list.
func (s *RemindService) Next() ([]remind.Next, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return nil, err
	}
	defer done()
	return r.Next(ctx)
}

// Client is a client's reminders: controls, next and history.
func (s *RemindService) Client(clientKey string) (remind.Client, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return remind.Client{}, err
	}
	defer done()
	return r.Client(ctx, clientKey)
}

// Pause pauses a client's reminders until a day ("" resumes).
func (s *RemindService) Pause(clientKey, until string) error {
	return s.control(func(ctx context.Context, r *remind.Service) error { return r.Pause(ctx, clientKey, until) })
}

// OptOut opts a client out of reminders (or back in).
func (s *RemindService) OptOut(clientKey string, out bool) error {
	return s.control(func(ctx context.Context, r *remind.Service) error { return r.OptOut(ctx, clientKey, out) })
}

// Stop stops (or restarts) chasing a client.
func (s *RemindService) Stop(clientKey string, stopped bool) error {
	return s.control(func(ctx context.Context, r *remind.Service) error { return r.Stop(ctx, clientKey, stopped) })
}

func (s *RemindService) control(f func(context.Context, *remind.Service) error) error {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return err
	}
	defer done()
	if err := f(ctx, r); err != nil {
		return err
	}
	s.changed()
	return nil
}

// Checklist is a job's documents with their ticks.
func (s *RemindService) Checklist(jobID string) ([]remind.CheckItem, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return nil, err
	}
	defer done()
	return r.Checklist(ctx, jobID)
}

// Tick ticks a document of a job's checklist off (or on again).
func (s *RemindService) Tick(jobID, doc string, done bool) ([]remind.CheckItem, error) {
	return s.tick(jobID, []string{doc}, done)
}

func (s *RemindService) tick(jobID string, docs []string, ticked bool) ([]remind.CheckItem, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return nil, err
	}
	defer done()
	out, err := r.Tick(ctx, jobID, docs, ticked)
	if err == nil {
		s.changed()
	}
	return out, err
}

// Proposals lists the jobs whose client sent files while items are outstanding.
func (s *RemindService) Proposals() ([]remind.Proposal, error) {
	ctx, _, r, done, err := s.remind()
	if err != nil {
		return nil, err
	}
	defer done()
	return r.Proposals(ctx)
}

// ConfirmProposal ticks docs off a job's checklist.
func (s *RemindService) ConfirmProposal(jobID string, docs []string) ([]remind.CheckItem, error) {
	return s.tick(jobID, docs, true)
}

// DismissProposal hides a proposal until more files arrive.
func (s *RemindService) DismissProposal(jobID string) error {
	return s.control(func(ctx context.Context, r *remind.Service) error { return r.DismissProposal(ctx, jobID) })
}

// MailSetup is the mailbox's settings.
func (s *RemindService) MailSetup() (MailSetup, error) {
	ctx, sess, done, err := s.app.backend()
	if err != nil {
		return MailSetup{}, err
	}
	defer done()
	return mailSetup(ctx, sess)
}

func mailSetup(ctx context.Context, sess *core.Session) (MailSetup, error) {
	set, err := sess.MailSettings(ctx)
	if err != nil {
		return MailSetup{}, err
	}
	on, err := sess.ThisComputerSends(ctx)
	if err != nil {
		return MailSetup{}, err
	}
	_, serr := sess.MailSender(ctx)
	return MailSetup{Settings: set, PasswordSaved: sess.MailPasswordSaved(ctx), Demo: sess.Config().Demo,
		ThisComputerSends: on, Ready: serr == nil}, nil
}

// SaveMailSettings stores the mailbox (password "" keeps the saved one).
func (s *RemindService) SaveMailSettings(set mail.Settings, password string) (MailSetup, error) {
	ctx, sess, done, err := s.app.backend()
	if err != nil {
		return MailSetup{}, err
	}
	defer done()
	if err := sess.SaveMailSettings(ctx, set, password); err != nil {
		return MailSetup{}, err
	}
	return mailSetup(ctx, sess)
}

// SetThisComputerSends makes this computer the practice's sender (or not).
func (s *RemindService) SetThisComputerSends(on bool) (MailSetup, error) {
	ctx, sess, done, err := s.app.backend()
	if err != nil {
		return MailSetup{}, err
	}
	defer done()
	if err := sess.SetThisComputerSends(ctx, on); err != nil {
		return MailSetup{}, err
	}
	return mailSetup(ctx, sess)
}

// SendTest sends a test email to the practice's own address and says where it went.
func (s *RemindService) SendTest() (string, error) {
	ctx, sess, done, err := s.app.backend()
	if err != nil {
		return "", err
	}
	defer done()
	snd, err := sess.MailSender(ctx)
	if err != nil {
		return "", err
	}
	set, err := sess.MailSettings(ctx)
	if err != nil {
		return "", err
	}
	now := time.Now()
	text := fmt.Sprintf("This is a test from chase.md, sent %s.\n\nIf you can read this, chase.md can send the practice's reminders from %s.\n",
		now.Format("Monday 2 January 2006 at 15:04"), set.FromAddress)
	m := mail.Message{MessageID: mail.NewMessageID(set.FromAddress), Date: now, To: set.FromAddress, Subject: "chase.md test", Text: text,
		HTML: "<p>" + strings.ReplaceAll(text, "\n\n", "</p><p>") + "</p>"}
	if err := snd.Send(ctx, m); err != nil {
		return "", err
	}
	if sess.Config().Demo {
		s.changed()
		return "The test email is in the demo outbox (demo mode never sends mail).", nil
	}
	return fmt.Sprintf("Sent a test email to %s. Check that it arrived.", set.FromAddress), nil
}

// Outbox lists demo mode's outbox, newest first.
func (s *RemindService) Outbox(limit int) ([]mail.OutboxMessage, error) {
	ctx, sess, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
	o, err := sess.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	return o.List(ctx, min(max(limit, 0), 1000))
}
