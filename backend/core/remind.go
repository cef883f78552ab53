package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"chase.md/backend/mail"
	"chase.md/backend/remind"
	"chase.md/backend/rest"
)

// The practice's mailbox and whether this computer is the one that sends
// reminders live in the settings; the mailbox password only in the keyring.
const (
	keyMailSettings = "remind.mail"
	keyMailSender   = "remind.this_computer_sends"
)

// ErrNotSender: this computer is not the practice's sending computer, so it
// shows reminders and never sends them (see README, Exactly once).
var ErrNotSender = errors.New("core: this computer does not send the practice's reminders")

// ErrMailNotSetUp: the mailbox's server, address or password is missing.
var ErrMailNotSetUp = errors.New("core: the practice's mailbox is not set up")

// demoFrom is the demo practice's address: its mail goes to the outbox.
const demoFrom = "office@demo-practice.example"

// remindLoop is the reminders' background state.
type remindLoop struct {
	kick  chan struct{} // 1-buffered: a round now
	reset chan struct{} // 1-buffered: the mailbox or the sender changed
}

// MailSettings reads the practice's mailbox (587 STARTTLS until set).
func (s *Session) MailSettings(ctx context.Context) (mail.Settings, error) {
	set := mail.Settings{Port: 587, Security: mail.StartTLS}
	if _, err := s.DB.GetSetting(ctx, keyMailSettings, &set); err != nil {
		return set, fmt.Errorf("core: mailbox settings: %w", err)
	}
	if s.cfg.Demo && set.FromAddress == "" {
		set.FromAddress = demoFrom
	}
	return set, nil
}

// SaveMailSettings stores the mailbox; password (if not "") goes to the OS
// keyring only. Demo mode keeps no password: it never sends mail.
func (s *Session) SaveMailSettings(ctx context.Context, set mail.Settings, password string) error {
	set.Host, set.Username = strings.TrimSpace(set.Host), strings.TrimSpace(set.Username)
	set.FromAddress, set.ReplyTo = strings.TrimSpace(set.FromAddress), strings.TrimSpace(set.ReplyTo)
	if err := set.Check(); err != nil {
		return err
	}
	if password != "" && !s.cfg.Demo {
		if err := mail.SavePassword(set, password); err != nil {
			return err
		}
	}
	if err := s.DB.SetSetting(ctx, keyMailSettings, set); err != nil {
		return fmt.Errorf("core: save mailbox settings: %w", err)
	}
	s.resetRemind()
	return nil
}

// MailPasswordSaved reports whether the keyring holds the mailbox's password.
func (s *Session) MailPasswordSaved(ctx context.Context) bool {
	set, err := s.MailSettings(ctx)
	if err != nil || s.cfg.Demo || set.Host == "" {
		return false
	}
	_, err = mail.LoadPassword(set)
	return err == nil
}

// ThisComputerSends reports whether this computer sends the practice's
// reminders. The demo always does (to its outbox).
func (s *Session) ThisComputerSends(ctx context.Context) (bool, error) {
	if s.cfg.Demo {
		return true, nil
	}
	var on bool
	if _, err := s.DB.GetSetting(ctx, keyMailSender, &on); err != nil {
		return false, fmt.Errorf("core: sending computer: %w", err)
	}
	return on, nil
}

// SetThisComputerSends makes this computer the practice's sender, or not.
func (s *Session) SetThisComputerSends(ctx context.Context, on bool) error {
	if err := s.DB.SetSetting(ctx, keyMailSender, on); err != nil {
		return fmt.Errorf("core: sending computer: %w", err)
	}
	s.resetRemind()
	return nil
}

// MailSender is where this computer sends mail: the demo's outbox, or the
// practice's mailbox if this computer is the sender and the mailbox is set up.
func (s *Session) MailSender(ctx context.Context) (remind.Sender, error) {
	set, err := s.MailSettings(ctx)
	if err != nil {
		return nil, err
	}
	if s.cfg.Demo {
		return mail.NewOutbox(s.DB, set.FromAddress, nil), nil
	}
	on, err := s.ThisComputerSends(ctx)
	if err != nil {
		return nil, err
	}
	if !on {
		return nil, ErrNotSender
	}
	if set.Check() != nil {
		return nil, ErrMailNotSetUp
	}
	pw, err := mail.LoadPassword(set)
	switch {
	case errors.Is(err, mail.ErrNoPassword) && set.Username == "":
	case errors.Is(err, mail.ErrNoPassword):
		return nil, ErrMailNotSetUp
	case err != nil:
		return nil, err
	}
	return mail.NewSMTP(set, pw), nil
}

// Outbox is the demo practice's outbox.
func (s *Session) Outbox(ctx context.Context) (*mail.Outbox, error) {
	set, err := s.MailSettings(ctx)
	if err != nil {
		return nil, err
	}
	return mail.NewOutbox(s.DB, set.FromAddress, nil), nil
}

// Remind is the main organisation's reminders, sending through MailSender
// (without one, it plans and shows but Send says why it cannot), checking
// jobs in XPM itself and files in Xero Files before each send.
func (s *Session) Remind(ctx context.Context) (*remind.Service, error) {
	ch, err := s.Chase(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.Choice(ctx)
	if err != nil {
		return nil, err
	}
	o := remind.Options{Log: s, Who: s.Activity.Who, Files: s.Xero(c.Main()),
		ErrLog: func(err error) { s.log.Warn("reminders: round", "err", err) }}
	if len(c.Orgs) > 0 {
		o.Practice = c.Orgs[0].Name
	}
	if c.Practice != nil && !ch.HandOnly() {
		o.Jobs = remind.XPMJobs(s.XPM(c.Practice.ID))
	}
	o.Sender, o.SenderErr = s.MailSender(ctx)
	return remind.New(s.DB, ch, o), nil
}

// KickReminders asks the background sender for a round now.
func (s *Session) KickReminders() {
	select {
	case s.rem.kick <- struct{}{}:
	default:
	}
}

func (s *Session) resetRemind() {
	select {
	case s.rem.reset <- struct{}{}:
	default:
	}
}

// serveRemind sends the automatic plans' reminders and the retries while
// this computer is the sender; it waits (re-reading the settings) while not.
func (s *Session) serveRemind(ctx context.Context) error {
	for {
		svc, err := s.Remind(ctx)
		if err == nil && svc.CanSend() {
			rctx, cancel := context.WithCancel(rest.WithPriority(ctx, rest.Background))
			go func() {
				select {
				case <-s.rem.reset:
					cancel()
				case <-rctx.Done():
				}
			}()
			err := svc.Serve(rctx, s.rem.kick, s.remindChanged)
			cancel()
			if err != nil && ctx.Err() == nil {
				s.log.Warn("reminders: stopped", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.rem.reset:
		case <-s.rem.kick:
		case <-s.remindTick():
		}
	}
}

func (s *Session) remindChanged() {
	if s.events.Remind != nil {
		s.events.Remind()
	}
}

// remindTick is when the waiting loop looks at the settings again.
func (s *Session) remindTick() <-chan time.Time { return time.After(remind.ServeEvery) }
