package mail_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"chase.md/backend/mail"
	"chase.md/backend/mail/mailtest"
	"chase.md/backend/store"
)

func settingsFor(srv *mailtest.Server, security string) mail.Settings {
	return mail.Settings{Host: srv.Host, Port: srv.Port, Security: security, Username: "office@practice.test",
		FromName: "Smith & Co", FromAddress: "office@practice.test", ReplyTo: "team@practice.test"}
}

func message(to string) mail.Message {
	return mail.Message{MessageID: mail.NewMessageID("office@practice.test"), Date: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC),
		To: to, Subject: "Documents needed for Ann Lee", Text: "Hi Ann,\n\nCould you send us:\n- Bank statements\n",
		HTML: "<p>Hi Ann,</p><ul><li>Bank statements</li></ul>"}
}

// A message goes through STARTTLS (587 style) after logging in, From and
// Reply-To the practice, with the Message-ID chosen before sending, and
// both a plain-text and an HTML part.
func TestSendsOverStartTLSWithLogin(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{User: "office@practice.test", Pass: "s3cret"})
	s := mail.NewSMTP(settingsFor(srv, mail.StartTLS), "s3cret", mail.WithTLSConfig(srv.ClientTLS))
	m := message("ann@client.test")
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	h := got[0].Header
	checks := map[string]string{
		"From": `"Smith & Co" <office@practice.test>`, "Reply-To": "<team@practice.test>", "To": "<ann@client.test>",
		"Subject": "Documents needed for Ann Lee", "Message-Id": "<" + m.MessageID + ">",
	}
	for k, want := range checks {
		if g := h.Get(k); g != want {
			t.Errorf("%s = %q, want %q", k, g, want)
		}
	}
	if d, err := h.Date(); err != nil || !d.Equal(m.Date) {
		t.Errorf("Date = %v (%v), want %v", d, err, m.Date)
	}
	if got[0].From != "office@practice.test" || len(got[0].To) != 1 || got[0].To[0] != "ann@client.test" {
		t.Errorf("envelope %s → %v", got[0].From, got[0].To)
	}
	raw := string(got[0].Raw)
	for _, want := range []string{"multipart/alternative", "text/plain", "text/html", "- Bank statements", "<li>Bank statements</li>"} {
		if !strings.Contains(raw, want) {
			t.Errorf("message lacks %q", want)
		}
	}
}

// Port 465 style: TLS from the first byte.
func TestSendsOverImplicitTLS(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{ImplicitTLS: true, User: "office@practice.test", Pass: "pw"})
	s := mail.NewSMTP(settingsFor(srv, mail.TLS), "pw", mail.WithTLSConfig(srv.ClientTLS))
	if err := s.Send(context.Background(), message("ann@client.test")); err != nil {
		t.Fatalf("send: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("received %d, want 1", n)
	}
}

// Each failure is classified into what the practice can act on, in words.
func TestFailuresInWords(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, err error, kind mail.Kind, retry bool, words string) {
		t.Helper()
		var me *mail.Error
		if !errors.As(err, &me) {
			t.Fatalf("err = %v, want a *mail.Error", err)
		}
		if me.Kind != kind || me.Retry() != retry {
			t.Errorf("kind %s retry %v, want %s %v (%v)", me.Kind, me.Retry(), kind, retry, err)
		}
		if !strings.Contains(me.Words, words) {
			t.Errorf("words %q lack %q", me.Words, words)
		}
	}
	t.Run("server down", func(t *testing.T) {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		s := mail.NewSMTP(mail.Settings{Host: "127.0.0.1", Port: port, Security: mail.StartTLS, FromAddress: "office@practice.test"}, "", mail.WithTimeout(5*time.Second))
		check(t, s.Send(ctx, message("ann@client.test")), mail.Unreachable, true, "could not reach the mail server 127.0.0.1")
	})
	t.Run("login refused", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{User: "office@practice.test", Pass: "right"})
		s := mail.NewSMTP(settingsFor(srv, mail.StartTLS), "wrong", mail.WithTLSConfig(srv.ClientTLS))
		check(t, s.Send(ctx, message("ann@client.test")), mail.LoginRefused, false, "refused the login")
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("%d messages accepted", n)
		}
	})
	t.Run("temporary 4xx", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.SetFault(func(stage string, _ int) *smtp.SMTPError {
			if stage == "data" {
				return mailtest.ErrTemporary
			}
			return nil
		})
		s := mail.NewSMTP(settingsFor(srv, mail.StartTLS), "x", mail.WithTLSConfig(srv.ClientTLS))
		check(t, s.Send(ctx, message("ann@client.test")), mail.TryLater, true, "try again later (451)")
	})
	t.Run("recipient refused 5xx", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.SetFault(func(stage string, _ int) *smtp.SMTPError {
			if stage == "rcpt" {
				return mailtest.ErrMailbox
			}
			return nil
		})
		s := mail.NewSMTP(settingsFor(srv, mail.StartTLS), "x", mail.WithTLSConfig(srv.ClientTLS))
		check(t, s.Send(ctx, message("nobody@client.test")), mail.Refused, false, "refused the address nobody@client.test (550)")
	})
	t.Run("no email", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		s := mail.NewSMTP(settingsFor(srv, mail.StartTLS), "x", mail.WithTLSConfig(srv.ClientTLS))
		check(t, s.Send(ctx, message("")), mail.NoEmail, false, "no valid email address")
		if srv.Tries("rcpt") != 0 {
			t.Error("the server was contacted for a client without an address")
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		s := mail.NewSMTP(settingsFor(srv, mail.StartTLS), "x")
		check(t, s.Send(ctx, message("ann@client.test")), mail.Unreachable, true, "could not reach")
	})
}

// The demo outbox keeps what was "sent", once per Message-ID, newest first.
func TestOutbox(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "chase.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o := mail.NewOutbox(db, "office@demo.test", nil)
	m := message("ann@client.test")
	for range 2 {
		if err := o.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Send(ctx, message("")); mail.KindOf(err) != mail.NoEmail {
		t.Errorf("no address: %v", err)
	}
	got, err := o.List(ctx, 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("outbox = %d messages, %v; want 1", len(got), err)
	}
	if got[0].MessageID != m.MessageID || got[0].To != "ann@client.test" || got[0].From != "office@demo.test" || !strings.Contains(got[0].HTML, "<li>") {
		t.Errorf("outbox message = %+v", got[0])
	}
}
