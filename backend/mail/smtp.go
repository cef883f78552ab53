package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP submits messages to the practice's mail server.
type SMTP struct {
	set      Settings
	password string
	tls      *tls.Config // nil = the system's roots, verifying Host
	timeout  time.Duration
}

// SMTPOption configures an SMTP sender.
type SMTPOption func(*SMTP)

// WithTLSConfig replaces the TLS configuration (tests trust their own certificate).
func WithTLSConfig(c *tls.Config) SMTPOption { return func(s *SMTP) { s.tls = c } }

// WithTimeout bounds each network step (default 30 s).
func WithTimeout(d time.Duration) SMTPOption { return func(s *SMTP) { s.timeout = d } }

// NewSMTP returns a sender for set, logging in with password ("" = no login).
func NewSMTP(set Settings, password string, opts ...SMTPOption) *SMTP {
	s := &SMTP{set: set, password: password, timeout: 30 * time.Second}
	for _, o := range opts {
		o(s)
	}
	return s
}

// From is the practice's address the messages come from.
func (s *SMTP) From() string { return s.set.FromAddress }

// Send submits m. The error is an *Error: Retry says whether trying again
// is safe and may work.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := s.set.Check(); err != nil {
		return err
	}
	if !ValidAddress(m.To) {
		return &Error{Kind: NoEmail, Words: "The client has no valid email address. Add one to the client in Xero (or XPM) and sync."}
	}
	msg, err := build(s.set, m)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.set.Host, s.options()...)
	if err != nil {
		return classify(err, phaseDial, s.set.Host, m.To)
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return classify(err, phaseDial, s.set.Host, m.To)
	}
	err = c.SendWithSMTPClient(sc, msg)
	// The reply to the end of DATA decides; a failed QUIT after it does not
	// undo a message the server took.
	_ = c.CloseWithSMTPClient(sc)
	if err != nil {
		return classify(err, phaseSend, s.set.Host, m.To)
	}
	return nil
}

func (s *SMTP) options() []gomail.Option {
	tc := s.tls
	if tc == nil {
		tc = &tls.Config{ServerName: s.set.Host, MinVersion: tls.VersionTLS12}
	}
	opts := []gomail.Option{
		gomail.WithPort(s.set.Port),
		gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(tc),
		gomail.WithHELO("chase.md"),
	}
	if s.set.Security == TLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		// Never send a password or a client's details in clear.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.set.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.set.Username), gomail.WithPassword(s.password))
	}
	return opts
}

// build makes the MIME message: From and Reply-To the practice, the given
// Message-ID and Date, plain text with an HTML alternative.
func build(set Settings, m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(set.FromName, set.FromAddress); err != nil {
		return nil, &Error{Kind: NotSetUp, Err: err, Words: "The practice's email address is not valid."}
	}
	if err := msg.To(strings.TrimSpace(m.To)); err != nil {
		return nil, &Error{Kind: NoEmail, Err: err, Words: "The client's email address is not valid."}
	}
	reply := set.ReplyTo
	if reply == "" {
		reply = set.FromAddress
	}
	if err := msg.ReplyTo(reply); err != nil {
		return nil, &Error{Kind: NotSetUp, Err: err, Words: "The reply-to address is not valid."}
	}
	msg.Subject(m.Subject)
	if m.MessageID == "" {
		return nil, fmt.Errorf("mail: message to %s has no Message-ID", m.To)
	}
	msg.SetMessageIDWithValue(m.MessageID)
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
